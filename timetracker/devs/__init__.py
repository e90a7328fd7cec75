"""Developer packages: the id, the token and three files for one developer, reproducibly.

The same inputs (and the same signing key) always give byte-identical files: nothing in
them depends on the clock, the machine or a random number, so a lost config is simply
regenerated. `<id>_info.json` is for the admin's records and never holds the token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from timetracker import paths
from timetracker.activitywatch.developer_ids import developer_id, email_hash
from timetracker.activitywatch.developer_tokens import TokenKeys
from timetracker.emails import normalised_email
from timetracker.sync.config import toml_string

WEBHOOK_PATH = paths.ACTIVITYWATCH_WEBHOOK
DEFAULT_AW_URL = "http://localhost:5600"
DEFAULT_SYNC_INTERVAL = 300
DEFAULT_BATCH_SIZE = 100
DEFAULT_QUEUE_SIZE = 10000


@dataclass(frozen=True)
class DeveloperPackage:
    developer_id: str
    token: str
    files: dict[str, str]  # file name -> content

    def write(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, content in self.files.items():
            path = folder / name
            path.write_text(content, encoding="utf-8", newline="\n")
            if name.endswith("_config.toml"):
                path.chmod(0o600)  # it holds the token
            written.append(path)
        return written


def config_toml(name: str, dev_id: str, token: str, server: str) -> str:
    return "\n".join(
        [
            f"# ActivityWatch sync for {toml_string(name)[1:-1]} ({dev_id}).",
            "# Keep this file private: it holds your developer token.",
            "# Use it with: python -m timetracker.sync --config <this file> run",
            "",
            "[server]",
            f"url = {toml_string(server)}",
            f"webhook_path = {toml_string(WEBHOOK_PATH)}",
            f"developer_id = {toml_string(dev_id)}",
            f"token = {toml_string(token)}",
            "",
            "[activitywatch]",
            f"url = {toml_string(DEFAULT_AW_URL)}",
            '# Empty: every bucket of the local aw-server. Or list ids, e.g. ["aw-watcher-afk_myhost"].',
            "buckets = []",
            "",
            "[sync]",
            f"sync_interval = {DEFAULT_SYNC_INTERVAL}",
            f"batch_size = {DEFAULT_BATCH_SIZE}",
            f"offline_queue_size = {DEFAULT_QUEUE_SIZE}",
            "",
        ]
    )


def instructions(name: str, dev_id: str, server: str) -> str:
    return "\n".join(
        [
            f"ActivityWatch → Time Tracker: set-up for {name}",
            "",
            f"Your developer id: {dev_id}",
            f"Team server:       {server}",
            "",
            "1. Install and start ActivityWatch (https://activitywatch.net); check that",
            f"   {DEFAULT_AW_URL} shows your activity.",
            f"2. Save {dev_id}_config.toml somewhere private (it contains your token;",
            "   do not commit or share it).",
            "3. Install the sync client (pip install <this project>) and run:",
            f"     python -m timetracker.sync --config {dev_id}_config.toml run",
            "   It sends your ActivityWatch events every 5 minutes and keeps them in a local",
            "   queue while the server is unreachable. `status` shows what is waiting.",
            "4. Optional: sign up on the dashboard with the same email address and claim",
            f"   {dev_id} under ActivityWatch to see this data in My time.",
            "",
        ]
    )


def info_json(name: str, email: str, dev_id: str, team_id: UUID, server: str, key_version: int) -> str:
    info = {
        "developer_id": dev_id,
        "name": name,
        "email": normalised_email(email),
        "email_sha256": email_hash(email),
        "team_id": str(team_id),
        "server": server,
        "token_key_version": key_version,
        "files": [f"{dev_id}_config.toml", f"{dev_id}_instructions.txt"],
    }
    return json.dumps(info, indent=2, sort_keys=True) + "\n"


def build_package(keys: TokenKeys, *, name: str, email: str, team_id: UUID, server: str) -> DeveloperPackage:
    name = " ".join(name.split())
    server = server.strip().rstrip("/")
    if not name:
        raise ValueError("a developer needs a name")
    if not server.startswith(("https://", "http://")):
        raise ValueError("the server URL must start with https:// (or http:// for a local test)")
    dev_id = developer_id(name, email)
    token = keys.issue(team_id, dev_id)
    files = {
        f"{dev_id}_config.toml": config_toml(name, dev_id, token, server),
        f"{dev_id}_instructions.txt": instructions(name, dev_id, server),
        f"{dev_id}_info.json": info_json(name, email, dev_id, team_id, server, keys.current_version),
    }
    return DeveloperPackage(developer_id=dev_id, token=token, files=files)
