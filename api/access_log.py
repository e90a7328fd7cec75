"""Keep credentials that travel in query strings out of uvicorn's access log.

Most credentials come in headers, which the access log never prints. A few cannot:
WakaTime plugins that only know `?api_key=`, and OAuth redirects whose `code` (and `state`)
arrive in the URL by the protocol's design. Their values are blanked in every access line.
"""

from __future__ import annotations

import logging
import re

SECRET_PARAMETERS = ("api_key", "code", "state", "token", "access_token", "refresh_token", "code_verifier")
SECRET_IN_QUERY = re.compile(r"([?&](?:" + "|".join(SECRET_PARAMETERS) + r")=)[^&\s\"]*", re.I)


def redact_query(text: str) -> str:
    return SECRET_IN_QUERY.sub(r"\1[redacted]", text)


class QuerySecretRedaction(logging.Filter):
    """uvicorn.access logs `'%s - "%s %s HTTP/%s" %d'` with the path and query among the args."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_query(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


def redact_query_secrets() -> None:
    """Install the filter once on uvicorn's access logger."""
    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(existing, QuerySecretRedaction) for existing in access_log.filters):
        access_log.addFilter(QuerySecretRedaction())
