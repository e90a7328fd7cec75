"""Keep credentials that travel in query strings out of uvicorn's access log.

Most credentials come in headers, which the access log never prints. A few cannot:
WakaTime plugins that only know `?api_key=`, and OAuth redirects whose `code` (and `state`)
arrive in the URL by the protocol's design. Their values are blanked in every access line.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

SECRET_PARAMETERS = frozenset(("api_key", "code", "state", "token", "access_token", "refresh_token", "code_verifier"))
QUERY_PARAMETER = re.compile(r"([?&])([^=&\s\"]*)=([^&\s\"]*)")


def redact_query(text: str) -> str:
    """Blank the value of every secret parameter, however its name is spelled: the server
    decodes `%61pi_key` and `api%5Fkey` to `api_key` too, so the log must as well."""

    def blank(match: re.Match[str]) -> str:
        separator, name, _ = match.groups()
        if unquote_plus(name).strip().lower() in SECRET_PARAMETERS:
            return f"{separator}{name}=[redacted]"
        return match.group(0)

    return QUERY_PARAMETER.sub(blank, text)


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
