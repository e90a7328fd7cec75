"""Every table and view of 0002/0003, the corrections of 0011 and the imported time of 0018,
against every kind of caller (see rls_matrix.CASES)."""

from __future__ import annotations

import pytest

from tests.db.conftest import World
from tests.db.rls_matrix import ACTORS, CASES, Case, result


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("case", CASES, ids=[f"{case.table}: {case.name}" for case in CASES])
def test_rls_matrix(world: World, case: Case, actor: str) -> None:
    assert result(case, world.actor(actor), world) == case.expected(actor)
