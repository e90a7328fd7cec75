"""NFC readers (seed 002): devices, tag labels, event ingest."""
