-- WakaTime: coding time, from two directions.
--   * OAuth import from wakatime.com (or a compatible server): the connection holds the
--     person's tokens Fernet-encrypted; imported durations and per-day totals are stored per
--     local day and replaced when a day is imported again.
--   * Heartbeats straight from editor plugins (WakaTime-compatible API, as Wakapi): raw
--     heartbeats are stored once each (a dedup hash per person); durations are derived.
-- Encrypted tokens and the heartbeat key digest are never readable by `authenticated`:
-- only narrow SECURITY DEFINER functions for the service path read them.

create table public.wakatime_connections (
  owner_id uuid primary key default auth.uid() references auth.users (id) on delete cascade,
  wakatime_uid text,
  scope text not null default '',
  access_token_encrypted text not null,
  refresh_token_encrypted text,
  expires_at timestamptz,
  status text not null default 'connected' check (status in ('connected', 'reconnect_needed')),
  connected_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_import_at timestamptz,
  last_import_result jsonb
);

-- Single-use OAuth states: the signed state carries this nonce; the callback deletes it.
create table public.wakatime_oauth_states (
  nonce text primary key check (length(nonce) between 16 and 100),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index wakatime_oauth_states_owner_idx on public.wakatime_oauth_states (owner_id);

-- WakaTime's durations (slice_by=language) for one local day of the person.
create table public.wakatime_durations (
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  day date not null,
  started_at timestamptz not null,
  project text not null default '',
  language text not null default '',
  duration_seconds double precision not null check (duration_seconds >= 0),
  imported_at timestamptz not null default now(),
  primary key (owner_id, day, started_at, project, language)
);
create index wakatime_durations_owner_start_idx on public.wakatime_durations (owner_id, started_at);

-- WakaTime's summaries: one local day's totals per project, language, editor, ...
create table public.wakatime_day_totals (
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  day date not null,
  dimension text not null check (dimension in ('project', 'language', 'editor', 'operating_system', 'category')),
  name text not null,
  seconds double precision not null check (seconds >= 0),
  imported_at timestamptz not null default now(),
  primary key (owner_id, day, dimension, name)
);

-- Heartbeats exactly as plugins send them (normalised columns; unknown fields dropped).
create table public.heartbeats (
  id bigint generated always as identity primary key,
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  time timestamptz not null,
  entity text not null check (length(entity) between 1 and 2048),
  type text not null check (type in ('file', 'app', 'domain', 'url', 'event')),
  category text,
  project text,
  branch text,
  language text,
  is_write boolean not null default false,
  lines integer,
  lineno integer,
  cursorpos integer,
  dependencies text[] not null default '{}',
  editor text,
  operating_system text,
  machine text,
  user_agent text,
  hash text not null check (length(hash) = 64),
  received_at timestamptz not null default now(),
  constraint heartbeats_owner_hash_key unique (owner_id, hash)
);
create index heartbeats_owner_time_idx on public.heartbeats (owner_id, time);

-- Per person: the plugin key (a bare UUID v4, stored as a SHA-256 digest) and the
-- keystroke timeout used to join heartbeats into durations.
create table public.heartbeat_settings (
  owner_id uuid primary key default auth.uid() references auth.users (id) on delete cascade,
  key_hash text unique,
  key_hint text,
  key_created_at timestamptz,
  timeout_minutes integer not null default 15 check (timeout_minutes between 1 and 240),
  updated_at timestamptz not null default now()
);

-- Column privileges: the encrypted tokens and the key digest can be written by their owner
-- (RLS WITH CHECK still applies) but never read back through `authenticated`.
revoke all on public.wakatime_connections, public.wakatime_oauth_states, public.wakatime_durations,
  public.wakatime_day_totals, public.heartbeats, public.heartbeat_settings from anon;
revoke select, update on public.wakatime_connections, public.heartbeat_settings from authenticated;
grant select (owner_id, wakatime_uid, scope, expires_at, status, connected_at, updated_at, last_import_at,
  last_import_result) on public.wakatime_connections to authenticated;
grant update (wakatime_uid, scope, access_token_encrypted, refresh_token_encrypted, expires_at, status, updated_at,
  last_import_at, last_import_result) on public.wakatime_connections to authenticated;
grant select (owner_id, key_hint, key_created_at, timeout_minutes, updated_at)
  on public.heartbeat_settings to authenticated;
grant update (key_hash, key_hint, key_created_at, timeout_minutes, updated_at)
  on public.heartbeat_settings to authenticated;
-- Heartbeats are immutable once stored.
revoke update on public.heartbeats from authenticated;

alter table public.wakatime_connections enable row level security;
alter table public.wakatime_connections force row level security;
alter table public.wakatime_oauth_states enable row level security;
alter table public.wakatime_oauth_states force row level security;
alter table public.wakatime_durations enable row level security;
alter table public.wakatime_durations force row level security;
alter table public.wakatime_day_totals enable row level security;
alter table public.wakatime_day_totals force row level security;
alter table public.heartbeats enable row level security;
alter table public.heartbeats force row level security;
alter table public.heartbeat_settings enable row level security;
alter table public.heartbeat_settings force row level security;

create policy "owners read their wakatime connection" on public.wakatime_connections
  for select to authenticated
  using (owner_id = (select auth.uid()));
create policy "owners connect wakatime" on public.wakatime_connections
  for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy "owners refresh and record imports on their connection" on public.wakatime_connections
  for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy "owners disconnect wakatime" on public.wakatime_connections
  for delete to authenticated
  using (owner_id = (select auth.uid()));

create policy "owners start oauth" on public.wakatime_oauth_states
  for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy "owners consume their oauth states" on public.wakatime_oauth_states
  for select to authenticated
  using (owner_id = (select auth.uid()));
create policy "owners delete their oauth states" on public.wakatime_oauth_states
  for delete to authenticated
  using (owner_id = (select auth.uid()));

create policy "owners and their team admins read imported durations" on public.wakatime_durations
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));
create policy "owners import durations" on public.wakatime_durations
  for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy "owners correct imported durations" on public.wakatime_durations
  for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy "owners replace imported durations" on public.wakatime_durations
  for delete to authenticated
  using (owner_id = (select auth.uid()));

