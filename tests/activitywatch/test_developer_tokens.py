"""Developer ids and stateless tokens: determinism, binding, tampering, rotation."""

from __future__ import annotations

import hmac
import uuid

import pytest
from pydantic import SecretStr

from timetracker.activitywatch.developer_ids import developer_id, email_hash, is_developer_id
from timetracker.activitywatch.developer_tokens import TokenKeys
from timetracker.config import Settings

OLD = b"o" * 40
NEW = b"n" * 40
TEAM = uuid.UUID("0b9a6f3e-6f5c-4e4b-9c77-0d3f1a2b3c4d")
OTHER_TEAM = uuid.UUID("1c8b7e4f-7a6d-4f5c-8d88-1e4a2b3c4d5e")


def test_developer_id_is_the_name_and_a_hash_of_the_lowercased_email() -> None:
    dev = developer_id("John  Doe", "John@Company.com ")
    assert dev == f"john_doe_{email_hash('john@company.com')[:8]}"
    assert dev == developer_id("John Doe", "john@company.com")
    assert developer_id("Zoë O'Brien", "z@x.io").startswith("zoe_o_brien_")
    assert is_developer_id(dev)
    assert not is_developer_id("john_doe_2025")
    with pytest.raises(ValueError):
        developer_id("John", "not-an-email")


def test_tokens_are_deterministic_and_verify_without_storage() -> None:
    keys = TokenKeys({1: OLD})
    token = keys.issue(TEAM, "john_doe_1a2b3c4d")
    assert token == TokenKeys({1: OLD}).issue(TEAM, "john_doe_1a2b3c4d")
    identity = keys.verify("john_doe_1a2b3c4d", token)
    assert identity is not None
    assert (identity.team_id, identity.key_version, identity.developer_id) == (TEAM, 1, "john_doe_1a2b3c4d")
    assert "2025" not in token and "2026" not in token


def test_another_secret_gives_another_token() -> None:
    assert TokenKeys({1: OLD}).issue(TEAM, "a_00000000") != TokenKeys({1: NEW}).issue(TEAM, "a_00000000")
    assert TokenKeys({1: NEW}).verify("a_00000000", TokenKeys({1: OLD}).issue(TEAM, "a_00000000")) is None


def test_token_is_bound_to_developer_and_team() -> None:
    keys = TokenKeys({1: OLD})
    token = keys.issue(TEAM, "john_doe_1a2b3c4d")
    assert keys.verify("jane_doe_1a2b3c4d", token) is None
    moved = token.replace(TEAM.hex, OTHER_TEAM.hex)
    assert moved != token
    assert keys.verify("john_doe_1a2b3c4d", moved) is None


@pytest.mark.parametrize("position", [-1, -10, 6, 20])
def test_any_tampered_character_is_refused(position: int) -> None:
    keys = TokenKeys({1: OLD})
    token = keys.issue(TEAM, "john_doe_1a2b3c4d")
    flipped = "A" if token[position] != "A" else "B"
    tampered = token[:position] + flipped + token[position + 1 :] if position != -1 else token[:-1] + flipped
    assert keys.verify("john_doe_1a2b3c4d", tampered) is None


MALFORMED = ["", "ttw_", "ttp_abc", "ttw_1_zz_abc", "x" * 90, "ttw_0_" + "0" * 32 + "_" + "a" * 43]


@pytest.mark.parametrize("token", MALFORMED)
def test_malformed_tokens_are_refused(token: str) -> None:
    assert TokenKeys({1: OLD}).verify("john_doe_1a2b3c4d", token) is None


def test_rotation_accepts_old_versions_until_retired() -> None:
    old_token = TokenKeys({1: OLD}).issue(TEAM, "dev_00000000")
    rotated = TokenKeys({1: OLD, 2: NEW})
    new_token = rotated.issue(TEAM, "dev_00000000")
    assert new_token.startswith("ttw_2_") and old_token.startswith("ttw_1_")
    assert rotated.verify("dev_00000000", old_token) is not None
    assert rotated.verify("dev_00000000", new_token).key_version == 2
    retired = TokenKeys({2: NEW})
    assert retired.verify("dev_00000000", old_token) is None
    assert retired.verify("dev_00000000", new_token) is not None
    # Claiming the old version with the new key's MAC is refused too.
    assert rotated.verify("dev_00000000", new_token.replace("ttw_2_", "ttw_1_")) is None


def test_keys_come_from_settings(settings: Settings) -> None:
    default = TokenKeys.from_settings(settings)
    assert default.versions == [1]
    token = default.issue(TEAM, "dev_00000000")
    listed = settings.model_copy(update={"activitywatch_token_keys": SecretStr(f"1:{OLD.decode()},3:{NEW.decode()}")})
    keys = TokenKeys.from_settings(listed)
    assert keys.versions == [1, 3] and keys.current_version == 3
    assert keys.verify("dev_00000000", token) is None  # version 1 is now OLD, not the master secret
    bad = settings.model_copy(update={"activitywatch_token_keys": SecretStr("1:short")})
    with pytest.raises(ValueError):
        TokenKeys.from_settings(bad)


def test_every_well_formed_token_costs_one_mac_and_one_constant_time_compare(monkeypatch: pytest.MonkeyPatch) -> None:
    """What timing could tell apart (a good token, a tampered one, another developer's, another
    team's, a retired version) takes the same path: one MAC, one hmac.compare_digest of two
    strings of one length, never `==`. No clock is read: the path is what is checked."""
    keys = TokenKeys({2: NEW})
    dev = "john_doe_1a2b3c4d"
    good = keys.issue(TEAM, dev)
    cases = {
        "good": (dev, good),
        "tampered": (dev, good[:-1] + ("A" if good[-1] != "A" else "B")),
        "other developer": ("jane_doe_1a2b3c4d", good),
        "other team": (dev, good.replace(TEAM.hex, OTHER_TEAM.hex)),
        "retired version": (dev, TokenKeys({1: OLD}).issue(TEAM, dev)),
    }
    real_compare, real_mac = hmac.compare_digest, TokenKeys.mac
    for name, (developer, token) in cases.items():
        compares: list[tuple[int, int]] = []
        macs: list[int] = []

        def compare(a: str, b: str, compares: list[tuple[int, int]] = compares) -> bool:
            compares.append((len(a), len(b)))
            return real_compare(a, b)

        def mac(self: TokenKeys, *args: object, macs: list[int] = macs) -> str:
            macs.append(1)
            return real_mac(self, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(hmac, "compare_digest", compare)
        monkeypatch.setattr(TokenKeys, "mac", mac)
        accepted = keys.verify(developer, token) is not None
        assert accepted == (name == "good"), name
        assert len(macs) == 1 and len(compares) == 1, name
        assert compares[0][0] == compares[0][1], name
