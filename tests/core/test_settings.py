"""Settings: nothing to configure for a local run, nothing weak or missing in production."""

from __future__ import annotations

import json
import multiprocessing
import stat
import time
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from timetracker import config
from timetracker.config import Settings

STRONG = {"jwt_secret": "j" * 48, "master_secret": "m" * 48, "fernet_keys": Fernet.generate_key().decode()}


def settings(data_dir: Path, **fields: Any) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, **fields)


def test_development_generates_secrets_once_into_a_private_file(tmp_path: Path) -> None:
    first = settings(tmp_path)
    again = settings(tmp_path)

    path = tmp_path / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = json.loads(path.read_text())
    assert stored["jwt_secret"] == first.jwt_secret.get_secret_value() == again.jwt_secret.get_secret_value()
    assert first.master_secret.get_secret_value() == again.master_secret.get_secret_value()
    assert len(first.master_secret.get_secret_value()) >= 32


def _secrets_read_at_once(data_dir: Path, start: Barrier, answers: multiprocessing.SimpleQueue[str]) -> None:
    start.wait()
    answers.put(settings(data_dir).master_secret.get_secret_value())


def test_processes_starting_at_once_generate_one_set_of_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Four processes read their settings at the same moment on a first run. Making a secret
    # takes a while here, so that all of them would make their own, unless the first one's
    # keep the others waiting.
    new_secret = config._new_secret
    monkeypatch.setattr(config, "_new_secret", lambda name: (time.sleep(0.05), new_secret(name))[1])
    context = multiprocessing.get_context("fork")
    start, answers = context.Barrier(4), context.SimpleQueue()
    processes = [context.Process(target=_secrets_read_at_once, args=(tmp_path, start, answers)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    secrets = {answers.get() for _ in processes}
    assert secrets == {json.loads((tmp_path / "secrets.json").read_text())["master_secret"]}
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600


def test_production_refuses_to_start_without_its_secrets(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="JWT_SECRET, MASTER_SECRET, FERNET_KEYS must be set in production"):
        settings(tmp_path, environment="production")
    assert not (tmp_path / "secrets.json").exists()


@pytest.mark.parametrize("name", ["jwt_secret", "master_secret"])
def test_a_short_secret_is_refused_even_with_supabase(tmp_path: Path, name: str) -> None:
    fields = {**STRONG, name: "short", "supabase_url": "https://project.supabase.co"}
    with pytest.raises(ValidationError, match=f"{name.upper()} must be at least 32 characters") as refused:
        settings(tmp_path, environment="production", **fields)
    # The refusal is printed at start-up: it must not carry the settings it was given.
    assert not any(secret in str(refused.value) for secret in ("short", *STRONG.values()))


def test_production_with_strong_secrets_starts(tmp_path: Path) -> None:
    assert settings(tmp_path, environment="production", **STRONG).environment == "production"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("timer_target_pace_minutes", 0),
        ("timer_target_pace_minutes", -5.5),
        ("timer_target_pace_minutes", 0.05),  # below what the Timer page and the API accept
        ("timer_target_pace_minutes", 1441),  # beyond the sessions' check constraint
        ("timer_events_per_window", 0),  # the limiter would raise IndexError on every event
        ("timer_rate_window_seconds", 0),  # no window: no limit at all
    ],
)
def test_a_timer_setting_out_of_range_is_refused_at_startup(tmp_path: Path, name: str, value: float) -> None:
    with pytest.raises(ValidationError, match=name):
        settings(tmp_path, **{name: value})


def test_timer_settings_at_their_bounds_start(tmp_path: Path) -> None:
    edge = settings(tmp_path, timer_target_pace_minutes=1440, timer_events_per_window=1, timer_rate_window_seconds=1)
    assert (edge.timer_target_pace_minutes, edge.timer_events_per_window) == (1440, 1)
    assert settings(tmp_path, timer_target_pace_minutes=0.1).timer_target_pace_minutes == 0.1


