"""Extra real servers for tests that need settings the shared app must not have.

A strict login throttle or a zero refresh-token grace period would break every other test
if the shared server had them, so such tests start their own Runtime and app on another
loopback port. Same database unless the settings say otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tests.utils.net import free_port, serve
from timetracker.config import Settings
from timetracker.runtime import Runtime


@dataclass(frozen=True)
class RunningApp:
    url: str
    runtime: Runtime

    @property
    def settings(self) -> Settings:
        return self.runtime.settings


def variant(settings: Settings, **overrides: Any) -> Settings:
    """`settings` with some fields changed and a port of its own (secrets stay the same)."""
    return settings.model_copy(update={"api_port": free_port(), **overrides})


@contextmanager
def running_app(settings: Settings) -> Iterator[RunningApp]:
    """Start a Runtime for `settings` and serve the real app on `settings.api_port`."""
    from api.main import create_app

    runtime = Runtime.start(settings)
    try:
        with serve(create_app(settings, runtime), settings.api_port, settings.trusted_proxies) as url:
            yield RunningApp(url, runtime)
    finally:
        runtime.close()
