"""Each kind of domain failure has one status, found along its ancestry; an auth failure answers
its kind's status, so the core never names one."""

from __future__ import annotations

import pytest

from api.errors import GOTRUE_STATUS_BY_ERROR, STATUS_BY_ERROR, status_of
from timetracker import errors
from timetracker.auth import errors as auth_errors
from timetracker.auth.errors import AuthError
from timetracker.errors import DomainError

KINDS = [
    kind
    for kind in vars(errors).values()
    if isinstance(kind, type) and issubclass(kind, DomainError) and kind is not DomainError
]
AUTH_KINDS = [
    kind
    for kind in vars(auth_errors).values()
    if isinstance(kind, type) and issubclass(kind, AuthError) and kind is not AuthError
]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_every_kind_has_a_status(kind: type[DomainError]) -> None:
    assert kind in STATUS_BY_ERROR


@pytest.mark.parametrize("kind", AUTH_KINDS, ids=lambda kind: kind.__name__)
def test_an_auth_failure_answers_its_kinds_status(kind: type[AuthError]) -> None:
    [domain_kind] = [base for base in kind.__mro__ if base in STATUS_BY_ERROR]
    failure = kind("some_code", "what went wrong", 1) if issubclass(kind, errors.RateLimited) else kind("c", "m")
    assert status_of(failure) == STATUS_BY_ERROR[domain_kind]
    assert isinstance(failure, domain_kind)


def test_gotrue_answers_a_conflict_with_422_and_every_other_kind_as_we_do() -> None:
    differing = {kind for kind in STATUS_BY_ERROR if GOTRUE_STATUS_BY_ERROR[kind] != STATUS_BY_ERROR[kind]}
    assert differing == {errors.Conflict}
    assert status_of(auth_errors.AuthConflict("user_already_exists", "taken"), GOTRUE_STATUS_BY_ERROR) == 422


def test_a_failure_of_no_kind_is_a_bad_request() -> None:
    assert status_of(DomainError("no kind")) == 400
