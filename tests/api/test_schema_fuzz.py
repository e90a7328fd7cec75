"""Every operation of the API fuzzed from its own OpenAPI document, as a logged-in person.

schemathesis generates requests (valid and not) for each operation of the real server on
loopback; every answer must be a non-5xx, match the schema its operation documents, and
carry a status that operation declares. Seeded and bounded, so it runs the same way in
every test run and finishes in a minute or so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tests.utils.bearers import api_token
from tests.utils.users import TestUser, make_user

EXAMPLES_PER_OPERATION = 12
# This test server has no WakaTime app configured, and reaches no Toggl: its OAuth routes and
# its import from Toggl's API say so with a 503 by design.
NOT_CONFIGURED = ("wakatime_not_configured", "toggl_unavailable")


@schemathesis.check
def no_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    """No 5xx, but for the one answer that names a service this server is not set up for."""
    if response.status_code < 500:
        return None
    if response.status_code == 503 and any(reason in response.text for reason in NOT_CONFIGURED):
        return None
    raise AssertionError(f"{response.status_code} from {case.method} {case.path}: {response.text[:300]}")


CHECKS = [no_server_error, checks.response_schema_conformance, checks.status_code_conformance]


@pytest.fixture(scope="module")
def fuzzer(api_url: str, runtime: Any) -> Iterator[dict[str, str]]:
    """A person's personal API token: the fuzzer may call logout or revoke sessions without
    locking itself out, and its requests stay authenticated throughout."""
    person: TestUser = make_user(runtime, "fuzzer")
    with httpx.Client(base_url=api_url, timeout=30) as http:
        yield {"Authorization": f"Bearer {api_token(http, person)}"}


def test_every_operation_answers_within_its_contract(api_url: str, fuzzer: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_url(f"{api_url}/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def call(case: Any) -> None:
            case.call_and_validate(headers=fuzzer, checks=CHECKS, timeout=30)

        try:
            call()
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried; all failures reported
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:1500]}")
    assert operations > 50
    assert not failures, "\n\n".join(failures)
