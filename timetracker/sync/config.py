"""The client's configuration: the TOML the generator writes (or one `login` completes)."""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timetracker import paths

DEFAULT_CONFIG = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "timetracker-sync" / "config.toml"
DEFAULT_STATE = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state")) / "timetracker-sync"


@dataclass(frozen=True)
class SyncConfig:
    server_url: str
    webhook_path: str = paths.ACTIVITYWATCH_WEBHOOK
    developer_id: str | None = None
    token: str | None = None  # a developer token from the generator; None: use the login's token
    aw_url: str = "http://localhost:5600"
    buckets: list[str] = field(default_factory=list)  # empty: all buckets
    sync_interval: float = 300.0
    batch_size: int = 100
    offline_queue_size: int = 10000
    state_dir: Path = DEFAULT_STATE
    # Retries: exponential backoff with jitter, never longer than this between tries.
    max_backoff: float = 600.0
    retry_base: float = 1.0
    max_retries: int = 3  # tries per delivery round; what is left waits for the next round
    request_timeout: float = 30.0

    @property
    def webhook_url(self) -> str:
        return self.server_url.rstrip("/") + self.webhook_path


def from_dict(raw: dict[str, Any], state_dir: Path | None = None) -> SyncConfig:
    server = raw.get("server", {})
    aw = raw.get("activitywatch", {})
    sync = raw.get("sync", {})
    if not server.get("url"):
        raise ValueError("the config needs [server] url")
    values: dict[str, Any] = {
        "server_url": str(server["url"]).rstrip("/"),
        "webhook_path": server.get("webhook_path", paths.ACTIVITYWATCH_WEBHOOK),
        "developer_id": server.get("developer_id"),
        "token": server.get("token"),
        "aw_url": str(aw.get("url", "http://localhost:5600")).rstrip("/"),
        "buckets": list(aw.get("buckets", [])),
    }
    for name in ("sync_interval", "max_backoff", "retry_base", "request_timeout"):
        if name in sync:
            values[name] = float(sync[name])
    for name in ("batch_size", "offline_queue_size", "max_retries"):
        if name in sync:
            values[name] = int(sync[name])
    if values.get("batch_size", 1) < 1 or values.get("offline_queue_size", 1) < 1:
        raise ValueError("batch_size and offline_queue_size must be at least 1")
    if state_dir is not None:
        values["state_dir"] = state_dir
    elif sync.get("state_dir"):
        values["state_dir"] = Path(sync["state_dir"]).expanduser()
    return SyncConfig(**values)


def load(path: Path, state_dir: Path | None = None) -> SyncConfig:
    with path.open("rb") as handle:
        return from_dict(tomllib.load(handle), state_dir)


def toml_string(value: str) -> str:
    # JSON's escaped ASCII string is also a valid TOML basic string.
    return json.dumps(value, ensure_ascii=True)
