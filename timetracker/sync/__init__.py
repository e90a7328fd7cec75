"""The sync client: ships a person's local ActivityWatch data to the team server.

ActivityWatch has no webhooks and no central server; this reads the local aw-server's REST
API, keeps what is waiting in a local SQLite queue, and POSTs batches to our webhook.
Importable without FastAPI or Streamlit (it runs on developers' machines): httpx and the
standard library only.
"""
