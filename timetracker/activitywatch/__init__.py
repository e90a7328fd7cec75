"""ActivityWatch: developer ids and tokens, event ingest, team summaries."""
