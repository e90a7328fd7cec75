-- Every privilege the API roles hold on the product's tables, granted here explicitly.
--
-- Supabase projects created since mid-2026 give `anon`, `authenticated` and `service_role`
-- no privileges on new tables in `public` (older projects, and the local shim, grant them
-- everything by default). Both must end up the same, so from here on no migration relies on
-- default privileges either way: each new table is first stripped of every grant by
-- `internal.secure_table` (which also enables and forces RLS), then granted exactly what each
-- role needs, per table and column; each new function in `internal` is revoked from PUBLIC
-- and granted to the roles that call it.
--
-- `anon` gets nothing: nothing in the product is read or written without a login.
-- `service_role` (RLS bypassed) is the auth server, credential lookups and admin jobs.

-- Existing installs: the product's profile table and its sign-up trigger used the names a
-- Supabase quickstart uses (`public.profiles`, `on_auth_user_created`); a new install gets
-- the prefixed names from the start.
do $$
begin
  if to_regclass('public.tracker_profiles') is null then
    alter table public.profiles rename to tracker_profiles;
    alter index public.profiles_pkey rename to tracker_profiles_pkey;
  end if;
  if exists (
    select from pg_trigger t
    where t.tgrelid = 'auth.users'::regclass and t.tgname = 'on_auth_user_created'
      and t.tgfoid = 'internal.on_user_created()'::regprocedure
  ) then
    alter trigger on_auth_user_created on auth.users rename to tracker_on_auth_user_created;
  end if;
end
$$;

-- Accounts without an email (phone sign-ups, anonymous sign-ins) have a profile without one.
alter table public.tracker_profiles alter column email drop not null;

create or replace function internal.on_user_created() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.tracker_profiles (id, email, display_name)
  values (new.id, lower(new.email),
          coalesce(new.raw_user_meta_data ->> 'display_name', split_part(new.email, '@', 1), ''))
  on conflict (id) do nothing;
  return new;
end
$$;

