"""A database shaped like a Supabase project created in 2026, in the embedded cluster.

Built from Supabase's own SQL, vendored in tests/fixtures/supabase/ (see its README): the
roles and `auth` schema of supabase/postgres's init scripts, then every migration of
supabase/auth (GoTrue) in order, so `auth.users`, `auth.sessions` and their neighbours have
the columns a real project has. Then what a 2026 project does differently: the API roles
get no default privileges in `public`. `db up` runs as a stand-in for the project's
`postgres`, which Supabase demotes to a non-superuser with the grants its own migrations give
it. On top, what a typical existing project already holds: the user-management quickstart's
`public.profiles` with its `on_auth_user_created` trigger, and accounts without an email (a
phone sign-up, an anonymous sign-in).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.types.json import Jsonb

from timetracker.db import migrate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "supabase"
GOTRUE_NAMESPACE = re.compile(r'\{\{\s*index \.Options "Namespace"\s*\}\}')
CREATES_ROLE = re.compile(r"^create (?:role|user)\s+(\w+)", re.IGNORECASE)
CREATES_EXTENSION = re.compile(r'^create extension if not exists "?([\w-]+)"?', re.IGNORECASE)
# The init script lets `authenticator` become the superuser; a later supabase/postgres
# migration (20221103090837_revoke_admin) takes that back. Roles are cluster-wide here, so
# it is never granted rather than granted and revoked.
GRANTS_SUPERUSER = re.compile(r"^grant supabase_admin\s+to\s+authenticator", re.IGNORECASE)

# Since 2026-05-30 new projects give the API roles nothing on new objects in `public`. (The
# stand-in for `postgres` below never had default privileges to revoke.)
SECURE_BY_DEFAULT = """
alter default privileges in schema public revoke all on tables from anon, authenticated, service_role;
alter default privileges in schema public revoke all on sequences from anon, authenticated, service_role;
alter default privileges in schema public revoke all on functions from anon, authenticated, service_role;
alter default privileges for user supabase_admin in schema public revoke all on tables
  from anon, authenticated, service_role;
alter default privileges for user supabase_admin in schema public revoke all on sequences
  from anon, authenticated, service_role;
alter default privileges for user supabase_admin in schema public revoke all on functions
  from anon, authenticated, service_role;
"""

# Supabase's user-management quickstart, as its docs give it.
QUICKSTART = """
create table public.profiles (
  id uuid references auth.users not null primary key,
  updated_at timestamp with time zone,
  username text unique,
  full_name text,
  avatar_url text,
  website text,
  constraint username_length check (char_length(username) >= 3)
);
alter table public.profiles enable row level security;
create policy "Public profiles are viewable by everyone." on public.profiles
  for select using (true);
create policy "Users can insert their own profile." on public.profiles
  for insert with check ((select auth.uid()) = id);
create policy "Users can update own profile." on public.profiles
  for update using ((select auth.uid()) = id);

create function public.handle_new_user()
returns trigger
set search_path = ''
as $$
begin
  insert into public.profiles (id, full_name, avatar_url)
  values (new.id, new.raw_user_meta_data->>'full_name', new.raw_user_meta_data->>'avatar_url');
  return new;
end;
$$ language plpgsql security definer;
create trigger on_auth_user_created
  after insert on auth.users
  for each row execute procedure public.handle_new_user();
"""

QUICKSTART_OBJECTS = """
select (select count(*) from information_schema.columns where table_schema = 'public' and table_name = 'profiles')
       as profile_columns,
       (select count(*) from pg_trigger where tgrelid = 'auth.users'::regclass and tgname = 'on_auth_user_created'
          and tgfoid = 'public.handle_new_user()'::regprocedure) as quickstart_triggers
"""


def statements(sql: str) -> Iterator[str]:
    """The statements of an init script: `;` at a line's end, outside `$$` bodies."""
    current: list[str] = []
    in_body = False
    for line in sql.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current.append(line)
        if line.count("$$") % 2:
            in_body = not in_body
        if not in_body and line.rstrip().endswith(";"):
            yield "\n".join(current)
            current = []


def _run_init_script(conn: psycopg.Connection, sql: str) -> None:
    roles = {row[0] for row in conn.execute("select rolname from pg_roles")}
    extensions = {row[0] for row in conn.execute("select name from pg_available_extensions")}
    for statement in statements(sql):
        first = statement.strip()
        if (role := CREATES_ROLE.match(first)) and role.group(1) in roles:
            continue  # made by another database of this cluster
        if (extension := CREATES_EXTENSION.match(first)) and extension.group(1) not in extensions:
            continue  # pgjwt: not in the embedded server, and nothing here uses it
        if GRANTS_SUPERUSER.match(first):
            continue
        conn.execute(statement.encode())


