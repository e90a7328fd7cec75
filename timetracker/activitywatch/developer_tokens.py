"""Stateless developer tokens: HMAC-SHA256 of (key version, team, developer id).

Format: `ttw_<version>_<team uuid hex>_<mac, base64url>`. The team and the version travel
in the token (they are not secret); the MAC binds them to the developer id, so changing any
part, or presenting the token with another Developer-ID, fails. Verification recomputes the
MAC under the key of the stated version and compares in constant time: no database lookup,
no storage, and no date inside (year-stamped tokens would die every 1 January).

Rotation: keys are versioned (settings.activitywatch_token_keys). New tokens use the highest
version; older versions keep verifying until an operator removes them from the list.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

if TYPE_CHECKING:
    # Only named: the settings import this module's parse_keys to check ACTIVITYWATCH_TOKEN_KEYS.
    from timetracker.config import Settings

TOKEN_PREFIX = "ttw_"  # noqa: S105 (a prefix, not a secret)
_TOKEN = re.compile(r"^ttw_([1-9][0-9]{0,5})_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$")
# Domain separation: the same master secret also feeds other keys; this label keeps the
# MACs of developer tokens from ever equalling anything else made from it.
_LABEL = b"timetracker activitywatch developer token"


@dataclass(frozen=True)
class DeveloperIdentity:
    developer_id: str
    team_id: UUID
    key_version: int


def parse_keys(listed: str) -> dict[int, bytes]:
    """ACTIVITYWATCH_TOKEN_KEYS, `<version>:<secret>,...`: each version once, each secret 32+ chars."""
    keys: dict[int, bytes] = {}
    for item in listed.split(","):
        version, sep, secret = item.strip().partition(":")
        if not sep or not version.isdigit() or int(version) < 1 or len(secret) < 32 or int(version) in keys:
            raise ValueError(
                "ACTIVITYWATCH_TOKEN_KEYS must be '<version>:<secret of 32+ chars>,...', each version once"
            )
        keys[int(version)] = secret.encode()
    return keys


class TokenKeys:
    """The versioned signing keys, parsed once from settings."""

    def __init__(self, keys: dict[int, bytes]) -> None:
        if not keys:
            raise ValueError("no developer-token keys configured")
        self._keys = dict(keys)
        self.current_version = max(keys)

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenKeys:
        listed = settings.activitywatch_token_keys.get_secret_value().strip()
        if not listed:
            return cls({1: settings.master_secret.get_secret_value().encode()})
        return cls(parse_keys(listed))

    @property
    def versions(self) -> list[int]:
        return sorted(self._keys)

    def mac(self, version: int, team_id: UUID, developer_id: str) -> str:
        message = b"\x00".join([_LABEL, str(version).encode(), team_id.hex.encode(), developer_id.encode()])
        digest = hmac.new(self._keys[version], message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def issue(self, team_id: UUID, developer_id: str) -> str:
        version = self.current_version
        return f"{TOKEN_PREFIX}{version}_{team_id.hex}_{self.mac(version, team_id, developer_id)}"

    def verify(self, developer_id: str, token: str) -> DeveloperIdentity | None:
        """The identity the token proves for `developer_id`, or None (malformed, wrong id,
        wrong team, unknown or retired version, tampered)."""
        match = _TOKEN.match(token)
        if match is None:
            return None
        version, team_hex, presented = int(match[1]), match[2], match[3]
        team_id = UUID(hex=team_hex)
        if version not in self._keys:
            # Still spend one MAC so a retired version is not told apart by timing.
            hmac.compare_digest(self.mac(self.current_version, team_id, developer_id), presented)
            return None
        if not hmac.compare_digest(self.mac(version, team_id, developer_id), presented):
            return None
        return DeveloperIdentity(developer_id=developer_id, team_id=team_id, key_version=version)


def looks_like_developer_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX)
