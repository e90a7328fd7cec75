"""A person's WakaTime connection: encrypted tokens, refresh before expiry, disconnect.

Writes run as the owner (RLS WITH CHECK); the encrypted token columns are write-only for
`authenticated`, so reading them back goes through `internal.wakatime_tokens` on the
service path. A refused refresh or access token turns the connection into
"reconnect_needed" instead of an error the person cannot act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from psycopg.errors import UniqueViolation
from psycopg.types.json import Jsonb

from timetracker.auth.principal import Principal
from timetracker.cipher import InvalidToken, TokenCipher
from timetracker.db import Database
from timetracker.wakatime.client import GrantRefused, TokenGrant, WakaTimeClient

STATUS_COLUMNS = "wakatime_uid, scope, expires_at, status, connected_at, updated_at, last_import_at, last_import_result"
# Refresh this long before the access token expires, so an import never starts with a dying token.
REFRESH_MARGIN = timedelta(minutes=10)


@dataclass(frozen=True)
class StoredTokens:
    access_token: str
    refresh_token: str | None
    expires_at: datetime | None
    status: str

    def __repr__(self) -> str:
        return f"StoredTokens(expires_at={self.expires_at!r}, status={self.status!r})"


def save_grant(db: Database, owner_id: UUID, grant: TokenGrant, cipher: TokenCipher) -> None:
    """Store a fresh grant (connect or refresh) encrypted; the connection is 'connected' again."""
    access = cipher.encrypt(grant.access_token)
    refresh = cipher.encrypt(grant.refresh_token) if grant.refresh_token else None
    # The token columns are write-only for `authenticated`, so "keep the old refresh token"
    # cannot be coalesce(new, old) in SQL, nor an upsert reading `excluded`: the column is
    # simply left out of the update.
    set_refresh = "refresh_token_encrypted = %s," if refresh else ""
    update = (
        f"update wakatime_connections set wakatime_uid = coalesce(%s, wakatime_uid), scope = %s,"
        f" access_token_encrypted = %s, {set_refresh} expires_at = %s, status = 'connected',"
        f" updated_at = now() where owner_id = %s"
    )
    update_values = (grant.uid, grant.scope, access, *([refresh] if refresh else []), grant.expires_at, owner_id)
    with db.as_person(owner_id) as conn:
        if conn.execute(update, update_values).rowcount:
            return
        try:
            with conn.transaction():  # a savepoint: another connect of this person may insert first
                conn.execute(
                    "insert into wakatime_connections"
                    " (wakatime_uid, scope, access_token_encrypted, refresh_token_encrypted, expires_at)"
                    " values (%s, %s, %s, %s, %s)",
                    (grant.uid, grant.scope, access, refresh, grant.expires_at),
                )
        except UniqueViolation:
            conn.execute(update, update_values)  # theirs arrived first: the newer grant replaces it


def status(db: Database, principal: Principal) -> dict[str, Any] | None:
    """The caller's connection without its tokens, or None when not connected."""
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            f"select {STATUS_COLUMNS} from wakatime_connections where owner_id = %s", (principal.user_id,)
        ).fetchone()


def stored_tokens(db: Database, owner_id: UUID, cipher: TokenCipher) -> StoredTokens | None:
    with db.as_service() as conn:
        row = conn.execute("select * from internal.wakatime_tokens(%s)", (owner_id,)).fetchone()
    if row is None:
        return None
    try:
        access = cipher.decrypt(row["access_token_encrypted"])
        refresh = cipher.decrypt(row["refresh_token_encrypted"]) if row["refresh_token_encrypted"] else None
    except InvalidToken:
        # Encrypted under a key no longer configured: unusable, so the person reconnects.
        mark_reconnect_needed(db, owner_id)
        return None
    return StoredTokens(access, refresh, row["expires_at"], row["status"])


