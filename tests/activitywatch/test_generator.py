"""The developer package generator: reproducible files that parse and carry a valid token."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

from timetracker.activitywatch.developer_tokens import TokenKeys
from timetracker.config import Settings
from timetracker.devs import __main__ as devs_cli

TEAM = "0b9a6f3e-6f5c-4e4b-9c77-0d3f1a2b3c4d"
ARGS = ["--name", "John Doe", "--email", "john@company.com", "--team", TEAM, "--server", "https://time.example.com/"]


def generate(out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timetracker.devs", "generate", *ARGS, "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_cli_output_is_byte_for_byte_reproducible_and_valid(settings: Settings, tmp_path: Path) -> None:
    generate(tmp_path / "a")
    generate(tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 3
    dev_id = names[0].removesuffix("_config.toml")
    assert names == [f"{dev_id}_config.toml", f"{dev_id}_info.json", f"{dev_id}_instructions.txt"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()

    config = tomllib.loads((tmp_path / "a" / f"{dev_id}_config.toml").read_text())
    assert config["server"]["url"] == "https://time.example.com"
    assert config["server"]["developer_id"] == dev_id
    identity = TokenKeys.from_settings(settings).verify(dev_id, config["server"]["token"])
    assert identity is not None and str(identity.team_id) == TEAM
    assert config["sync"]["sync_interval"] == 300 and config["activitywatch"]["buckets"] == []
    assert ((tmp_path / "a" / f"{dev_id}_config.toml").stat().st_mode & 0o777) == 0o600

    info_text = (tmp_path / "a" / f"{dev_id}_info.json").read_text()
    info = json.loads(info_text)
    assert info["developer_id"] == dev_id and info["team_id"] == TEAM
    assert config["server"]["token"] not in info_text
    assert config["server"]["token"] not in (tmp_path / "a" / f"{dev_id}_instructions.txt").read_text()


def test_interactive_mode_asks_for_every_value(settings: Settings, tmp_path: Path) -> None:
    answers = iter(["Jane Roe", "jane@company.com", str(uuid.UUID(TEAM)), "https://time.example.com"])
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    assert devs_cli.main(["generate", "--out", str(tmp_path)], ask=ask) == 0
    assert len(prompts) == 4
    assert len(list(tmp_path.glob("jane_roe_*"))) == 3


def test_bad_team_id_is_a_clear_error(settings: Settings, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    argv = ["generate", *ARGS[:4], "--team", "not-a-uuid", "--server", "https://x", "--out", str(tmp_path)]
    assert devs_cli.main(argv) == 2
    assert "error" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
