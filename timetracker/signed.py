"""Small signed tokens: `<payload>.<signature>`, the payload base64url JSON, the signature an
HMAC-SHA256 under a server secret with a purpose prefix, so a token made for one purpose can
never pass for another's (or for any other HMAC made from the same secret).

What a token means, when it expires and whether it may be used twice is the caller's: this
only proves the server wrote the payload.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


class BadSignature(ValueError):
    """Not written by this server for this purpose (or not a token at all)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: str, purpose: bytes, secret: str) -> str:
    return _b64(hmac.new(secret.encode(), purpose + payload.encode(), hashlib.sha256).digest())


def sign(claims: dict[str, Any], purpose: bytes, secret: str) -> str:
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{payload}.{_signature(payload, purpose, secret)}"


def unsign(token: str, purpose: bytes, secret: str) -> Any:
    """The claims of a token this server signed for `purpose`; BadSignature otherwise. The
    signature is checked (in constant time) before the payload is read."""
    payload, _, signature = (token or "").partition(".")
    if not payload or not hmac.compare_digest(signature.encode(), _signature(payload, purpose, secret).encode()):
        raise BadSignature("not signed by this server for this purpose")
    try:
        return json.loads(_unb64(payload))
    except ValueError as exc:  # bad base64, bad UTF-8 or bad JSON: all ValueErrors
        raise BadSignature("the signed payload cannot be read") from exc
