"""Developer ids: `john_doe_` + a short hash of the lower-cased email, exactly reproducible.

The name part is for people reading lists; the hash part makes the id unique per email.
A member claims the id by proving they own that email (a confirmed account email): the
generator form keeps the full email hash; an id made by the CLI (registered by its first
event, with no hash) is matched on its own short hash. Either way the server never stores
the email of someone who has no account.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from timetracker.emails import normalised_email

DEVELOPER_ID_PATTERN = r"^[a-z0-9][a-z0-9_]{0,62}_[0-9a-f]{8}$"
SHORT_HASH_LENGTH = 8
_NOT_NAME = re.compile(r"[^a-z0-9]+")
_DEVELOPER_ID = re.compile(DEVELOPER_ID_PATTERN)


def email_hash(email: str) -> str:
    """SHA-256 of the email as accounts store it (hex): trimmed, lower-cased, its domain in
    ASCII (what sql/0008's claim hashes). Raises InvalidEmail (a ValueError) for a non-address."""
    return hashlib.sha256(normalised_email(email).encode()).hexdigest()


def name_part(name: str) -> str:
    """ "John  Doe" -> "john_doe"; accents folded ("Zoë" -> "zoe"), anything else -> "_"."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return _NOT_NAME.sub("_", folded).strip("_")[:40] or "dev"


def developer_id(name: str, email: str) -> str:
    return f"{name_part(name)}_{email_hash(email)[:SHORT_HASH_LENGTH]}"


def is_developer_id(value: str) -> bool:
    # fullmatch: with match, "$" would also accept a trailing newline.
    return bool(_DEVELOPER_ID.fullmatch(value))
