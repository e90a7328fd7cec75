"""The long-lived objects both front doors share, built once per process."""

from __future__ import annotations

from dataclasses import dataclass, field

from timetracker.activitywatch.developer_tokens import TokenKeys
from timetracker.auth.identify import Authenticator
from timetracker.auth.local_server import LocalAuthServer
from timetracker.auth.sessions import SessionCheck
from timetracker.auth.tokens import TokenVerifier
from timetracker.cipher import TokenCipher
from timetracker.config import Settings
from timetracker.db import Database, open_database
from timetracker.mail import Mailer
from timetracker.nfc.remembered_keys import RememberedKeys
from timetracker.startup_checks import refuse_local_auth_on_supabase


@dataclass
class Runtime:
    settings: Settings
    db: Database
    authenticator: Authenticator
    local_auth: LocalAuthServer | None  # None when real Supabase Auth is configured
    mailer: Mailer | None = None  # None without SMTP settings: nothing is mailed
    # NFC readers whose key this process has checked (their next event needs no lookup).
    reader_keys: RememberedKeys = field(default_factory=RememberedKeys)
    # Built once from the settings: secrets at rest (FERNET_KEYS), and the keys that sign
    # ActivityWatch developer tokens.
    cipher: TokenCipher = field(init=False)
    token_keys: TokenKeys = field(init=False)

    def __post_init__(self) -> None:
        self.cipher = TokenCipher.from_settings(self.settings)
        self.token_keys = TokenKeys.from_settings(self.settings)

    @classmethod
    def start(cls, settings: Settings, *, run_migrations: bool = True) -> Runtime:
        db = open_database(settings, run_migrations=run_migrations)
        try:
            refuse_local_auth_on_supabase(settings, db.admin_url)
        except BaseException:
            db.close()
            raise
        verifier = TokenVerifier(settings)
        # This server's own sessions are always in its database; Supabase's are when the
        # database is the project's (otherwise tokens are judged by their claims alone).
        sessions = SessionCheck(db) if settings.uses_local_auth else SessionCheck.for_supabase(db)
        local_auth = LocalAuthServer(db, settings, verifier, sessions) if settings.uses_local_auth else None
        return cls(settings, db, Authenticator(db, verifier, sessions), local_auth, Mailer.from_settings(settings))

    def close(self) -> None:
        self.db.close()
