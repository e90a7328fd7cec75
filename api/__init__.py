"""The FastAPI front door: thin routes that parse, authenticate and delegate to the core."""
