"""Access tokens in Supabase's shape: issued by the local auth server, verified everywhere.

Verification accepts what Supabase signs: HS256 with the project's JWT secret (legacy and
local), or ES256/RS256 with a `kid` whose public key is published at
`<SUPABASE_URL>/auth/v1/.well-known/jwks.json`. Expiry, audience and role are checked
before any claim is trusted; with Supabase Auth also the issuer (`<SUPABASE_URL>/auth/v1`).
A project that signs only with asymmetric keys needs no JWT secret: HS256 is then refused.

Supabase's anonymous sign-ins get real access tokens (`is_anonymous: true`), but every
part of the product belongs to an account, so they are refused. A JWKS that cannot be
fetched is an outage (Unavailable), not a bad token.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

import jwt

from timetracker.auth.errors import AuthUnauthorized, AuthUnavailable, invalid_token
from timetracker.config import Settings

AUDIENCE = "authenticated"
ASYMMETRIC_ALGORITHMS = ("ES256", "RS256")
LEEWAY_SECONDS = 30
JWKS_TIMEOUT_SECONDS = 10
RETRY_AFTER_SECONDS = 30


def anonymous_refused() -> AuthUnauthorized:
    return AuthUnauthorized(
        "anonymous_user",
        "Anonymous sign-ins cannot use Time Tracker: sign up or log in with an email address or a phone number",
    )


def signing_keys_unavailable() -> AuthUnavailable:
    return AuthUnavailable(
        "auth_unavailable",
        "Supabase Auth's signing keys cannot be fetched right now; retry later",
        retry_after=RETRY_AFTER_SECONDS,
    )


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self._secret = settings.jwt_secret.get_secret_value()
        # This server's own tokens are checked by signature alone: its issuer names whatever
        # port and host it was reached on.
        self._issuer = None if settings.uses_local_auth else settings.jwt_issuer
        self._jwks = (
            jwt.PyJWKClient(f"{settings.jwt_issuer}/.well-known/jwks.json", lifespan=600, timeout=JWKS_TIMEOUT_SECONDS)
            if settings.supabase_url
            else None
        )

    def verify(self, token: str) -> dict[str, Any]:
        """Return the claims of a valid access token, or raise AuthUnauthorized (AuthUnavailable
        when the project's signing keys cannot be fetched)."""
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
            if algorithm == "HS256" and self._secret:
                key: Any = self._secret
            elif algorithm in ASYMMETRIC_ALGORITHMS and self._jwks is not None:
                key = self._jwks.get_signing_key_from_jwt(token).key
            else:
                raise invalid_token("Unsupported token signature")
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=AUDIENCE,
                issuer=self._issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "sub", "aud", *(["iss"] if self._issuer else [])]},
            )
            UUID(claims["sub"])
        except jwt.PyJWKClientConnectionError as exc:
            raise signing_keys_unavailable() from exc
        except (jwt.PyJWTError, ValueError, KeyError) as exc:
            raise invalid_token() from exc
        if claims.get("role") != "authenticated":
            raise invalid_token("Token is not for a signed-in user")
        if claims.get("is_anonymous") is True:
            raise anonymous_refused()
        return claims


def issue_access_token(
    settings: Settings,
    *,
    user_id: UUID,
    email: str,
    session_id: UUID,
    app_metadata: dict[str, Any],
    user_metadata: dict[str, Any],
    now: int | None = None,
    authenticated_at: int | None = None,
) -> tuple[str, int]:
    """Sign an HS256 access token with Supabase's claim shape; return it and its expiry.

    `authenticated_at` is when the session began (the `amr` timestamp, as GoTrue keeps it
    across refreshes); a new login's token is issued at that moment.
    """
    issued_at = int(now if now is not None else time.time())
    expires_at = issued_at + settings.access_token_ttl_seconds
    claims = {
        "iss": settings.jwt_issuer,
        "sub": str(user_id),
        "aud": AUDIENCE,
        "exp": expires_at,
        "iat": issued_at,
        "email": email,
        "phone": "",
        "app_metadata": app_metadata,
        "user_metadata": user_metadata,
        "role": "authenticated",
        "aal": "aal1",
        "amr": [{"method": "password", "timestamp": authenticated_at if authenticated_at is not None else issued_at}],
        "session_id": str(session_id),
        "is_anonymous": False,
    }
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm="HS256"), expires_at
