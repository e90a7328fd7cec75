"""Every table in `public`, the views over them and the functions that read for a team,
against every kind of caller (see rls_matrix.CASES)."""

from __future__ import annotations

import pytest

from tests.db.conftest import World
from tests.db.rls_matrix import ACTORS, CASES, Case, result


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("case", CASES, ids=[f"{case.table}: {case.name}" for case in CASES])
def test_rls_matrix(world: World, case: Case, actor: str) -> None:
    got = result(case, world.actor(actor), world)
    assert case.admits(actor, got), f"{actor} got {got}, expected {case.expected(actor)} (REFUSED = -1)"