create policy "owners and their team admins read imported day totals" on public.wakatime_day_totals
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));
create policy "owners import day totals" on public.wakatime_day_totals
  for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy "owners correct imported day totals" on public.wakatime_day_totals
  for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy "owners replace imported day totals" on public.wakatime_day_totals
  for delete to authenticated
  using (owner_id = (select auth.uid()));

create policy "owners and their team admins read heartbeats" on public.heartbeats
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));
create policy "owners' plugins write heartbeats" on public.heartbeats
  for insert to authenticated
  with check (owner_id = (select auth.uid()));

-- Admins read the timeout too: they need it to derive a member's durations.
create policy "owners and their team admins read heartbeat settings" on public.heartbeat_settings
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));
create policy "owners create their heartbeat settings" on public.heartbeat_settings
  for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy "owners change their heartbeat settings" on public.heartbeat_settings
  for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));

-- Credential lookups for the service path alone.
-- The heartbeat key: the digest comes back so Python compares it in constant time.
create function internal.heartbeat_key_owner(p_key_hash text)
returns table (owner_id uuid, key_hash text)
language sql stable security definer set search_path = ''
as $$
  select s.owner_id, s.key_hash from public.heartbeat_settings s where s.key_hash = p_key_hash
$$;

-- The encrypted tokens of one connection, to refresh, import or revoke with.
create function internal.wakatime_tokens(p_owner uuid)
returns table (access_token_encrypted text, refresh_token_encrypted text, expires_at timestamptz, status text)
language sql stable security definer set search_path = ''
as $$
  select c.access_token_encrypted, c.refresh_token_encrypted, c.expires_at, c.status
  from public.wakatime_connections c where c.owner_id = p_owner
$$;

-- Connections the daily import should visit: connected and not imported for 20 hours.
create function internal.wakatime_due_imports()
returns table (owner_id uuid, last_import_at timestamptz)
language sql stable security definer set search_path = ''
as $$
  select c.owner_id, c.last_import_at from public.wakatime_connections c
  where c.status = 'connected' and (c.last_import_at is null or c.last_import_at < now() - interval '20 hours')
  order by c.last_import_at nulls first
$$;

revoke execute on function internal.heartbeat_key_owner(text), internal.wakatime_tokens(uuid),
  internal.wakatime_due_imports() from public;
grant execute on function internal.heartbeat_key_owner(text), internal.wakatime_tokens(uuid),
  internal.wakatime_due_imports() to service_role;
