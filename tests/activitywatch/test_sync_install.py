"""`pip install .` gives developers `tracker-sync` with httpx as its only dependency (pyproject),
so the client must never import the server's libraries, however its modules are reached."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER_ONLY = ("pydantic", "pydantic_settings", "psycopg", "psycopg_pool", "fastapi", "streamlit", "structlog")

# Runs in a fresh interpreter where importing any server-only package fails, as on a laptop.
PROBE = f"""
import importlib.abc, sys
class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {SERVER_ONLY!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}} (not installed with tracker-sync)")
        return None
sys.meta_path.insert(0, NotInstalled())
import timetracker.sync.__main__, timetracker.sync.syncer, timetracker.sync.oauth_login, timetracker.sync.token_store
print("imported")
"""


def test_the_sync_client_imports_without_the_servers_libraries() -> None:
    answer = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == "imported"
