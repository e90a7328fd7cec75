"""NFC readers: devices, tag labels, event ingest."""
