"""The local Supabase Auth (GoTrue) subset: accounts, sessions and refresh-token rotation.

Used when no SUPABASE_URL is configured, so the `supabase` client code that logs people
in runs unchanged against this server. Passwords are bcrypt hashes in `auth.users`;
refresh tokens are random and stored as SHA-256 digests; access tokens are HS256 JWTs in
Supabase's claim shape. Everything here runs on the service path (`as_service`). The HTTP
wire format lives in `api/routes/auth.py`.
"""

from __future__ import annotations

import ipaddress
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import bcrypt
import structlog

from timetracker import credentials
from timetracker.auth.errors import AuthError
from timetracker.auth.throttle import LoginThrottle
from timetracker.auth.tokens import TokenVerifier, issue_access_token
from timetracker.config import Settings
from timetracker.db import Database

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_BYTES = 72  # bcrypt ignores anything beyond 72 bytes; refuse rather than truncate
BCRYPT_ROUNDS = 10  # GoTrue's cost
EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = bcrypt.hashpw(b"never-a-real-password", bcrypt.gensalt(BCRYPT_ROUNDS))

log = structlog.get_logger(__name__)

LogoutScope = Literal["global", "local", "others"]


@dataclass(frozen=True)
class AuthUser:
    id: UUID
    email: str
    app_metadata: dict[str, Any]
    user_metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    email_confirmed_at: datetime | None
    last_sign_in_at: datetime | None


@dataclass(frozen=True)
class AuthSession:
    access_token: str
    expires_in: int
    expires_at: int
    refresh_token: str
    user: AuthUser


USER_COLUMNS = (
    "id, email, raw_app_meta_data as app_metadata, raw_user_meta_data as user_metadata, "
    "created_at, updated_at, email_confirmed_at, last_sign_in_at"
)


