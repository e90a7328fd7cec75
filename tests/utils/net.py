"""Loopback helpers: free ports and a real uvicorn server in a thread."""

from __future__ import annotations

import ipaddress
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from timetracker.auth.client_address import uvicorn_allow_ips


def outside_address() -> str:
    """A made-up client address, new on every call (from 2001:db8::/32, kept for documentation):
    throttles live in the shared database, so each test needs addresses no other test uses."""
    documentation = ipaddress.IPv6Network("2001:db8::/32")
    return str(documentation[secrets.randbits(96)])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(app: FastAPI, port: int, trusted_proxies: str = "") -> Iterator[str]:
    """Run `app` on 127.0.0.1:`port` for the duration of the block; yield its base URL.

    X-Forwarded-For is believed only from `trusted_proxies`, as entrypoint.sh configures
    uvicorn (whose own default would believe it from loopback, i.e. from every test)."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=uvicorn_allow_ips(trusted_proxies) or None,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
