"""Machine credentials: random secrets shown once, stored only as a digest.

Device keys and personal API tokens carry 256 bits of randomness, so a fast SHA-256 digest
is the right storage (a slow password hash would only slow every request). Comparisons
are constant-time. The prefix says what a secret is for, so a leaked one is recognisable
by secret scanners and cannot be used in the wrong place.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

DEVICE_KEY_PREFIX = "ttd_"
API_TOKEN_PREFIX = "ttp_"  # noqa: S105 (a prefix, not a secret)


@dataclass(frozen=True)
class IssuedSecret:
    plaintext: str  # shown to the person once, never stored
    digest: str
    hint: str  # the last characters, to tell keys apart in lists


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(prefix: str) -> IssuedSecret:
    plaintext = prefix + secrets.token_urlsafe(32)
    return IssuedSecret(plaintext=plaintext, digest=digest(plaintext), hint="…" + plaintext[-4:])


def matches(secret: str, stored_digest: str) -> bool:
    return same_digest(digest(secret), stored_digest)


def same_digest(presented_digest: str, stored_digest: str) -> bool:
    """Whether two digests are equal, in time that does not depend on where they differ."""
    return hmac.compare_digest(presented_digest, stored_digest)


# Compared against when there is no stored digest, so "unknown device" and "wrong key"
# take the same time.
UNKNOWN_DIGEST = digest("no such credential")


def presented(authorization: str | None, scheme: str = "bearer") -> str | None:
    """The credential in an `Authorization: <scheme> <credential>` header, or None when the
    header is absent, names another scheme, or carries nothing. Every sender's header is read
    here: device keys, personal and developer tokens, WakaTime keys, the metrics token."""
    name, _, credential = (authorization or "").strip().partition(" ")
    credential = credential.strip()
    return credential if name.lower() == scheme and credential else None
