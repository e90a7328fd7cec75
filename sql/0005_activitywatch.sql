-- ActivityWatch: developers (ids from the generator, optionally linked to an account) and
-- the raw events they send. Rows come from two kinds of sender:
--   * a person's own API token: owner_id = that person (team_id, developer_id null);
--   * a developer token (stateless HMAC bound to a team): team_id + developer_id, no owner.
-- A person reads their own rows; team owners/admins read their team's rows and their
-- members' own rows; a developer's account reads the team rows once the id is linked to it.

create table public.developers (
  team_id uuid not null references public.teams (id) on delete cascade,
  developer_id text not null check (developer_id ~ '^[a-z0-9][a-z0-9_]{0,62}_[0-9a-f]{8}$'),
  display_name text not null check (length(btrim(display_name)) between 1 and 100),
  -- sha256 of the lower-cased email: lets a member claim the id without us storing the email.
  email_sha256 text check (email_sha256 ~ '^[0-9a-f]{64}$'),
  user_id uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (team_id, developer_id)
);
create index developers_user_id_idx on public.developers (user_id) where user_id is not null;

create table public.aw_events (
  id bigint generated always as identity primary key,
  owner_id uuid references auth.users (id) on delete cascade,
  team_id uuid,
  developer_id text,
  host text not null check (length(host) between 1 and 255),
  bucket_id text not null check (length(bucket_id) between 1 and 255),
  bucket_type text not null check (length(bucket_type) between 1 and 100),
  client text,
  started_at timestamptz not null,
  duration double precision not null check (duration >= 0 and duration < 31 * 86400),
  data jsonb not null,
  received_at timestamptz not null default now(),
  -- The standard bucket types' fields, typed for reports and indexes; derived from `data`
  -- by the database, so they can never disagree with what was received.
  app text generated always as (data ->> 'app') stored,
  title text generated always as (data ->> 'title') stored,
  afk_status text generated always as (data ->> 'status') stored,
  url text generated always as (data ->> 'url') stored,
  domain text generated always as (lower(substring(data ->> 'url' from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/@?#]*@)?([^/:?#]+)'))) stored,
  project text generated always as (data ->> 'project') stored,
  language text generated always as (data ->> 'language') stored,
  file text generated always as (data ->> 'file') stored,
  constraint aw_events_one_owner check (
    (owner_id is not null and team_id is null and developer_id is null)
    or (owner_id is null and team_id is not null and developer_id is not null)
  ),
  constraint aw_events_developer_fk foreign key (team_id, developer_id)
    references public.developers (team_id, developer_id) on delete cascade,
  -- The natural key. ActivityWatch's own event ids are local to one aw-server and are
  -- ignored; a heartbeat-merged event keeps its timestamp and grows, so it updates this row.
  constraint aw_events_natural_key unique nulls not distinct (owner_id, team_id, developer_id, host, bucket_id, started_at)
);
create index aw_events_owner_time_idx on public.aw_events (owner_id, started_at) where owner_id is not null;
create index aw_events_team_time_idx on public.aw_events (team_id, developer_id, started_at) where team_id is not null;

alter table public.developers enable row level security;
alter table public.developers force row level security;
alter table public.aw_events enable row level security;
alter table public.aw_events force row level security;

-- Developer ids linked to the caller, for the policies (SECURITY DEFINER so a policy on
-- aw_events can ask without depending on the developers policies).
create function internal.my_developer_ids() returns table (team_id uuid, developer_id text)
language sql stable security definer set search_path = ''
as $$
  select d.team_id, d.developer_id from public.developers d where d.user_id = auth.uid()
$$;
revoke execute on function internal.my_developer_ids() from public;
grant execute on function internal.my_developer_ids() to authenticated;

create policy "team admins and the linked person read developers" on public.developers
  for select to authenticated
  using (team_id in (select internal.my_admin_team_ids()) or user_id = (select auth.uid()));
create policy "team admins register developers" on public.developers
  for insert to authenticated
  with check (team_id in (select internal.my_admin_team_ids()));
-- Linking: only to someone who is a member of that team (or unlinking).
create policy "team admins rename and link developers to members" on public.developers
  for update to authenticated
  using (team_id in (select internal.my_admin_team_ids()))
  with check (
    team_id in (select internal.my_admin_team_ids())
    and (user_id is null or exists (
      select 1 from public.team_members m where m.team_id = developers.team_id and m.user_id = developers.user_id))
  );
create policy "team admins remove developers" on public.developers
  for delete to authenticated
  using (team_id in (select internal.my_admin_team_ids()));

create policy "people, their team admins and linked developers read activity" on public.aw_events
  for select to authenticated
  using (
    owner_id = (select auth.uid())
    or owner_id in (select internal.managed_user_ids())
    or team_id in (select internal.my_admin_team_ids())
    or (team_id, developer_id) in (select * from internal.my_developer_ids())
  );
create policy "people write their own activity" on public.aw_events
  for insert to authenticated
  with check (owner_id = (select auth.uid()) and team_id is null and developer_id is null);
-- Heartbeat merging updates the newest event in place (ON CONFLICT DO UPDATE).
create policy "people extend their own activity" on public.aw_events
  for update to authenticated
  using (owner_id = (select auth.uid()))
  with check (owner_id = (select auth.uid()) and team_id is null and developer_id is null);
create policy "people delete their own activity" on public.aw_events
  for delete to authenticated
  using (owner_id = (select auth.uid()));

-- The schema's default privileges grant everything to the API roles; start from nothing.
revoke all on public.developers, public.aw_events from anon, authenticated;
grant select, insert, delete on public.developers to authenticated;
grant update (display_name, email_sha256, user_id) on public.developers to authenticated;
grant select, insert, delete on public.aw_events to authenticated;
-- Only what heartbeat merging changes is updatable.
grant update (duration, data, bucket_type, client, received_at) on public.aw_events to authenticated;

-- The one bulk write. SECURITY INVOKER: called as a person (as_user), RLS decides, and the
-- insert policy refuses any row that is not theirs. Rows repeating (owner, host, bucket,
-- timestamp) update the stored row only when the duration grew or the data changed, so a
-- retried batch changes nothing and reports 'duplicate'.
create function internal.store_aw_events(
  p_owner uuid, p_team uuid, p_developer text,
  p_host text[], p_bucket text[], p_type text[], p_client text[],
  p_started timestamptz[], p_duration double precision[], p_data jsonb[]
) returns table (host text, bucket_id text, started_at timestamptz, outcome text)
language sql volatile security invoker set search_path = ''
as $$
  insert into public.aw_events as stored
    (owner_id, team_id, developer_id, host, bucket_id, bucket_type, client, started_at, duration, data)
  select p_owner, p_team, p_developer, e.host, e.bucket_id, e.bucket_type, e.client, e.started_at, e.duration, e.data
  from unnest(p_host, p_bucket, p_type, p_client, p_started, p_duration, p_data)
    as e(host, bucket_id, bucket_type, client, started_at, duration, data)
  on conflict on constraint aw_events_natural_key do update
    set duration = excluded.duration, data = excluded.data, bucket_type = excluded.bucket_type,
        client = excluded.client, received_at = now()
    where stored.duration < excluded.duration or stored.data is distinct from excluded.data
  returning stored.host, stored.bucket_id, stored.started_at, case when stored.xmax = 0 then 'created' else 'updated' end
$$;
revoke execute on function internal.store_aw_events(uuid, uuid, text, text[], text[], text[], text[],
  timestamptz[], double precision[], jsonb[]) from public;
grant execute on function internal.store_aw_events(uuid, uuid, text, text[], text[], text[], text[],
  timestamptz[], double precision[], jsonb[]) to authenticated;

-- Developer-token rows have no person to act as, so they cannot go through as_user. This
-- is the narrow door for them: callable only by the server's service path, after it has
-- verified the token's HMAC (which binds team and developer id; no lookup needed). It can
-- write exactly one thing: team-owned rows for that (team, developer) pair; it cannot
-- touch a person's rows (owner_id is always null here) or another team's. It registers an
-- unknown developer id under its own id as the display name (admins rename it later).
create function internal.store_developer_events(
  p_team uuid, p_developer text,
  p_host text[], p_bucket text[], p_type text[], p_client text[],
  p_started timestamptz[], p_duration double precision[], p_data jsonb[]
) returns table (host text, bucket_id text, started_at timestamptz, outcome text)
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if not exists (select 1 from public.teams t where t.id = p_team) then
    raise exception 'no such team' using errcode = '42501';
  end if;
  insert into public.developers (team_id, developer_id, display_name)
  values (p_team, p_developer, p_developer)
  on conflict (team_id, developer_id) do nothing;
  return query select * from internal.store_aw_events(
    null, p_team, p_developer, p_host, p_bucket, p_type, p_client, p_started, p_duration, p_data);
end
$$;
revoke execute on function internal.store_developer_events(uuid, text, text[], text[], text[], text[],
  timestamptz[], double precision[], jsonb[]) from public;
grant execute on function internal.store_developer_events(uuid, text, text[], text[], text[], text[],
  timestamptz[], double precision[], jsonb[]) to service_role;

-- A member claims a developer id of their team whose stored email hash is the hash of
-- their own account email. Returns false when nothing matched (no detail to probe with).
create function internal.claim_developer(p_team uuid, p_developer text) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  my_email text;
begin
  select lower(u.email) into my_email from auth.users u where u.id = auth.uid();
  if my_email is null or p_team not in (select internal.my_team_ids()) then
    return false;
  end if;
  update public.developers d set user_id = auth.uid()
  where d.team_id = p_team and d.developer_id = p_developer and d.user_id is null
    and d.email_sha256 = encode(sha256(convert_to(my_email, 'UTF8')), 'hex');
  return found;
end
$$;
revoke execute on function internal.claim_developer(uuid, text) from public;
grant execute on function internal.claim_developer(uuid, text) to authenticated;

-- OAuth 2.0 authorization codes for the sync client (authorization code + PKCE). Kept in
-- `internal`, out of the API roles' reach: only the server's service path issues and
-- redeems them. Stored as digests; single use (used_at), short-lived (expires_at).
create table internal.oauth_codes (
  code_hash text primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  client_id text not null,
  redirect_uri text not null,
  code_challenge text not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
revoke all on internal.oauth_codes from public;
grant select, insert, update, delete on internal.oauth_codes to service_role;
