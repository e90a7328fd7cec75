"""Turn a bearer credential into a Principal: a verified access token of a live session, or
a personal API token."""

from __future__ import annotations

from uuid import UUID

from timetracker import credentials
from timetracker.auth import api_tokens
from timetracker.auth.errors import AuthUnauthorized, invalid_token
from timetracker.auth.principal import Principal
from timetracker.auth.sessions import SessionCheck
from timetracker.auth.tokens import TokenVerifier
from timetracker.db import Database


class Authenticator:
    def __init__(self, db: Database, verifier: TokenVerifier, sessions: SessionCheck) -> None:
        self.db = db
        self.verifier = verifier
        self.sessions = sessions

    def from_access_token(self, token: str) -> Principal:
        claims = self.verifier.verify(token)
        # After the signature: only a genuine token's session is looked up.
        started = self.sessions.started_at(claims)
        return Principal(
            user_id=UUID(claims["sub"]), email=claims.get("email"), via="jwt", claims=claims, authenticated_at=started
        )

    def from_bearer(self, token: str) -> Principal:
        if not token:
            raise AuthUnauthorized("no_authorization", "Missing bearer token")
        if token.startswith(credentials.API_TOKEN_PREFIX):
            owner = api_tokens.owner_of(self.db, token)
            if owner is None:
                raise invalid_token("Invalid or revoked API token")
            return Principal(user_id=owner, via="api_token")
        return self.from_access_token(token)
