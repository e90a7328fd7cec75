"""A stand-in Supabase project's signing keys: an ES256 key whose public half is published
where Supabase publishes it (`/auth/v1/.well-known/jwks.json`), on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from jwt.algorithms import ECAlgorithm

from tests.utils.net import free_port, serve

KID = "supabase-test-key"


@contextmanager
def publishing_jwks(signing_key: ec.EllipticCurvePrivateKey, kid: str = KID) -> Iterator[str]:
    """Serve the key's JWKS for the block; yield the project's URL (SUPABASE_URL)."""
    jwk = {**ECAlgorithm.to_jwk(signing_key.public_key(), as_dict=True), "kid": kid, "alg": "ES256", "use": "sig"}
    app = FastAPI()
    app.get("/auth/v1/.well-known/jwks.json")(lambda: {"keys": [jwk]})
    with serve(app, free_port()) as url:
        yield url
