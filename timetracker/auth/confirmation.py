"""Email confirmation for the local auth server (GoTrue's sign-up confirmation, without autoconfirm).

With SMTP set up, a sign-up creates an unconfirmed account and mails a link to the address;
following it confirms the address, and only then can the account log in. The link's secret is
random, single-use and expiring, and only its SHA-256 digest is kept
(`internal.email_confirmations`). Signing up again while unconfirmed sets the new password and
mails a new link (the older one stops working): whoever reads that mailbox decides which
password the account gets, and nobody can squat an address they cannot read.

Without SMTP every address is confirmed at once, as before, and marked as such in
`internal.auto_confirmed_emails`: the database then does not take that confirmation as proof
that the address belongs to the account (invitations need their link, sql/0012).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlencode
from uuid import UUID

from timetracker import credentials
from timetracker.auth.errors import AuthConflict, AuthServiceFailed
from timetracker.config import Settings
from timetracker.db import Database
from timetracker.mail import Mailer, MailError

# Says what a leaked secret is: an email confirmation link's.
CONFIRMATION_TOKEN_PREFIX = "ttc_"  # noqa: S105 (a prefix, not a secret)

ConfirmOutcome = Literal["confirmed", "expired", "invalid"]
# The dashboard's query parameter that carries the outcome back to the login page.
DASHBOARD_PARAMETER = "email_confirmation"


def record_auto_confirmed(conn: Any, user_id: UUID, email: str) -> None:
    """Say that this account's address was confirmed without any mail (so it proves nothing)."""
    conn.execute(
        "insert into internal.auto_confirmed_emails (user_id, email) values (%s, lower(%s))"
        " on conflict (user_id) do update set email = excluded.email",
        (user_id, email),
    )


def sign_up_unconfirmed(
    conn: Any,
    settings: Settings,
    mailer: Mailer,
    user_columns: str,
    email: str,
    password_hash: str,
    user_metadata: dict[str, Any],
) -> dict[str, Any]:
    """Create the account (or renew a still unconfirmed one) and mail it a confirmation link.

    Runs in the sign-up's transaction, mail included: when the mail cannot be sent, nothing is
    created (the person would wait for a mail that never comes). Returns the user row.
    """
    existing = conn.execute(
        "select id, email_confirmed_at from auth.users where lower(email) = %s for update", (email,)
    ).fetchone()
    if existing is not None and existing["email_confirmed_at"] is not None:
        raise AuthConflict("user_already_exists", "User already registered")
    if existing is None:
        row = conn.execute(
            "insert into auth.users (email, encrypted_password, raw_user_meta_data) values (%s, %s, %s::jsonb)"
            f" on conflict (lower(email)) do nothing returning {user_columns}",
            (email, password_hash, json.dumps(user_metadata)),
        ).fetchone()
        if row is None:  # signed up in parallel a moment ago: as if it had come first
            raise AuthConflict("user_already_exists", "User already registered")
    else:
        row = conn.execute(
            "update auth.users set encrypted_password = %s, raw_user_meta_data = %s::jsonb, updated_at = now()"
            f" where id = %s returning {user_columns}",
            (password_hash, json.dumps(user_metadata), existing["id"]),
        ).fetchone()
    url, expires_at = _new_link(conn, settings, row["id"], email)
    subject, body = confirmation_mail(settings, url, expires_at)
    try:
        mailer.send(email, subject, body)
    except MailError as exc:
        # GoTrue's answer when its mailer fails; the transaction is rolled back with it.
        raise AuthServiceFailed("unexpected_failure", "Error sending confirmation email") from exc
    return row


def _new_link(conn: Any, settings: Settings, user_id: UUID, email: str) -> tuple[str, datetime]:
    """A fresh confirmation link for the account; any older one stops working."""
    conn.execute("delete from internal.email_confirmations where user_id = %s", (user_id,))
    issued = credentials.issue(CONFIRMATION_TOKEN_PREFIX)
    expires_at = conn.execute(
        "insert into internal.email_confirmations (token_hash, user_id, email, expires_at)"
        " values (%s, %s, lower(%s), now() + make_interval(hours => %s)) returning expires_at",
        (issued.digest, user_id, email, settings.email_confirmation_ttl_hours),
    ).fetchone()["expires_at"]
    query = urlencode({"type": "signup", "token": issued.plaintext})
    return f"{settings.api_base_url}/auth/v1/verify?{query}", expires_at


def confirmation_mail(settings: Settings, url: str, expires_at: datetime) -> tuple[str, str]:
    subject = "Confirm your email address for Time Tracker"
    body = (
        f"Someone, hopefully you, signed up for Time Tracker ({settings.dashboard_base_url}) with this address.\n"
        f"To confirm it, open this link:\n\n{url}\n\n"
        f"It works once, until {expires_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC. Then log in with the password"
        " you chose.\n\n"
        "If it was not you, ignore this mail: the account stays unconfirmed and nobody can log in to it.\n"
    )
    return subject, body


def confirm(db: Database, token: str) -> ConfirmOutcome:
    """Follow a confirmation link. The link is spent either way; an expired one needs a new sign-up."""
    with db.as_service() as conn:
        row = conn.execute(
            "delete from internal.email_confirmations where token_hash = %s"
            " returning user_id, email, expires_at > now() as live",
            (credentials.digest(token),),
        ).fetchone()
        if row is None:
            return "invalid"
        if not row["live"]:
            return "expired"
        confirmed = conn.execute(
            "update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now()"
            " where id = %s and lower(email) = %s",
            (row["user_id"], row["email"]),
        ).rowcount
        if not confirmed:
            return "invalid"
        conn.execute("delete from internal.auto_confirmed_emails where user_id = %s", (row["user_id"],))
        conn.execute("delete from internal.email_confirmations where user_id = %s", (row["user_id"],))
    return "confirmed"