create or replace function internal.shares_notes(person uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce((select p.share_notes from public.tracker_profiles p where p.id = person), false)
$$;

-- A new table starts from nothing: RLS on and forced, and no privilege for any API role or
-- PUBLIC (nor on the sequences it owns), whatever the schema's default privileges say.
create function internal.secure_table(p_table regclass) returns void
language plpgsql set search_path = ''
as $$
declare
  sequence_name regclass;
begin
  execute format('revoke all on %s from public, anon, authenticated, service_role', p_table);
  if (select c.relkind from pg_catalog.pg_class c where c.oid = p_table) in ('r', 'p') then
    execute format('alter table %s enable row level security', p_table);
    execute format('alter table %s force row level security', p_table);
  end if;
  for sequence_name in
    select d.objid::regclass from pg_catalog.pg_depend d
    join pg_catalog.pg_class s on s.oid = d.objid and s.relkind = 'S'
    where d.refobjid = p_table and d.classid = 'pg_catalog.pg_class'::regclass and d.deptype in ('a', 'i')
  loop
    execute format('revoke all on sequence %s from public, anon, authenticated, service_role', sequence_name);
  end loop;
end
$$;
revoke execute on function internal.secure_table(regclass) from public;

-- The local shim granted the API roles everything by default; new tables now get nothing
-- there either, as on Supabase. (On Supabase the project's own defaults are left as they are.)
do $$
begin
  if exists (select from internal.schema_migrations m where m.name = '0001_supabase_auth_shim.sql' and not m.skipped) then
    alter default privileges in schema public revoke all on tables from anon, authenticated, service_role;
    alter default privileges in schema public revoke all on sequences from anon, authenticated, service_role;
    alter default privileges in schema public revoke all on functions from anon, authenticated, service_role;
  end if;
end
$$;

grant usage on schema public to authenticated, service_role;

select internal.secure_table(t::regclass) from unnest(array[
  'public.tracker_profiles', 'public.teams', 'public.team_members', 'public.team_invitations',
  'public.invitation_links', 'public.devices', 'public.tags', 'public.device_events', 'public.device_attempts',
  'public.api_tokens', 'public.device_status', 'public.nfc_intervals', 'public.timer_sessions',
  'public.timer_questions', 'public.timer_state', 'public.timer_events', 'public.developers', 'public.aw_events',
  'public.wakatime_connections', 'public.wakatime_oauth_states', 'public.wakatime_durations',
  'public.wakatime_day_totals', 'public.heartbeats', 'public.heartbeat_settings', 'public.time_entries',
  'public.time_exclusions', 'public.correction_notes', 'public.time_edits'
]) as t;

-- People and teams. Profiles are made by the sign-up trigger; people edit a few columns.
grant select on public.tracker_profiles to authenticated;
grant update (display_name, timezone, source_precedence, open_interval_cap_hours, share_notes, updated_at)
  on public.tracker_profiles to authenticated;
grant select, insert, delete on public.teams, public.team_members to authenticated;
grant update (name) on public.teams to authenticated;
grant update (role) on public.team_members to authenticated;
grant select, insert, update, delete on public.team_invitations to authenticated;
-- Never the token digests; links are written through internal.invite_to_team only.
grant select (id, team_id, email, invited_by, created_at, expires_at, used_at, used_by)
  on public.invitation_links to authenticated;

-- Readers and API tokens: owners never read the key or token digests back.
grant insert, delete on public.devices, public.api_tokens to authenticated;
grant select (id, owner_id, device_id, name, key_hint, created_at, rotated_at, revoked_at) on public.devices
  to authenticated;
grant update (name, key_hash, key_hint, rotated_at, revoked_at) on public.devices to authenticated;
grant select (id, owner_id, name, token_hint, created_at, last_used_at, revoked_at) on public.api_tokens
  to authenticated;
grant update (name, revoked_at) on public.api_tokens to authenticated;
grant select, insert, update, delete on public.tags to authenticated;
-- Events are kept as received: never updated.
grant select, insert, delete on public.device_events to authenticated;
grant select on public.device_attempts, public.device_status, public.nfc_intervals to authenticated;

-- Timer widget.
grant select, insert, update, delete on public.timer_sessions, public.timer_questions, public.timer_state
  to authenticated;
grant select, insert, delete on public.timer_events to authenticated;

-- ActivityWatch.
grant select, insert, delete on public.developers, public.aw_events to authenticated;
grant update (display_name, email_sha256, user_id) on public.developers to authenticated;
grant update (duration, data, bucket_type, client, received_at) on public.aw_events to authenticated;

-- WakaTime: the encrypted tokens and the key digest are written, never read back by a person.
grant insert, delete on public.wakatime_connections, public.heartbeat_settings to authenticated;
grant select (owner_id, wakatime_uid, scope, expires_at, status, connected_at, updated_at, last_import_at,
  last_import_result) on public.wakatime_connections to authenticated;
grant update (wakatime_uid, scope, access_token_encrypted, refresh_token_encrypted, expires_at, status, updated_at,
  last_import_at, last_import_result) on public.wakatime_connections to authenticated;
grant select (owner_id, key_hint, key_created_at, timeout_minutes, updated_at) on public.heartbeat_settings
  to authenticated;
grant update (key_hash, key_hint, key_created_at, timeout_minutes, updated_at) on public.heartbeat_settings
  to authenticated;
grant select, insert, update, delete on public.wakatime_oauth_states, public.wakatime_durations,
  public.wakatime_day_totals to authenticated;
grant select, insert, delete on public.heartbeats to authenticated;

-- Corrections: the trail is written by its trigger alone.
grant select, insert, delete on public.time_entries, public.time_exclusions, public.correction_notes
  to authenticated;
grant update (started_at, ended_at, label, updated_at) on public.time_entries to authenticated;
grant update (started_at, ended_at, updated_at) on public.time_exclusions to authenticated;
grant update (note) on public.correction_notes to authenticated;
grant select on public.time_edits to authenticated;

-- The service path: accounts, credential lookups, the daily import and admin jobs. Not the
-- corrections, their trail, invitation links or refused device attempts (functions write those).
grant select, insert, update, delete on public.tracker_profiles, public.teams, public.team_members,
  public.team_invitations, public.devices, public.tags, public.device_events, public.api_tokens,
  public.timer_sessions, public.timer_questions, public.timer_state, public.timer_events, public.developers,
  public.aw_events, public.wakatime_connections, public.wakatime_oauth_states, public.wakatime_durations,
  public.wakatime_day_totals, public.heartbeats, public.heartbeat_settings to service_role;
grant select on public.device_status, public.nfc_intervals to service_role;

revoke execute on all functions in schema internal from public;
