"""JWT verification: only tokens Supabase (or our local auth) signed for a signed-in user pass.

HS256 is the local / legacy Supabase path; ES256 with a JWKS is what Supabase signs with
today, so that path runs against a real JWKS document served over loopback HTTP.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import SecretStr

from tests.utils.jwks import KID, publishing_jwks
from tests.utils.net import free_port
from timetracker.auth.errors import AuthError
from timetracker.auth.tokens import TokenVerifier, issue_access_token
from timetracker.config import Settings
from timetracker.errors import Unauthorized, Unavailable

SECRET = "s" * 48


def local_settings(data_dir: Path, **overrides: Any) -> Settings:
    fields: dict[str, Any] = {"jwt_secret": SECRET, "supabase_url": "", "supabase_anon_key": "test-key", **overrides}
    return Settings(_env_file=None, data_dir=data_dir, **fields)


def user_claims(settings: Settings, **overrides: Any) -> dict[str, Any]:
    """The claims our auth server issues (decoded from a real token), with overrides."""
    token, _ = issue_access_token(
        settings,
        user_id=uuid.uuid4(),
        email="ana@example.com",
        session_id=uuid.uuid4(),
        app_metadata={},
        user_metadata={},
    )
    claims = jwt.decode(token, options={"verify_signature": False})
    return {key: value for key, value in {**claims, **overrides}.items() if value is not None}


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def refused(verifier: TokenVerifier, token: str) -> AuthError:
    with pytest.raises(AuthError) as caught:
        verifier.verify(token)
    assert isinstance(caught.value, Unauthorized)
    assert caught.value.code == "bad_jwt"
    return caught.value


# -- HS256: local auth and Supabase's legacy secret -------------------------------------


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return local_settings(tmp_path)


def test_issued_token_is_accepted(settings: Settings) -> None:
    claims = user_claims(settings)
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    verified = TokenVerifier(settings).verify(token)
    assert (verified["sub"], verified["role"], verified["aud"]) == (claims["sub"], "authenticated", "authenticated")


def test_expired_token_is_refused(settings: Settings) -> None:
    token, _ = issue_access_token(
        settings,
        user_id=uuid.uuid4(),
        email="a@b.co",
        session_id=uuid.uuid4(),
        app_metadata={},
        user_metadata={},
        now=0,
    )
    refused(TokenVerifier(settings), token)


def _hs256(secret: str = SECRET, **overrides: Any) -> Callable[[Settings], str]:
    return lambda settings: jwt.encode(user_claims(settings, **overrides), secret, algorithm="HS256")


def _unsigned(settings: Settings) -> str:
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(user_claims(settings))}."


def _tampered(settings: Settings) -> str:
    header, _, signature = jwt.encode(user_claims(settings), SECRET, algorithm="HS256").split(".")
    return f"{header}.{b64(user_claims(settings))}.{signature}"  # someone else's sub, old signature


def _es256_without_jwks(settings: Settings) -> str:
    return jwt.encode(user_claims(settings), ec.generate_private_key(ec.SECP256R1()), algorithm="ES256")


@pytest.mark.parametrize(
    "make_token",
    [
        _hs256(aud="anon"),
        _hs256(role="anon"),
        _hs256(role="service_role"),
        _hs256(secret="another-secret-of-sufficient-length-000000000"),
        _hs256(exp=None),
        _hs256(sub=None),
        _hs256(aud=None),
        _hs256(sub="not-a-uuid"),
        _unsigned,
        _tampered,
        _es256_without_jwks,
        lambda _: "not.a.jwt",
    ],
    ids=[
        "wrong-audience",
        "anon-role",
        "service-role",
        "wrong-secret",
        "no-exp",
        "no-sub",
        "no-aud",
        "sub-not-uuid",
        "alg-none",
        "tampered-payload",
        "es256-without-jwks",
        "garbage",
    ],
)
def test_bad_token_is_refused(settings: Settings, make_token: Callable[[Settings], str]) -> None:
    refused(TokenVerifier(settings), make_token(settings))


# -- ES256 through a JWKS, as Supabase's asymmetric signing keys -------------------------


@pytest.fixture(scope="module")
def signing_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def supabase_url(signing_key: ec.EllipticCurvePrivateKey) -> Iterator[str]:
    """A stand-in Supabase project publishing its public key where Supabase does."""
    with publishing_jwks(signing_key) as url:
        yield url


@pytest.fixture
def project_settings(tmp_path: Path, supabase_url: str) -> Settings:
    """Settings for that project: its tokens name `<SUPABASE_URL>/auth/v1` as their issuer."""
    return local_settings(tmp_path, supabase_url=supabase_url, supabase_anon_key="sb_publishable_test")


@pytest.fixture
def jwks_verifier(project_settings: Settings) -> TokenVerifier:
    return TokenVerifier(project_settings)


def _es256(key: Any, kid: str = KID, **overrides: Any) -> Callable[[Settings], str]:
    return lambda settings: jwt.encode(user_claims(settings, **overrides), key, algorithm="ES256", headers={"kid": kid})


def test_es256_token_is_verified_through_the_jwks(
    project_settings: Settings, jwks_verifier: TokenVerifier, signing_key: ec.EllipticCurvePrivateKey
) -> None:
    token = _es256(signing_key)(project_settings)
    assert jwks_verifier.verify(token)["sub"] == jwt.decode(token, options={"verify_signature": False})["sub"]


def _public_key_as_hmac_secret(signing_key: ec.EllipticCurvePrivateKey) -> Callable[[Settings], str]:
    # The classic algorithm confusion: an HS256 token keyed with the published public key.
    pem = signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64({"alg": "HS256", "typ": "JWT", "kid": KID})

    def make(settings: Settings) -> str:
        signing_input = f"{header}.{b64(user_claims(settings))}"
        signature = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"

    return make


@pytest.mark.parametrize(
    "case",
    ["other-key-same-kid", "unknown-kid", "expired", "public-key-as-hmac-secret", "another-issuer", "no-issuer"],
)
def test_bad_es256_token_is_refused(
    project_settings: Settings, jwks_verifier: TokenVerifier, signing_key: ec.EllipticCurvePrivateKey, case: str
) -> None:
    stranger = ec.generate_private_key(ec.SECP256R1())
    make_token = {
        "other-key-same-kid": _es256(stranger),
        "unknown-kid": _es256(signing_key, kid="rotated-away"),
        "expired": _es256(signing_key, exp=1, iat=0),
        "public-key-as-hmac-secret": _public_key_as_hmac_secret(signing_key),
        "another-issuer": _es256(signing_key, iss="https://other-project.supabase.co/auth/v1"),
        "no-issuer": _es256(signing_key, iss=None),
    }[case]
    refused(jwks_verifier, make_token(project_settings))


def test_an_anonymous_sign_in_is_refused_with_its_own_reason(
    project_settings: Settings, jwks_verifier: TokenVerifier, signing_key: ec.EllipticCurvePrivateKey
) -> None:
    """Supabase gives anonymous sign-ins genuine tokens; nothing in the product is theirs."""
    with pytest.raises(AuthError) as caught:
        jwks_verifier.verify(_es256(signing_key, is_anonymous=True)(project_settings))
    assert isinstance(caught.value, Unauthorized)
    assert caught.value.code == "anonymous_user"


def test_signing_keys_that_cannot_be_fetched_are_an_outage_not_a_bad_token(
    tmp_path: Path, signing_key: ec.EllipticCurvePrivateKey
) -> None:
    unreachable = f"http://127.0.0.1:{free_port()}"
    settings = local_settings(tmp_path, supabase_url=unreachable, supabase_anon_key="sb_publishable_test")
    with pytest.raises(AuthError) as caught:
        TokenVerifier(settings).verify(_es256(signing_key)(settings))
    assert isinstance(caught.value, Unavailable)
    assert caught.value.code == "auth_unavailable"
    assert caught.value.retry_after


def test_a_project_without_a_jwt_secret_refuses_hs256(tmp_path: Path, supabase_url: str) -> None:
    """A project that signs only with asymmetric keys: no JWT_SECRET, even in production."""
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        environment="production",
        supabase_url=supabase_url,
        supabase_anon_key="sb_publishable_test",
        master_secret="m" * 48,
        fernet_keys="A" * 43 + "=",
    )
    assert settings.jwt_secret.get_secret_value() == ""
    guessed = "g" * 48
    claims = user_claims(settings.model_copy(update={"jwt_secret": SecretStr(guessed)}))
    refused(TokenVerifier(settings), jwt.encode(claims, guessed, algorithm="HS256"))
