"""Authorization codes: issued after the person signed in on the authorize page, redeemed
once at the token endpoint for a personal API token.

A code is 256 random bits, stored only as a digest in `internal.oauth_codes` (service path
only), valid for `oauth_code_ttl_seconds`, and burned on the first redemption attempt,
successful or not, so a leaked or replayed code is worth nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from timetracker import credentials
from timetracker.auth import api_tokens
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.oauth import CLIENT_ID
from timetracker.oauth.pkce import verifier_matches


class InvalidGrant(Exception):
    """RFC 6749 §5.2 invalid_grant: the code is unknown, used, expired or does not match."""


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    token_id: UUID
    user_id: UUID
    email: str | None


def issue(db: Database, user_id: UUID, redirect_uri: str, code_challenge: str, ttl_seconds: int) -> str:
    code = secrets.token_urlsafe(32)
    with db.as_service() as conn:
        # Spent and expired codes are worthless; clear them as new ones are made.
        conn.execute("delete from internal.oauth_codes where expires_at < now() - interval '1 hour'")
        conn.execute(
            "insert into internal.oauth_codes (code_hash, user_id, client_id, redirect_uri, code_challenge, expires_at)"
            " values (%s, %s, %s, %s, %s, now() + make_interval(secs => %s))",
            (credentials.digest(code), user_id, CLIENT_ID, redirect_uri, code_challenge, ttl_seconds),
        )
    return code


def redeem(db: Database, *, code: str, client_id: str, redirect_uri: str, code_verifier: str) -> IssuedToken:
    with db.as_service() as conn:
        row: dict[str, Any] | None = conn.execute(
            "update internal.oauth_codes set used_at = now()"
            " where code_hash = %s and used_at is null and expires_at > now()"
            " returning user_id, client_id, redirect_uri, code_challenge,"
            " (select lower(u.email) from auth.users u where u.id = user_id) as email",
            (credentials.digest(code),),
        ).fetchone()
    if row is None:
        raise InvalidGrant("the code is unknown, expired or already used")
    # Compare everything before deciding, so the answer does not say which part was wrong.
    checks = [
        secrets.compare_digest(row["client_id"], client_id),
        secrets.compare_digest(row["redirect_uri"].encode(), redirect_uri.encode()),
        verifier_matches(code_verifier, row["code_challenge"]),
    ]
    if not all(checks):
        raise InvalidGrant("the code does not match this client, redirect_uri or code_verifier")
    principal = Principal(user_id=row["user_id"], email=row["email"], via="api_token")
    token_row, token = api_tokens.create(db, principal, "ActivityWatch sync (login)")
    return IssuedToken(access_token=token, token_id=token_row["id"], user_id=row["user_id"], email=row["email"])
