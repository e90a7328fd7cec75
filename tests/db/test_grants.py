"""Every privilege the product's roles hold is granted by the migrations, never by a default.

A Supabase project created in 2026 gives `anon`, `authenticated` and `service_role` nothing
on new objects in `public`; the local shim (and older projects) give them everything. The
catalog is read, so a table or function added by any later migration is covered: on the
2026 project it must end up with exactly the privileges it has on the embedded database
this whole suite runs against, and those must be what the product means them to be.
"""

from __future__ import annotations

import psycopg
import pytest

from tests.utils.supabase_project import SupabaseProject
from timetracker.runtime import Runtime

API_ROLES = ("anon", "authenticated", "service_role")
PRODUCT_SCHEMAS = ("public", "internal")

# (schema, object, kind, grantee, privilege) for every API role and PUBLIC, on every table,
# view, sequence, column and function in the product's schemas.
PRIVILEGES = """
with grantees(oid, name) as (
  select 0::oid, 'PUBLIC' union all select oid, rolname from pg_roles where rolname = any(%(roles)s)
)
select n.nspname, c.relname, c.relkind::text, g.name, a.privilege_type
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
cross join lateral aclexplode(
  coalesce(c.relacl, acldefault((case c.relkind when 'S' then 's' else 'r' end)::"char", c.relowner))
) a
join grantees g on g.oid = a.grantee
where n.nspname = any(%(schemas)s) and c.relkind in ('r', 'p', 'v', 'm', 'S')
union all
select n.nspname, c.relname || '.' || att.attname, 'column', g.name, a.privilege_type
from pg_attribute att
join pg_class c on c.oid = att.attrelid
join pg_namespace n on n.oid = c.relnamespace
cross join lateral aclexplode(att.attacl) a
join grantees g on g.oid = a.grantee
where n.nspname = any(%(schemas)s) and att.attnum > 0 and not att.attisdropped
union all
select n.nspname, p.oid::regprocedure::text, 'function', g.name, a.privilege_type
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
cross join lateral aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
join grantees g on g.oid = a.grantee
where n.nspname = any(%(schemas)s)
"""

PRODUCT_TABLES = """
select c.relname, c.relkind::text, c.relrowsecurity, c.relforcerowsecurity
from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm')
"""

TRIGGER_FUNCTIONS = """
select p.oid::regprocedure::text from pg_proc p
where p.pronamespace = 'internal'::regnamespace and p.prorettype = 'trigger'::regtype
"""


def privileges(url: str, foreign: frozenset[str] = frozenset()) -> set[tuple[str, str, str, str, str]]:
    """The product's privileges; `foreign`: relations and functions in `public` that the
    project had before the product (the quickstart's), left out with their columns."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(PRIVILEGES, {"roles": list(API_ROLES), "schemas": list(PRODUCT_SCHEMAS)}).fetchall()
    return {row for row in rows if not (row[0] == "public" and (row[1] in foreign or row[1].split(".")[0] in foreign))}


@pytest.fixture(scope="module")
def on_supabase(supabase_project: SupabaseProject) -> set[tuple[str, str, str, str, str]]:
    return privileges(supabase_project.url, supabase_project.foreign_objects)


def test_a_2026_project_ends_with_the_privileges_of_the_embedded_database(
    runtime: Runtime, on_supabase: set[tuple[str, str, str, str, str]]
) -> None:
    embedded = privileges(runtime.db.admin_url)
    assert sorted(embedded - on_supabase) == []  # granted only by the shim's defaults
    assert sorted(on_supabase - embedded) == []


def test_every_product_table_is_reachable_by_people_and_by_nobody_anonymous(
    supabase_project: SupabaseProject, on_supabase: set[tuple[str, str, str, str, str]]
) -> None:
    with psycopg.connect(supabase_project.url) as conn:
        tables = [row for row in conn.execute(PRODUCT_TABLES) if row[0] not in supabase_project.foreign_objects]
    assert tables
    for name, kind, rls, forced in tables:
        held = {(who, what) for schema, obj, _, who, what in on_supabase if obj.split(".")[0] == name}
        assert any(who == "authenticated" for who, _ in held), f"authenticated can do nothing with {name}"
        assert not {who for who, _ in held} & {"anon", "PUBLIC"}, f"{name} is open without a login"
        assert not {what for _, what in held} & {"TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN"}, name
        if kind in ("r", "p"):
            assert rls and forced, f"{name}: RLS must be enabled and forced"


def test_functions_run_only_for_the_roles_granted_them(
    supabase_project: SupabaseProject, on_supabase: set[tuple[str, str, str, str, str]]
) -> None:
    with psycopg.connect(supabase_project.url) as conn:
        triggers = {row[0] for row in conn.execute(TRIGGER_FUNCTIONS)}
    functions = {obj for schema, obj, kind, _, _ in on_supabase if kind == "function"}
    executable = {(obj, who) for schema, obj, kind, who, _ in on_supabase if kind == "function"}
    assert functions
    for function in functions:
        assert (function, "PUBLIC") not in executable, f"{function} is executable by everyone"
        assert (function, "anon") not in executable, f"{function} is executable without a login"
    for trigger in triggers:
        assert not {who for obj, who in executable if obj == trigger}, f"{trigger} is called by its trigger alone"
