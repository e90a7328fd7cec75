"""`python -m timetracker.sync [--config FILE] login|logout|status|run [--once]`

Config: the `<developer id>_config.toml` an admin generated (developer token inside), or a
config with just `[server] url` plus `login` (OAuth in the browser; the token is kept in the
keyring or a 0600 file).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import httpx

from timetracker.sync import config as sync_config
from timetracker.sync.oauth_login import login, revoke
from timetracker.sync.syncer import Sync
from timetracker.sync.token_store import TokenStore


def _config(args: argparse.Namespace) -> sync_config.SyncConfig:
    if args.config.exists():
        return sync_config.load(args.config, args.state_dir)
    if getattr(args, "server", None):
        return sync_config.from_dict({"server": {"url": args.server}}, args.state_dir)
    raise ValueError(f"no config at {args.config}; pass --config <file> (or login --server <url>)")


def _headers(config: sync_config.SyncConfig) -> dict[str, str]:
    if config.token:
        return {"Developer-ID": config.developer_id or "", "Authorization": f"Bearer {config.token}"}
    stored = TokenStore(config.state_dir, config.server_url).load()
    if not stored:
        raise ValueError("not logged in: run `login` first, or use a generated config with a developer token")
    return {"Authorization": f"Bearer {stored['access_token']}"}


def cmd_login(args: argparse.Namespace, config: sync_config.SyncConfig) -> int:
    result = login(config.server_url, open_browser=not args.no_browser)
    store = TokenStore(config.state_dir, config.server_url)
    store.save(result)
    if not args.config.exists():
        args.config.parent.mkdir(parents=True, exist_ok=True)
        args.config.write_text(f"[server]\nurl = {sync_config.toml_string(config.server_url)}\n")
    print(f"Logged in as {result.get('email') or 'you'}; token kept in {store.where}")
    return 0


def cmd_logout(args: argparse.Namespace, config: sync_config.SyncConfig) -> int:
    store = TokenStore(config.state_dir, config.server_url)
    stored = store.load()
    revoked = revoke(config.server_url, stored) if stored else True
    store.delete()
    if not stored:
        print("Was not logged in")
    elif revoked:
        print("Logged out; the token is revoked on the server")
    else:
        # Forgotten here either way; but a token the server still honours must not go unmentioned.
        print(
            f"Logged out here, but {config.server_url} could not be told: revoke the token"
            " 'ActivityWatch sync (login)' on its Profile page"
        )
        return 1
    return 0


def cmd_status(args: argparse.Namespace, config: sync_config.SyncConfig) -> int:
    sync = Sync(config, {})
    try:
        if config.token:
            who = f"developer {config.developer_id} (generated config)"
        else:
            stored = TokenStore(config.state_dir, config.server_url).load()
            who = f"{stored.get('email') or 'logged in'} (login)" if stored else "nobody (run login)"
        outbox = sync.outbox
        print(f"server:      {config.server_url}")
        print(f"identity:    {who}")
        print(f"queue:       {outbox.length()} events waiting")
        print(f"set aside:   {len(outbox.set_aside())} events refused by the server")
        print(f"dropped:     {outbox.get('dropped') or 0} (queue was full)")
        print(f"last sync:   {outbox.get('last_sync') or 'never'}")
        print(f"last error:  {outbox.get('last_error') or 'none'}")
    finally:
        sync.close()
    return 0


def cmd_run(args: argparse.Namespace, config: sync_config.SyncConfig) -> int:
    sync = Sync(config, _headers(config))
    try:
        if args.once:
            report = sync.run_once()
            print(
                f"queued {report.queued}, delivered {report.delivered}, set aside {report.set_aside},"
                f" waiting {sync.outbox.length()}" + (f"; error: {report.error}" if report.error else "")
            )
            return 0 if report.ok else 1
        sync.run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sync.close()
    return 0


COMMANDS = {"login": cmd_login, "logout": cmd_logout, "status": cmd_status, "run": cmd_run}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m timetracker.sync", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=sync_config.DEFAULT_CONFIG)
    parser.add_argument("--state-dir", type=Path, default=None, help="queue and login (default: ~/.local/state)")
    sub = parser.add_subparsers(dest="command", required=True)
    login_parser = sub.add_parser("login", help="sign in through the browser (OAuth + PKCE)")
    login_parser.add_argument("--server", help="server URL, when there is no config yet")
    login_parser.add_argument("--no-browser", action="store_true", help="print the URL instead of opening it")
    sub.add_parser("logout", help="revoke the token and forget it")
    sub.add_parser("status", help="who is logged in, queue length, last sync, last error")
    run_parser = sub.add_parser("run", help="sync every sync_interval (or once)")
    run_parser.add_argument("--once", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        config = _config(args)
        return COMMANDS[args.command](args, config)
    except (ValueError, httpx.HTTPError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
