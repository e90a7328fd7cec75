"""Reports return pandas DataFrames, computed in the viewer's timezone."""
