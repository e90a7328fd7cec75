"""Time Tracker core: payload models, ingest, reports, auth and database access.

Nothing in this package knows about HTTP or Streamlit; `webhook_server.py` and
`streamlit_app.py` wire it to FastAPI and Streamlit.
"""
