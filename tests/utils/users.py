"""Make real accounts through the local auth server (bcrypt, auth.users, JWTs and all)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from timetracker.auth.local_server import AuthSession
from timetracker.auth.principal import Principal
from timetracker.runtime import Runtime

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class TestUser:
    __test__ = False  # not a pytest class

    email: str
    password: str
    principal: Principal
    access_token: str
    refresh_token: str

    @property
    def id(self) -> uuid.UUID:
        return self.principal.user_id

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def unique_email(name: str = "user") -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@example.com"


def make_user(runtime: Runtime, name: str = "user") -> TestUser:
    assert runtime.local_auth is not None
    email = unique_email(name)
    session = runtime.local_auth.sign_up(email, PASSWORD)
    assert isinstance(session, AuthSession)  # the shared server has no SMTP: signed in at once
    principal = runtime.authenticator.from_access_token(session.access_token)
    return TestUser(email, PASSWORD, principal, session.access_token, session.refresh_token)