def mark_reconnect_needed(db: Database, owner_id: UUID) -> None:
    with db.as_person(owner_id) as conn:
        conn.execute(
            "update wakatime_connections set status = 'reconnect_needed', updated_at = now() where owner_id = %s",
            (owner_id,),
        )


def refresh(db: Database, owner_id: UUID, client: WakaTimeClient, cipher: TokenCipher) -> str | None:
    """Refresh the grant now; the new access token, or None (and 'reconnect_needed') if refused."""
    tokens = stored_tokens(db, owner_id, cipher)
    if tokens is None or not tokens.refresh_token:
        mark_reconnect_needed(db, owner_id)
        return None
    try:
        grant = client.refresh(tokens.refresh_token)
    except GrantRefused:
        mark_reconnect_needed(db, owner_id)
        return None
    save_grant(db, owner_id, grant, cipher)
    return grant.access_token


def access_token(
    db: Database, owner_id: UUID, client: WakaTimeClient, cipher: TokenCipher, now: datetime | None = None
) -> str | None:
    """A usable access token, refreshed first when it expires within REFRESH_MARGIN; None when the
    person has to reconnect."""
    tokens = stored_tokens(db, owner_id, cipher)
    if tokens is None or tokens.status != "connected":
        return None
    if tokens.expires_at is not None and tokens.expires_at <= (now or datetime.now(UTC)) + REFRESH_MARGIN:
        return refresh(db, owner_id, client, cipher)
    return tokens.access_token


def record_import(db: Database, owner_id: UUID, result: dict[str, Any]) -> None:
    """Keep the import's result; `last_import_at` moves only when it finished without an error,
    so the daily import starts again from the last good import instead of skipping failed days."""
    with db.as_person(owner_id) as conn:
        conn.execute(
            "update wakatime_connections set last_import_result = %s,"
            " last_import_at = case when %s then now() else last_import_at end where owner_id = %s",
            (Jsonb(result), not result.get("error"), owner_id),
        )


def disconnect(db: Database, principal: Principal, client: WakaTimeClient, cipher: TokenCipher) -> dict[str, bool]:
    """Revoke the grant at WakaTime (best effort) and delete the tokens; imported time stays.

    Both tokens are revoked: a refresh token left alive could mint new access tokens."""
    tokens = stored_tokens(db, principal.user_id, cipher)
    revoked = False
    if tokens:
        revoked = all([client.revoke(token) for token in (tokens.access_token, tokens.refresh_token) if token])
    with db.as_user(principal.db_claims) as conn:
        deleted = conn.execute("delete from wakatime_connections where owner_id = %s", (principal.user_id,))
    return {"disconnected": deleted.rowcount == 1, "revoked_at_wakatime": revoked}


def reencrypt_under_first_key(db: Database, cipher: TokenCipher) -> dict[str, int]:
    """After a new key is put first in FERNET_KEYS: re-encrypt every stored token the first key
    cannot open yet, so the old keys can be removed. An admin job on the service path (the
    token columns are never readable as `authenticated`). Counts rotated and unreadable rows."""
    counts = {"rotated": 0, "unreadable": 0}
    if cipher.key_count == 1:
        return counts  # every readable token is under the only key already
    with db.as_service() as conn:
        rows = conn.execute(
            "select owner_id, access_token_encrypted, refresh_token_encrypted from wakatime_connections for update"
        ).fetchall()
        for row in rows:
            stored = [row["access_token_encrypted"], row["refresh_token_encrypted"]]
            if all(value is None or cipher.under_first_key(value) for value in stored):
                continue
            try:
                access, refresh = (None if value is None else cipher.rotate(value) for value in stored)
            except InvalidToken:
                counts["unreadable"] += 1  # under a key no longer listed: that person reconnects
                continue
            conn.execute(
                "update wakatime_connections set access_token_encrypted = %s, refresh_token_encrypted = %s"
                " where owner_id = %s",
                (access, refresh, row["owner_id"]),
            )
            counts["rotated"] += 1
    return counts
