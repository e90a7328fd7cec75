"""The local Supabase Auth (GoTrue) subset: accounts, sessions and refresh-token rotation.

Used when no SUPABASE_URL is configured, so the `supabase` client code that logs people
in runs unchanged against this server. Passwords are bcrypt hashes in `auth.users`;
refresh tokens are random and stored as SHA-256 digests; access tokens are HS256 JWTs in
Supabase's claim shape, naming their session (`session_id`), which every request checks
still exists (see sessions.py). Everything here runs on the service path (`as_service`).
The HTTP wire format lives in `api/routes/auth.py`.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from uuid import UUID

import bcrypt
import structlog

from timetracker import credentials
from timetracker.auth import confirmation
from timetracker.auth.errors import (
    AuthBadRequest,
    AuthConflict,
    AuthForbidden,
    AuthInvalidInput,
    AuthNotFound,
    AuthRateLimited,
)
from timetracker.auth.sessions import SessionCheck
from timetracker.auth.throttle import LoginThrottle, address_key_applies
from timetracker.auth.tokens import TokenVerifier, issue_access_token
from timetracker.config import Settings
from timetracker.db import Database
from timetracker.emails import InvalidEmail, normalised_email
from timetracker.errors import Unauthorized
from timetracker.mail import Mailer
from timetracker.ratelimit import RateLimit

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_BYTES = 72  # bcrypt ignores anything beyond 72 bytes; refuse rather than truncate
BCRYPT_ROUNDS = 10  # GoTrue's cost
# Verified against when the email is unknown, so both failures take the same time. It is the
# hash of a public string at BCRYPT_ROUNDS, written out: made at import, it cost every API
# worker and the dashboard 60 ms of their start.
_DUMMY_HASH = b"$2b$10$4YG42jlQYMQ.huHovXDTFOxghX4BZyHEav7MxIyPmzE47OgDNCxrC"

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
    def __init__(self, db: Database, settings: Settings, verifier: TokenVerifier, sessions: SessionCheck) -> None:
        self.db = db
        self.settings = settings
        self.verifier = verifier
        self.sessions = sessions
        # With SMTP, sign-ups wait for their mailed confirmation link (see confirmation.py).
        self.mailer = Mailer.from_settings(settings)
        self.throttle = LoginThrottle(db, settings)
        # Every sign-up that gets as far as bcrypt counts, successful or not.
        self.signup_limit = RateLimit(
            db,
            "signup",
            settings.signup_max_per_ip,
            settings.signup_window_seconds,
            settings.master_secret.get_secret_value(),
        )

    # -- accounts -------------------------------------------------------------------

    def sign_up(
        self,
        email: str,
        password: str,
        user_metadata: dict[str, Any] | None = None,
        client_address: str | None = None,
    ) -> AuthSession | AuthUser:
        """Create an account. `client_address` (HTTP callers) is limited per address and window.

        With SMTP: the account, unconfirmed, without a session (its confirmation link is mailed).
        Without: a session at once, the address confirmed without proof.
        """
        email = _normalise_email(email)
        _check_password(password)
        self._count_sign_up(client_address)
        hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()
        with self.db.as_service() as conn:
            if self.mailer is not None:
                row = confirmation.sign_up_unconfirmed(
                    conn, self.settings, self.mailer, USER_COLUMNS, email, hashed, user_metadata or {}
                )
                log.info("auth.sign_up", user_id=str(row["id"]), confirmed=False)
                return AuthUser(**row)
            row = conn.execute(
                f"insert into auth.users (email, encrypted_password, raw_user_meta_data, email_confirmed_at,"
                f" last_sign_in_at) values (%s, %s, %s::jsonb, now(), now())"
                f" on conflict (lower(email)) do nothing returning {USER_COLUMNS}",
                (email, hashed, json.dumps(user_metadata or {})),
            ).fetchone()
            if row is None:
                raise AuthConflict("user_already_exists", "User already registered")
            user = AuthUser(**row)
            confirmation.record_auto_confirmed(conn, user.id, user.email)
            session = self._start_session(conn, user)
        log.info("auth.sign_up", user_id=str(user.id))
        return session

    def _count_sign_up(self, client_address: str | None) -> None:
        if not address_key_applies(client_address):
            return
        assert client_address is not None  # address_key_applies says so
        wait = self.signup_limit.acquire(client_address)
        if wait:
            message = f"Too many sign-ups from this address. Try again in {wait} seconds."
            raise AuthRateLimited("over_request_rate_limit", message, wait)

    def password_grant(self, email: str, password: str, client_address: str) -> AuthSession:
        email = _login_email(email)
        # Counted before the password is checked (refused here with 429 once over the limit),
        # so parallel guesses cannot all reach bcrypt before the first failure is recorded.
        attempt = self.throttle.begin(email, client_address)
        with self.db.as_service() as conn:
            row = conn.execute(
                f"select {USER_COLUMNS}, encrypted_password from auth.users where lower(email) = %s", (email,)
            ).fetchone()
        # bcrypt outside the transaction: a flood of guesses does not hold pool connections.
        stored_hash = row.pop("encrypted_password").encode() if row else _DUMMY_HASH
        password_ok = bcrypt.checkpw(password.encode()[:MAX_PASSWORD_BYTES], stored_hash)
        if row is None or not password_ok:
            log.info("auth.login_failed", known_account=row is not None)
            raise AuthBadRequest("invalid_credentials", "Invalid login credentials")
        if row["email_confirmed_at"] is None:
            # GoTrue's answer until the mailed link is followed. The password was right: not a failure.
            self.throttle.succeeded(attempt)
            raise AuthBadRequest("email_not_confirmed", "Email not confirmed")
        with self.db.as_service() as conn:
            conn.execute("update auth.users set last_sign_in_at = now() where id = %s", (row["id"],))
            session = self._start_session(conn, AuthUser(**row))
        self.throttle.succeeded(attempt)
        return session

    def refresh_grant(self, refresh_token: str) -> AuthSession:
        """Rotate a refresh token. Reusing a rotated one (outside a short grace period for
        tabs refreshing at once) is treated as theft: the whole session is revoked."""
        token_hash = credentials.digest(refresh_token)
        with self.db.as_service() as conn:
            row = conn.execute(
                "select r.id, r.user_id, r.session_id, r.revoked, s.created_at as session_started_at,"
                " r.updated_at > now() - make_interval(secs => %s) as within_grace"
                " from auth.refresh_tokens r join auth.sessions s on s.id = r.session_id"
                " where r.token_hash = %s for update of r",
                (self.settings.refresh_token_reuse_seconds, token_hash),
            ).fetchone()
            if row is None:
                raise AuthBadRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found")
            reused = row["revoked"] and not row["within_grace"]
            if reused:
                # The session's access tokens stop with it: every request checks the session.
                conn.execute("delete from auth.sessions where id = %s", (row["session_id"],))
            else:
                conn.execute(
                    "update auth.refresh_tokens set revoked = true, updated_at = now() where id = %s", (row["id"],)
                )
                user = self._load_user(conn, row["user_id"])
                return self._issue(conn, user, row["session_id"], row["session_started_at"], parent_hash=token_hash)
        # Raised only once the transaction has committed: raising inside it would roll the
        # revocation back and leave the thief's session alive.
        log.warning("auth.refresh_token_reused", user_id=str(row["user_id"]))
        raise AuthBadRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used")

    def get_user(self, access_token: str) -> AuthUser:
        claims, _ = self._live_session(access_token)
        with self.db.as_service() as conn:
            return self._load_user(conn, UUID(claims["sub"]))

    def change_password(self, access_token: str, new_password: str) -> AuthUser:
        """Set a new password and end every other session of the account (as GoTrue does), so a
        token or refresh token taken before the change stops working at once.

        Needs a recent login: otherwise a stolen access token could lock its owner out.
        """
        claims, started_at = self._live_session(access_token)
        max_age = timedelta(minutes=self.settings.sensitive_action_max_session_age_minutes)
        if started_at is None or datetime.now(started_at.tzinfo) - started_at > max_age:
            raise AuthBadRequest(
                "reauthentication_needed",
                "Changing the password needs a recent login: log in again, then change it.",
            )
        _check_password(new_password)
        hashed = bcrypt.hashpw(new_password.encode(), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()
        user_id = UUID(claims["sub"])
        with self.db.as_service() as conn:
            conn.execute(
                "update auth.users set encrypted_password = %s, updated_at = now() where id = %s", (hashed, user_id)
            )
            conn.execute(
                "delete from auth.sessions where user_id = %s and id <> %s", (user_id, UUID(claims["session_id"]))
            )
            user = self._load_user(conn, user_id)
        log.info("auth.password_changed", user_id=str(user_id))
        return user

    def logout(self, access_token: str, scope: LogoutScope = "global") -> None:
        """End sessions by scope. Their access tokens stop with them (every request checks its
        session); a token whose session is already gone may still log out (nothing left to end)."""
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

    def _live_session(self, access_token: str) -> tuple[dict[str, Any], datetime | None]:
        """A valid token's claims and its session's start; GoTrue answers Forbidden when the session is gone."""
        claims = self.verifier.verify(access_token)
        try:
            started_at = self.sessions.started_at(claims)
        except Unauthorized as exc:
            raise AuthForbidden("session_not_found", "Session from session_id claim in JWT does not exist") from exc
        return claims, started_at

    def _load_user(self, conn: Any, user_id: UUID) -> AuthUser:
        row = conn.execute(f"select {USER_COLUMNS} from auth.users where id = %s", (user_id,)).fetchone()
        if row is None:
            raise AuthNotFound("user_not_found", "User from sub claim in JWT does not exist")
        return AuthUser(**row)

    def _start_session(self, conn: Any, user: AuthUser) -> AuthSession:
        session = conn.execute(
            "insert into auth.sessions (user_id) values (%s) returning id, created_at", (user.id,)
        ).fetchone()
        return self._issue(conn, user, session["id"], session["created_at"], parent_hash=None)

    def _issue(
        self, conn: Any, user: AuthUser, session_id: UUID, started_at: datetime, parent_hash: str | None
    ) -> AuthSession:
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
            authenticated_at=int(started_at.timestamp()),
        )
        return AuthSession(
            access_token=access_token,
            expires_in=self.settings.access_token_ttl_seconds,
            expires_at=expires_at,
            refresh_token=refresh_token,
            user=user,
        )


def _normalise_email(email: str) -> str:
    try:
        return normalised_email(email)
    except InvalidEmail as exc:
        raise AuthBadRequest("validation_failed", f"Unable to validate email address: {exc}") from exc


def _login_email(email: str) -> str:
    """The address to look the account up by: spelled as at sign-up (`Ana@Bücher.de` finds
    `ana@xn--bcher-kva.de`). Not an address at all: no account has it, and the answer is the
    same as for any unknown one."""
    try:
        return normalised_email(email)
    except InvalidEmail:
        return email.strip().lower()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise _weak_password(f"Password should be at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        raise _weak_password(f"Password should be at most {MAX_PASSWORD_BYTES} bytes.")


def _weak_password(message: str) -> AuthInvalidInput:
    # The client reads the `weak_password` object; without it, it reports an unknown error.
    return AuthInvalidInput("weak_password", message, extra={"weak_password": {"reasons": ["length"]}})