@dataclass(frozen=True)
class SupabaseProject:
    url: str  # the project's `postgres` login (DATABASE_URL), which is no superuser there
    # Relations and functions in `public` before the product came: none of them is the product's.
    foreign_objects: frozenset[str]
    phone_user: uuid.UUID  # signed up (without an email) before the first `db up`
    migrations_per_run: tuple[list[str], list[str]]

    @property
    def app_url(self) -> str:
        """The request pool's login, as Supabase's PostgREST logs in: `authenticator`."""
        return make_conninfo(self.url, user="authenticator")


PUBLIC_OBJECTS = """
select c.relname from pg_class c where c.relnamespace = 'public'::regnamespace
union all select p.oid::regprocedure::text from pg_proc p where p.pronamespace = 'public'::regnamespace
"""


# Supabase demotes `postgres` (supabase/postgres: 10000000000000_demote-postgres,
# 20220609081115_grant-supabase-auth-admin-…-to-postgres, 20230201083204_grant_auth_roles_to_postgres).
# This cluster's `postgres` is its superuser, so a role of another name stands in for it.
PROJECT_POSTGRES = "project_postgres"
DEMOTED_POSTGRES = """
grant all on database "{database}" to {role};
grant all on schema auth, extensions, public to {role};
grant all on all tables in schema auth to {role};
grant all on all sequences in schema auth to {role};
grant all on all routines in schema auth to {role};
grant supabase_auth_admin to {role};
grant anon, authenticated, service_role to {role};
"""


def create_supabase_project(admin_url: str) -> SupabaseProject:
    """A 2026 Supabase project's database with a phone user, then `db up` twice as its
    (non-superuser) `postgres`."""
    superuser_url = _new_project_database(admin_url)
    url = _as_demoted_postgres(superuser_url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(QUICKSTART.encode())  # run in the SQL editor, as `postgres`
    phone_user, _ = add_gotrue_user(url, phone="15550100")
    with psycopg.connect(url) as conn:
        foreign = frozenset(row[0] for row in conn.execute(PUBLIC_OBJECTS))
    runs = (migrate.apply_all(url), migrate.apply_all(url))
    return SupabaseProject(url, foreign, phone_user, runs)


def _as_demoted_postgres(superuser_url: str) -> str:
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        if conn.execute("select 1 from pg_roles where rolname = %s", (PROJECT_POSTGRES,)).fetchone() is None:
            conn.execute(f"create role {PROJECT_POSTGRES} nosuperuser createdb createrole login replication bypassrls")
        database = conninfo_to_dict(superuser_url)["dbname"]
        conn.execute(DEMOTED_POSTGRES.format(database=database, role=PROJECT_POSTGRES).encode())
    return make_conninfo(superuser_url, user=PROJECT_POSTGRES)


def _new_project_database(admin_url: str) -> str:
    """A new database shaped like a 2026 Supabase project; its superuser URL."""
    name = f"supabase_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
        if conn.execute("select 1 from pg_roles where rolname = 'supabase_admin'").fetchone() is None:
            conn.execute("create role supabase_admin login superuser")
    url = make_conninfo(admin_url, dbname=name)
    with psycopg.connect(url, autocommit=True) as conn:
        for script in sorted((FIXTURES / "postgres").glob("*.sql")):
            _run_init_script(conn, script.read_text())
        for migration in sorted((FIXTURES / "auth").glob("*.up.sql")):
            conn.execute(GOTRUE_NAMESPACE.sub("auth", migration.read_text()).encode())
        conn.execute(SECURE_BY_DEFAULT.encode())
    return url


def drop_database(admin_url: str, url: str) -> None:
    name = conninfo_to_dict(url)["dbname"]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'drop database "{name}" with (force)')


def add_gotrue_user(
    url: str, *, email: str | None = None, phone: str | None = None, anonymous: bool = False
) -> tuple[uuid.UUID, uuid.UUID]:
    """An account as GoTrue writes it (no email for phone and anonymous sign-ups) with one
    live session: (user id, session id)."""
    user_id, session_id = uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password,"
            " email_confirmed_at, raw_app_meta_data, raw_user_meta_data, is_anonymous, created_at, updated_at)"
            " values ('00000000-0000-0000-0000-000000000000', %s, 'authenticated', 'authenticated', %s, %s, '',"
            " case when %s::text is null then null else now() end, %s, '{}', %s, now(), now())",
            (
                user_id,
                email,
                phone,
                email,
                Jsonb({"provider": "email" if email else "phone"}),
                anonymous,
            ),
        )
        conn.execute(
            "insert into auth.sessions (id, user_id, created_at, updated_at, aal)"
            " values (%s, %s, now(), now(), 'aal1')",
            (session_id, user_id),
        )
    return user_id, session_id