SIGNING = "s" * 40


@pytest.mark.parametrize(
    "listed",
    [
        "short-secret",  # no version
        f"v2:{SIGNING}",
        f"0:{SIGNING}",
        "1:too-short",
        f"1:{SIGNING},1:{'t' * 40}",  # one version, two secrets: which one signs?
    ],
)
def test_malformed_activitywatch_token_keys_are_refused_at_startup_without_echoing_them(
    tmp_path: Path, listed: str
) -> None:
    with pytest.raises(ValidationError, match="ACTIVITYWATCH_TOKEN_KEYS must be") as refused:
        settings(tmp_path, activitywatch_token_keys=listed)
    assert SIGNING not in str(refused.value) and "too-short" not in str(refused.value)


def test_versioned_activitywatch_token_keys_start(tmp_path: Path) -> None:
    listed = f"1:{SIGNING}, 2:{'t' * 40}"
    assert settings(tmp_path, activitywatch_token_keys=listed).activitywatch_token_keys.get_secret_value() == listed


@pytest.mark.parametrize(
    ("smtp_from", "message"),
    [("", "SMTP_FROM must be set"), ("Time Tracker <\u202etime@example.com>", "SMTP_FROM is not an email address")],
)
def test_smtp_without_a_sender_is_refused_at_startup(tmp_path: Path, smtp_from: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as refused:
        settings(tmp_path, smtp_host="mail.example.com", smtp_from=smtp_from, smtp_password="smtp-secret")
    assert "smtp-secret" not in str(refused.value)


def test_smtp_with_a_sender_starts_and_sends_mail(tmp_path: Path) -> None:
    configured = settings(tmp_path, smtp_host="mail.example.com", smtp_from="Time Tracker <time@example.com>")
    assert configured.sends_mail and not settings(tmp_path).sends_mail
    assert (configured.smtp_port, configured.smtp_starttls) == (587, True)


@pytest.mark.parametrize("hours", [0, 24 * 90 + 1])  # no link at all; longer than the database allows
def test_an_invitation_ttl_out_of_range_is_refused_at_startup(tmp_path: Path, hours: int) -> None:
    with pytest.raises(ValidationError, match="invitation_ttl_hours"):
        settings(tmp_path, invitation_ttl_hours=hours)
    assert settings(tmp_path).invitation_ttl_hours == 168


@pytest.mark.parametrize(
    "key",
    ["sb_publishable_0123456789abcdefghijkl", "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlIn0.c2ln"],
)
def test_the_publishable_or_the_legacy_anon_key_is_taken(tmp_path: Path, key: str) -> None:
    chosen = settings(tmp_path, supabase_url="https://project.supabase.co", supabase_anon_key=key)
    assert chosen.supabase_anon_key.get_secret_value() == key


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("", "must be set with SUPABASE_URL"),
        ("sb_secret_0123456789abcdefghijkl", "is a secret key"),
        # A legacy service_role key: {"role": "service_role"}
        ("eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2ln", "is a secret key"),
    ],
)
def test_a_missing_or_secret_supabase_key_is_refused(tmp_path: Path, key: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as refused:
        settings(tmp_path, supabase_url="https://project.supabase.co", supabase_anon_key=key)
    assert not key or key not in str(refused.value)


def test_production_on_supabase_needs_no_jwt_secret(tmp_path: Path) -> None:
    """A project that signs only with asymmetric keys has none to give (tokens go through its JWKS)."""
    strong = {name: value for name, value in STRONG.items() if name != "jwt_secret"}
    chosen = settings(
        tmp_path,
        environment="production",
        supabase_url="https://project.supabase.co",
        supabase_anon_key="sb_publishable_0123456789abcdefghijkl",
        **strong,
    )
    assert chosen.jwt_secret.get_secret_value() == ""
    with pytest.raises(ValidationError, match="JWT_SECRET must be set in production"):
        settings(tmp_path, environment="production", **strong)
