"""Where `login` keeps the person's token: the system keyring when one is usable, else a
file only its owner can read (0600, created that way, never world-readable for a moment).

The token is a personal API token (ttp_…): it does not expire, so there is nothing to
refresh; `logout` revokes it on the server and deletes it here.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

SERVICE = "timetracker-sync"


def _keyring() -> Any | None:
    try:
        import keyring  # optional: absent on headless machines, where the file is used
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    # keyrings.alt's plaintext file is weaker than our own 0600 file: use ours instead.
    return None if type(backend).__name__ == "PlaintextKeyring" else keyring


class TokenStore:
    def __init__(self, state_dir: Path, server_url: str, *, use_keyring: bool = True) -> None:
        self.path = state_dir / "login.json"
        self.account = server_url.rstrip("/")
        self.keyring = _keyring() if use_keyring else None

    @property
    def where(self) -> str:
        return "system keyring" if self.keyring else str(self.path)

    def save(self, login: dict[str, Any]) -> None:
        text = json.dumps(login)
        if self.keyring:
            self.keyring.set_password(SERVICE, self.account, text)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # the mode above applies only when creating: tighten a file that was there
        with os.fdopen(fd, "w") as handle:
            handle.write(text)

    def load(self) -> dict[str, Any] | None:
        if self.keyring:
            text = self.keyring.get_password(SERVICE, self.account)
            return json.loads(text) if text else None
        return json.loads(self.path.read_text()) if self.path.exists() else None

    def delete(self) -> None:
        if self.keyring:
            with contextlib.suppress(Exception):  # already gone
                self.keyring.delete_password(SERVICE, self.account)
        self.path.unlink(missing_ok=True)