class LocalAuthServer:
    def __init__(self, db: Database, settings: Settings, verifier: TokenVerifier) -> None:
        self.db = db
        self.settings = settings
        self.verifier = verifier
        self.throttle = LoginThrottle(settings.login_max_failures, settings.login_lockout_seconds)
        # Every sign-up that gets as far as bcrypt counts, successful or not.
        self.signup_throttle = LoginThrottle(settings.signup_max_per_ip, settings.signup_window_seconds)

    # -- accounts -------------------------------------------------------------------

    def sign_up(
        self,
        email: str,
        password: str,
        user_metadata: dict[str, Any] | None = None,
        client_address: str | None = None,
    ) -> AuthSession:
        """Create an account. `client_address` (HTTP callers) is limited per address and window."""
        email = _normalise_email(email)
        _check_password(password)
        self._count_sign_up(client_address)
        hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()
        with self.db.as_service() as conn:
            row = conn.execute(
                f"insert into auth.users (email, encrypted_password, raw_user_meta_data, email_confirmed_at,"
                f" last_sign_in_at) values (%s, %s, %s::jsonb, now(), now())"
                f" on conflict (lower(email)) do nothing returning {USER_COLUMNS}",
                (email, hashed, json.dumps(user_metadata or {})),
            ).fetchone()
            if row is None:
                raise AuthError(422, "user_already_exists", "User already registered")
            user = AuthUser(**row)
            session = self._start_session(conn, user)
        log.info("auth.sign_up", user_id=str(user.id))
        return session

    def _count_sign_up(self, client_address: str | None) -> None:
        key = per_address_key(client_address)
        if key is None:
            return
        wait = self.signup_throttle.retry_after(key)
        if wait:
            message = f"Too many sign-ups from this address. Try again in {wait} seconds."
            raise AuthError(429, "over_request_rate_limit", message, wait)
        self.signup_throttle.record_failure(key)

    def password_grant(self, email: str, password: str, client_address: str) -> AuthSession:
        email = email.strip().lower()
        address_key = per_address_key(client_address)
        keys = (f"email:{email}",) if address_key is None else (f"email:{email}", address_key)
        wait = self.throttle.retry_after(*keys)
        if wait:
            raise AuthError(
                429, "over_request_rate_limit", f"Too many failed logins. Try again in {wait} seconds.", wait
            )
        with self.db.as_service() as conn:
            row = conn.execute(
                f"select {USER_COLUMNS}, encrypted_password from auth.users where lower(email) = %s", (email,)
            ).fetchone()
            stored_hash = row.pop("encrypted_password").encode() if row else _DUMMY_HASH
            password_ok = bcrypt.checkpw(password.encode()[:MAX_PASSWORD_BYTES], stored_hash)
            if row is None or not password_ok:
                self.throttle.record_failure(*keys)
                log.info("auth.login_failed", known_account=row is not None)
                raise AuthError(400, "invalid_credentials", "Invalid login credentials")
            conn.execute("update auth.users set last_sign_in_at = now() where id = %s", (row["id"],))
            session = self._start_session(conn, AuthUser(**row))
        self.throttle.reset(f"email:{email}")
        return session

    def refresh_grant(self, refresh_token: str) -> AuthSession:
        """Rotate a refresh token. Reusing a rotated one (outside a short grace period for
        tabs refreshing at once) is treated as theft: the whole session is revoked."""
        token_hash = credentials.digest(refresh_token)
        with self.db.as_service() as conn:
            row = conn.execute(
                "select id, user_id, session_id, revoked,"
                " updated_at > now() - make_interval(secs => %s) as within_grace"
                " from auth.refresh_tokens where token_hash = %s for update",
                (self.settings.refresh_token_reuse_seconds, token_hash),
            ).fetchone()
            if row is None:
                raise AuthError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found")
            reused = row["revoked"] and not row["within_grace"]
            if reused:
                conn.execute("delete from auth.sessions where id = %s", (row["session_id"],))
            else:
                conn.execute(
                    "update auth.refresh_tokens set revoked = true, updated_at = now() where id = %s", (row["id"],)
                )
                user = self._load_user(conn, row["user_id"])
                return self._issue(conn, user, row["session_id"], parent_hash=token_hash)
        # Raised only once the transaction has committed: raising inside it would roll the
        # revocation back and leave the thief's session alive.
        log.warning("auth.refresh_token_reused", user_id=str(row["user_id"]))
        raise AuthError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used")

    def get_user(self, access_token: str) -> AuthUser:
        claims = self.verifier.verify(access_token)
        with self.db.as_service() as conn:
            return self._load_user(conn, UUID(claims["sub"]))

    def logout(self, access_token: str, scope: LogoutScope = "global") -> None:
        claims = self.verifier.verify(access_token)
        user_id, session_id = claims["sub"], claims.get("session_id")
        with self.db.as_service() as conn:
            if scope == "global":
                conn.execute("delete from auth.sessions where user_id = %s", (user_id,))
            elif scope == "local":
                conn.execute("delete from auth.sessions where id = %s and user_id = %s", (session_id, user_id))
            else:
                conn.execute(
                    "delete from auth.sessions where user_id = %s and id is distinct from %s",
                    (user_id, session_id),
                )

    # -- internals ------------------------------------------------------------------

    def _load_user(self, conn: Any, user_id: UUID) -> AuthUser:
        row = conn.execute(f"select {USER_COLUMNS} from auth.users where id = %s", (user_id,)).fetchone()
        if row is None:
            raise AuthError(404, "user_not_found", "User from sub claim in JWT does not exist")
        return AuthUser(**row)

    def _start_session(self, conn: Any, user: AuthUser) -> AuthSession:
        session_id = conn.execute(
            "insert into auth.sessions (user_id) values (%s) returning id", (user.id,)
        ).fetchone()["id"]
        return self._issue(conn, user, session_id, parent_hash=None)

    def _issue(self, conn: Any, user: AuthUser, session_id: UUID, parent_hash: str | None) -> AuthSession:
        refresh_token = secrets.token_urlsafe(32)
        conn.execute(
            "insert into auth.refresh_tokens (token_hash, user_id, session_id, parent_hash) values (%s, %s, %s, %s)",
            (credentials.digest(refresh_token), user.id, session_id, parent_hash),
        )
        access_token, expires_at = issue_access_token(
            self.settings,
            user_id=user.id,
            email=user.email,
            session_id=session_id,
            app_metadata=user.app_metadata,
            user_metadata=user.user_metadata,
        )
        return AuthSession(
            access_token=access_token,
            expires_in=self.settings.access_token_ttl_seconds,
            expires_at=expires_at,
            refresh_token=refresh_token,
            user=user,
        )


def per_address_key(client_address: str | None) -> str | None:
    """The throttle key for a caller's address, or None when it names no one in particular.

    Loopback is this host: the dashboard's Streamlit process, through which every person
    logs in, or a local proxy that did not forward the client's address (uvicorn takes it
    from X-Forwarded-For when the peer is 127.0.0.1). Keying on it would let five wrong
    passwords from anyone lock out every dashboard user; the per-email key still applies.
    """
    if client_address is None:
        return None
    try:
        if ipaddress.ip_address(client_address).is_loopback:
            return None
    except ValueError:
        pass  # e.g. "unknown" or a socket path: still one key for all such callers
    return f"ip:{client_address}"


def _normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise AuthError(400, "validation_failed", "Unable to validate email address: invalid format")
    return email


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise _weak_password(f"Password should be at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        raise _weak_password(f"Password should be at most {MAX_PASSWORD_BYTES} bytes.")


def _weak_password(message: str) -> AuthError:
    # The client reads the `weak_password` object; without it, it reports an unknown error.
    return AuthError(422, "weak_password", message, extra={"weak_password": {"reasons": ["length"]}})
