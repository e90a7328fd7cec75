"""`python -m timetracker.devs generate --name ... --email ... --team <team uuid> --server ...`

Run where the server's settings are (same MASTER_SECRET / ACTIVITYWATCH_TOKEN_KEYS), so the
tokens verify there. With no flags it asks for each value.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

from timetracker.activitywatch.developer_tokens import TokenKeys
from timetracker.config import get_settings
from timetracker.devs import build_package


def _ask(prompt: str, given: str | None, ask: Callable[[str], str]) -> str:
    return given if given else ask(f"{prompt}: ").strip()


def main(argv: list[str] | None = None, ask: Callable[[str], str] = input) -> int:
    parser = argparse.ArgumentParser(prog="python -m timetracker.devs", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="make a developer's id, token and config files")
    gen.add_argument("--name")
    gen.add_argument("--email")
    gen.add_argument("--team", help="the team's id (uuid), from the Teams page")
    gen.add_argument("--server", help="the server URL developers send to, e.g. https://time.example.com")
    gen.add_argument("--out", type=Path, default=Path("."), help="folder for the three files")
    args = parser.parse_args(argv)
    try:
        name = _ask("Developer name", args.name, ask)
        email = _ask("Email", args.email, ask)
        team = UUID(_ask("Team id", args.team, ask))
        server = _ask("Server URL", args.server, ask)
        keys = TokenKeys.from_settings(get_settings())
        package = build_package(keys, name=name, email=email, team_id=team, server=server)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    paths = package.write(args.out)
    print(f"Created package for {name}\n  Developer ID: {package.developer_id}")
    for path in paths:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
