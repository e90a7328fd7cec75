"""The long-lived objects both front doors share, built once per process."""

from __future__ import annotations

from dataclasses import dataclass

from timetracker.auth.identify import Authenticator
from timetracker.auth.local_server import LocalAuthServer
from timetracker.auth.tokens import TokenVerifier
from timetracker.config import Settings
from timetracker.db import Database, open_database


@dataclass
class Runtime:
    settings: Settings
    db: Database
    authenticator: Authenticator
    local_auth: LocalAuthServer | None  # None when real Supabase Auth is configured

    @classmethod
    def start(cls, settings: Settings, *, run_migrations: bool = True) -> Runtime:
        db = open_database(settings, run_migrations=run_migrations)
        verifier = TokenVerifier(settings)
        local_auth = LocalAuthServer(db, settings, verifier) if settings.uses_local_auth else None
        return cls(settings, db, Authenticator(db, verifier), local_auth)

    def close(self) -> None:
        self.db.close()
