--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: internal; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA internal;


--
-- Name: public; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA public;


--
-- Name: SCHEMA public; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA public IS 'standard public schema';


--
-- Name: accept_invitation(uuid); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.accept_invitation(p_team uuid) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  invited_role text;
begin
  if not exists (
    select 1 from public.team_invitations i where i.team_id = p_team and i.email = internal.my_email()
  ) then
    raise exception 'no pending invitation to this team for you' using errcode = 'P0002';
  end if;
  if not internal.my_email_is_proven() then
    raise exception 'accepting needs the invitation link: this address is not confirmed' using errcode = '42501';
  end if;
  delete from public.team_invitations i
  where i.team_id = p_team and i.email = internal.my_email()
  returning i.role into invited_role;
  insert into public.team_members (team_id, user_id, role) values (p_team, auth.uid(), invited_role)
  on conflict (team_id, user_id) do nothing;
  return invited_role;
end
$$;


--
-- Name: accept_invitation_link(uuid, text); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.accept_invitation_link(p_team uuid, p_token_hash text) RETURNS TABLE(outcome text, joined_role text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  me text := internal.my_email();
  link_id uuid;
  link_used_at timestamptz;
  link_expires_at timestamptz;
  invited_role text;
begin
  select l.id, l.used_at, l.expires_at into link_id, link_used_at, link_expires_at
  from public.invitation_links l
  where l.team_id = p_team and l.email = me and internal.same_digest(l.token_hash, p_token_hash)
  order by l.created_at desc
  limit 1
  for update;
  if link_id is null then
    return query select 'invalid'::text, null::text;
    return;
  end if;
  if link_used_at is not null then
    return query select 'used'::text, null::text;
    return;
  end if;
  if link_expires_at <= now() then
    return query select 'expired'::text, null::text;
    return;
  end if;
  -- Marked used before the invitation goes, so deleting it does not delete this link too.
  update public.invitation_links set used_at = now(), used_by = auth.uid() where id = link_id;
  delete from public.team_invitations i
  where i.team_id = p_team and i.email = me
  returning i.role into invited_role;
  if invited_role is null then
    -- Unreachable while withdrawing an invitation deletes its unused link; fail closed anyway.
    raise exception 'no pending invitation to this team for you' using errcode = 'P0002';
  end if;
  insert into public.team_members (team_id, user_id, role) values (p_team, auth.uid(), invited_role)
  on conflict (team_id, user_id) do nothing;
  return query select 'joined'::text, invited_role;
end
$$;


--
-- Name: api_token_owner(text); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.api_token_owner(p_token_hash text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  owner uuid;
begin
  -- last_used_at is written at most once a minute per token, to keep reads cheap.
  update public.api_tokens t set last_used_at = now()
  where t.token_hash = p_token_hash and t.revoked_at is null
    and (t.last_used_at is null or t.last_used_at < now() - interval '1 minute');
  select t.owner_id into owner from public.api_tokens t
  where t.token_hash = p_token_hash and t.revoked_at is null;
  return owner;
end
$$;


--
-- Name: claim_browser_session(text, text); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.claim_browser_session(p_handoff_hash text, p_secret_hash text) RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
  update internal.browser_sessions s
  set secret_hash = p_secret_hash, handoff_hash = null, handoff_expires_at = null
  where s.handoff_hash = p_handoff_hash and s.secret_hash is null
    and s.handoff_expires_at > now() and s.expires_at > now()
  returning greatest(1, floor(extract(epoch from s.expires_at - now())))::integer
$$;


--
-- Name: claim_developer(uuid, text); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.claim_developer(p_team uuid, p_developer text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  my_hash text;
begin
  select encode(sha256(convert_to(lower(u.email), 'UTF8')), 'hex') into my_hash
  from auth.users u where u.id = auth.uid() and u.email_confirmed_at is not null;
  if my_hash is null or p_team not in (select internal.my_team_ids()) then
    return false;
  end if;
  if not (
    internal.my_email_is_proven()
    or exists (
      select 1 from public.invitation_links l
      where l.team_id = p_team and l.used_by = auth.uid() and l.email = internal.my_email()
    )
  ) then
    raise exception 'claiming needs an email address proven to be yours' using errcode = '42501';
  end if;
  update public.developers d set user_id = auth.uid()
  where d.team_id = p_team and d.developer_id = p_developer and d.user_id is null
    and (d.email_sha256 = my_hash
         or (d.email_sha256 is null and right(d.developer_id, 8) = left(my_hash, 8)));
  return found;
end
$$;


--
-- Name: close_browser_session(uuid); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.close_browser_session(p_id uuid) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
  delete from internal.browser_sessions s where s.id = p_id
$$;


--
-- Name: device_credentials(text); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.device_credentials(p_device_id text) RETURNS TABLE(owner_id uuid, key_hash text, revoked boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select d.owner_id, d.key_hash, d.revoked_at is not null
  from public.devices d where d.device_id = p_device_id
$$;


--
-- Name: find_browser_session(text); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.find_browser_session(p_secret_hash text) RETURNS TABLE(id uuid, user_id uuid, refresh_token_sealed text)
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
  update internal.browser_sessions s set last_used_at = now()
  where s.secret_hash = p_secret_hash and s.expires_at > now()
  returning s.id, s.user_id, s.refresh_token_sealed
$$;


--
-- Name: forget_unused_invitation_links(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.forget_unused_invitation_links() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  delete from public.invitation_links l
  where l.team_id = old.team_id and l.email = old.email and l.used_at is null;
  return old;
end
$$;


--
-- Name: heartbeat_key_owner(text); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.heartbeat_key_owner(p_key_hash text) RETURNS TABLE(owner_id uuid, key_hash text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select s.owner_id, s.key_hash from public.heartbeat_settings s where s.key_hash = p_key_hash
$$;


--
-- Name: invite_to_team(uuid, text, text, text, interval); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.invite_to_team(p_team uuid, p_email text, p_role text, p_token_hash text, p_valid_for interval) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if p_team not in (select internal.my_admin_team_ids()) then
    raise exception 'only a team owner or admin can invite' using errcode = '42501';
  end if;
  if p_role not in ('admin', 'member') then
    raise exception 'role must be admin or member' using errcode = '22023';
  end if;
  if p_valid_for is null or p_valid_for <= interval '0' or p_valid_for > interval '90 days' then
    raise exception 'an invitation link is valid for up to 90 days' using errcode = '22023';
  end if;
  if exists (
    select 1 from public.team_members m join auth.users u on u.id = m.user_id
    where m.team_id = p_team and lower(u.email) = lower(p_email)
  ) then
    return 'already_member';
  end if;
  insert into public.team_invitations (team_id, email, role, invited_by)
  values (p_team, lower(p_email), p_role, auth.uid())
  on conflict (team_id, email) do update set role = excluded.role, invited_by = excluded.invited_by;
  delete from public.invitation_links l
  where l.team_id = p_team and l.email = lower(p_email) and l.used_at is null;
  insert into public.invitation_links (team_id, email, token_hash, invited_by, expires_at)
  values (p_team, lower(p_email), p_token_hash, auth.uid(), now() + p_valid_for);
  return 'invited';
end
$$;


--
-- Name: is_current_device_key(text, text); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.is_current_device_key(p_device_id text, p_key_hash text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select exists (
    select 1 from public.devices d
    where d.device_id = p_device_id and d.owner_id = (select auth.uid())
      and internal.same_digest(d.key_hash, p_key_hash)
  )
$$;


--
-- Name: keep_browser_session(uuid, text); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.keep_browser_session(p_id uuid, p_refresh_token_sealed text) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
  update internal.browser_sessions s
  set refresh_token_sealed = p_refresh_token_sealed, last_used_at = now()
  where s.id = p_id and s.expires_at > now()
  returning true
$$;


--
-- Name: keep_revoked(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.keep_revoked() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if old.revoked_at is not null and new.revoked_at is distinct from old.revoked_at then
    raise exception 'a revoked credential stays revoked' using errcode = '42501';
  end if;
  if old.revoked_at is null and new.revoked_at is not null then
    new.revoked_at := now();
  end if;
  return new;
end
$$;


--
-- Name: managed_user_ids(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.managed_user_ids() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select distinct subject.user_id
  from public.team_members viewer
  join public.team_members subject on subject.team_id = viewer.team_id
  where viewer.user_id = auth.uid() and viewer.role in ('owner', 'admin')
$$;


--
-- Name: manages_projects_of(uuid, uuid); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.manages_projects_of(p_owner uuid, p_team uuid) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select (p_team is null and p_owner = (select auth.uid()))
      or (p_owner is null and p_team in (select internal.my_admin_team_ids()))
$$;


--
-- Name: may_use_project(uuid); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.may_use_project(p_project uuid) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select p_project is null or exists (select from public.projects p where p.id = p_project)
$$;


--
-- Name: mine_or_managed_ids(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.mine_or_managed_ids() RETURNS SETOF uuid
    LANGUAGE sql STABLE
    AS $$
  select auth.uid()
  union all
  select internal.managed_user_ids()
$$;


--
-- Name: my_admin_team_ids(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.my_admin_team_ids() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select m.team_id from public.team_members m
  where m.user_id = auth.uid() and m.role in ('owner', 'admin')
$$;


--
-- Name: my_developer_ids(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.my_developer_ids() RETURNS TABLE(team_id uuid, developer_id text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select d.team_id, d.developer_id
  from public.developers d
  join public.team_members m on m.team_id = d.team_id and m.user_id = d.user_id
  where d.user_id = auth.uid()
$$;


--
-- Name: my_email(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.my_email() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select lower(u.email) from auth.users u where u.id = auth.uid()
$$;


--
-- Name: my_email_is_proven(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.my_email_is_proven() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select exists (
    select 1 from auth.users u
    where u.id = auth.uid() and u.email_confirmed_at is not null
      and not exists (
        select 1 from internal.auto_confirmed_emails a where a.user_id = u.id and a.email = lower(u.email)
      )
  )
$$;


--
-- Name: my_invited_team_ids(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.my_invited_team_ids() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select i.team_id from public.team_invitations i where i.email = internal.my_email()
$$;


--
-- Name: my_inviter_ids(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.my_inviter_ids() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select i.invited_by from public.team_invitations i where i.email = internal.my_email()
$$;


--
-- Name: my_team_ids(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.my_team_ids() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select m.team_id from public.team_members m where m.user_id = auth.uid()
$$;


--
-- Name: on_team_created(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.on_team_created() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  insert into public.team_members (team_id, user_id, role) values (new.id, new.created_by, 'owner');
  return new;
end
$$;


--
-- Name: on_user_created(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.on_user_created() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  insert into public.tracker_profiles (id, email, display_name)
  values (new.id, lower(new.email),
          coalesce(new.raw_user_meta_data ->> 'display_name', split_part(new.email, '@', 1), ''))
  on conflict (id) do nothing;
  return new;
end
$$;


--
-- Name: open_browser_session(uuid, text, text, text, integer, integer); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.open_browser_session(p_user_id uuid, p_refresh_token_sealed text, p_secret_hash text, p_handoff_hash text, p_handoff_seconds integer, p_lifetime_seconds integer) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  new_id uuid;
begin
  delete from internal.browser_sessions s where s.expires_at < now();
  insert into internal.browser_sessions
    (user_id, refresh_token_sealed, secret_hash, handoff_hash, handoff_expires_at, expires_at)
  values (
    p_user_id, p_refresh_token_sealed, p_secret_hash, p_handoff_hash,
    case when p_handoff_hash is null then null else now() + make_interval(secs => p_handoff_seconds) end,
    now() + make_interval(secs => p_lifetime_seconds)
  )
  returning id into new_id;
  return new_id;
end
$$;


--
-- Name: owns_timer_session(bigint); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.owns_timer_session(session bigint) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select session is null
      or exists (select from public.timer_sessions s where s.id = session and s.owner_id = (select auth.uid()))
$$;


--
-- Name: project_parent_fits(uuid, uuid, uuid, uuid); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.project_parent_fits(p_project uuid, p_parent uuid, p_owner uuid, p_team uuid) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select p_parent is null or (
    exists (
      select from public.projects p
      where p.id = p_parent and p.owner_id is not distinct from p_owner and p.team_id is not distinct from p_team
    )
    and not exists (
      with recursive ancestors(id) as (
        select p_parent
        union
        select p.parent_id from public.projects p join ancestors a on p.id = a.id where p.parent_id is not null
      )
      select from ancestors where id = p_project
    )
  )
$$;


--
-- Name: project_rules_for(uuid); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.project_rules_for(p_person uuid) RETURNS TABLE(id uuid, project_id uuid, team_id uuid, source text, field text, match text, pattern text, ignore_case boolean, extra_field text, extra_pattern text, "position" integer)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select r.id, r.project_id, r.team_id, r.source, r.field, r.match, r.pattern, r.ignore_case,
         r.extra_field, r.extra_pattern, r.position
  from public.project_rules r
  left join public.teams t on t.id = r.team_id
  where (p_person = auth.uid() or p_person in (select internal.managed_user_ids()))
    and (r.owner_id = p_person
         or r.team_id in (select m.team_id from public.team_members m where m.user_id = p_person))
  -- Personal rules first; then each team's, oldest team first; then the order set for them.
  order by r.team_id is not null, t.created_at, r.team_id, r.position, r.created_at, r.id
$$;


--
-- Name: projects_for(uuid); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.projects_for(p_person uuid) RETURNS TABLE(id uuid, team_id uuid, name text, color text, parent_id uuid, archived boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select p.id, p.team_id,
         case when seen then p.name else 'a project of another team' end,
         case when seen then p.color else '#9e9e9e' end,
         case when seen then p.parent_id end,
         p.archived
  from public.projects p,
       lateral (select p.team_id is null or p.team_id in (select internal.my_team_ids()) as seen) v
  where (p_person = auth.uid() or p_person in (select internal.managed_user_ids()))
    and (p.owner_id = p_person
         or p.team_id in (select m.team_id from public.team_members m where m.user_id = p_person))
$$;


--
-- Name: record_device_attempt(text, integer, text, text, jsonb, integer, integer); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.record_device_attempt(p_device_id text, p_status integer, p_reason text, p_message text, p_details jsonb, p_items integer, p_refused integer) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  device_owner uuid;
begin
  -- One writer per device at a time, so a flood cannot overshoot the cap. NO KEY UPDATE does
  -- not wait for the readers' events (their foreign key takes KEY SHARE on the same row).
  select d.owner_id into device_owner from public.devices d where d.device_id = p_device_id for no key update;
  if device_owner is null then
    return false;
  end if;
  insert into public.device_attempts (owner_id, device_id, status, reason, message, details, items, refused)
  values (device_owner, p_device_id, p_status, p_reason, p_message, coalesce(p_details, '[]'), p_items, p_refused);
  delete from public.device_attempts a
  where a.device_id = p_device_id
    and a.id < (
      select min(newest.id) from (
        select k.id from public.device_attempts k where k.device_id = p_device_id order by k.id desc limit 50
      ) newest
    );
  delete from public.device_attempts a where a.attempted_at < now() - interval '7 days';
  return true;
end
$$;


--
-- Name: record_time_edit(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.record_time_edit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  changed record := case when tg_op = 'DELETE' then old else new end;
begin
  -- A deleted account takes its corrections and its trail with it: nothing to record.
  if tg_op = 'DELETE' and not exists (select from auth.users u where u.id = old.owner_id) then
    return null;
  end if;
  insert into public.time_edits (owner_id, actor_id, kind, action, item_id, started_at, ended_at, previous, current)
  values (
    changed.owner_id, auth.uid(), tg_argv[0],
    case tg_op when 'INSERT' then 'create' when 'UPDATE' then 'update' else 'delete' end,
    changed.id, changed.started_at, changed.ended_at,
    case when tg_op <> 'INSERT' then to_jsonb(old) - 'owner_id' end,
    case when tg_op <> 'DELETE' then to_jsonb(new) - 'owner_id' end
  );
  return null;
end
$$;


--
-- Name: rule_may_name(uuid, uuid); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.rule_may_name(p_project uuid, p_team uuid) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select exists (select from public.projects p where p.id = p_project and (p_team is null or p.team_id = p_team))
$$;


--
-- Name: same_digest(text, text); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.same_digest(p_a text, p_b text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $_$
  select case
    when p_a ~ '^[0-9a-f]{64}$' and p_b ~ '^[0-9a-f]{64}$'
      then bit_count((('x' || p_a)::bit(256)) # (('x' || p_b)::bit(256))) = 0
    else false
  end
$_$;


--
-- Name: secure_table(regclass); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.secure_table(p_table regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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


--
-- Name: session_started_at(uuid, uuid); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.session_started_at(p_session uuid, p_user uuid) RETURNS TABLE(started_at timestamp with time zone)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select s.created_at from auth.sessions s
  where s.id = p_session and s.user_id = p_user and (s.not_after is null or s.not_after > now())
$$;


--
-- Name: shares_notes(uuid); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.shares_notes(person uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select coalesce((select p.share_notes from public.tracker_profiles p where p.id = person), false)
$$;


--
-- Name: store_aw_events(uuid, uuid, text, text[], text[], text[], text[], timestamp with time zone[], double precision[], jsonb[]); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.store_aw_events(p_owner uuid, p_team uuid, p_developer text, p_host text[], p_bucket text[], p_type text[], p_client text[], p_started timestamp with time zone[], p_duration double precision[], p_data jsonb[]) RETURNS TABLE(host text, bucket_id text, started_at timestamp with time zone, outcome text)
    LANGUAGE sql
    SET search_path TO ''
    AS $$
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


--
-- Name: store_developer_events(uuid, text, text[], text[], text[], text[], timestamp with time zone[], double precision[], jsonb[]); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.store_developer_events(p_team uuid, p_developer text, p_host text[], p_bucket text[], p_type text[], p_client text[], p_started timestamp with time zone[], p_duration double precision[], p_data jsonb[]) RETURNS TABLE(host text, bucket_id text, started_at timestamp with time zone, outcome text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


--
-- Name: store_device_event(text, text, text, text, boolean, timestamp with time zone, jsonb); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.store_device_event(p_device_id text, p_key_hash text, p_event_type text, p_tag_id text, p_tag_present boolean, p_occurred_at timestamp with time zone, p_payload jsonb) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if not internal.is_current_device_key(p_device_id, p_key_hash) then
    raise insufficient_privilege using message = 'this key is not the device''s current key';
  end if;
  insert into public.device_events (owner_id, device_id, event_type, tag_id, tag_present, occurred_at, payload)
  values (auth.uid(), p_device_id, p_event_type, p_tag_id, p_tag_present, p_occurred_at, p_payload)
  on conflict on constraint device_events_natural_key do nothing;
  return found;
end
$$;


--
-- Name: teammate_ids(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.teammate_ids() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select distinct other.user_id
  from public.team_members mine
  join public.team_members other on other.team_id = mine.team_id
  where mine.user_id = auth.uid()
$$;


--
-- Name: throttle_attempt(text, integer, double precision, double precision, timestamp with time zone); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.throttle_attempt(p_key text, p_free integer, p_base double precision, p_cap double precision, p_now timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS double precision
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_now timestamptz := coalesce(p_now, now());
  v_hits integer;
  v_blocked_until timestamptz;
  v_expires_at timestamptz;
begin
  insert into internal.auth_throttles (key, started_at, expires_at) values (p_key, v_now, v_now)
    on conflict (key) do nothing;
  select t.hits, t.blocked_until, t.expires_at into v_hits, v_blocked_until, v_expires_at
    from internal.auth_throttles t where t.key = p_key for update;
  if v_blocked_until > v_now then
    return extract(epoch from v_blocked_until - v_now);
  end if;
  if v_expires_at <= v_now then
    v_hits := 0;
  end if;
  v_hits := v_hits + 1;
  v_blocked_until := case when v_hits >= p_free
    -- The exponent is capped so a key with thousands of failures cannot overflow power().
    then v_now + make_interval(secs => least(p_base * power(2, least(v_hits - p_free, 30)), p_cap))
  end;
  update internal.auth_throttles
    set hits = v_hits, started_at = v_now, blocked_until = v_blocked_until,
        expires_at = coalesce(v_blocked_until, v_now) + make_interval(secs => p_cap)
    where key = p_key;
  return 0;
end
$$;


--
-- Name: throttle_refund(text, integer); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.throttle_refund(p_key text, p_free integer) RETURNS void
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  update internal.auth_throttles
    set hits = greatest(hits - 1, 0),
        blocked_until = case when hits - 1 >= p_free then blocked_until end
    where key = p_key
$$;


--
-- Name: throttle_window(text, integer, double precision, timestamp with time zone); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.throttle_window(p_key text, p_limit integer, p_window double precision, p_now timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS double precision
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_now timestamptz := coalesce(p_now, now());
  v_hits integer;
  v_expires_at timestamptz;
begin
  insert into internal.auth_throttles (key, started_at, expires_at) values (p_key, v_now, v_now)
    on conflict (key) do nothing;
  select t.hits, t.expires_at into v_hits, v_expires_at
    from internal.auth_throttles t where t.key = p_key for update;
  if v_expires_at <= v_now then
    update internal.auth_throttles
      set hits = 1, started_at = v_now, blocked_until = null, expires_at = v_now + make_interval(secs => p_window)
      where key = p_key;
    return 0;
  end if;
  if v_hits >= p_limit then
    return extract(epoch from v_expires_at - v_now);
  end if;
  update internal.auth_throttles set hits = v_hits + 1 where key = p_key;
  return 0;
end
$$;


--
-- Name: timer_lock_state(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.timer_lock_state() RETURNS TABLE(active_session_id bigint, last_event_at timestamp with time zone)
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  insert into public.timer_state (owner_id) values (auth.uid()) on conflict (owner_id) do nothing;
  return query
    select st.active_session_id, st.last_event_at from public.timer_state st
    where st.owner_id = auth.uid() for update;
end
$$;


--
-- Name: timer_press_state(text); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.timer_press_state(event_key text) RETURNS TABLE(last_event_at timestamp with time zone, earlier jsonb, session_id bigint, public_id uuid, target_pace_minutes double precision, current_index integer, question_started_at timestamp with time zone, pause_accumulated_seconds double precision, pause_started_at timestamp with time zone, lc_index integer, lc_started_at timestamp with time zone, lc_ended_at timestamp with time zone, lc_raw_seconds double precision, lc_active_seconds double precision, lc_pause_accumulated_seconds double precision, lc_pause_started_at timestamp with time zone, real_questions bigint, newest_real_seconds double precision[])
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  -- The caller as a value: the kept plan then looks the event up by its (owner, event_id)
  -- key. Spelled auth.uid() in the query, the owner is no index condition under RLS (the
  -- function is not leakproof), and the kept generic plan read every event of everyone.
  me uuid := auth.uid();
begin
  perform internal.timer_lock_state();
  return query
  select st.last_event_at,
    (select e.result from public.timer_events e where e.owner_id = me and e.event_id = event_key),
    s.id, s.public_id, s.target_pace_minutes, s.current_index, s.question_started_at,
    s.pause_accumulated_seconds, s.pause_started_at,
    lc.question_index, lc.started_at, lc.ended_at, lc.raw_seconds, lc.active_seconds,
    lc.pause_accumulated_seconds, lc.pause_started_at,
    (select count(*) from public.timer_questions q where q.session_id = s.id and q.raw_seconds > 0),
    array(select q.active_seconds from public.timer_questions q where q.session_id = s.id and q.raw_seconds > 0
          order by q.question_index desc limit 2)
  from public.timer_state st
  left join public.timer_sessions s on s.id = st.active_session_id and s.ended_at is null
  left join lateral (
    select * from public.timer_questions q where q.session_id = s.id order by q.question_index desc limit 1
  ) lc on true
  where st.owner_id = me;
end
$$;


--
-- Name: timer_write_step(jsonb); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.timer_write_step(step jsonb) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  pressed_at timestamptz := (step->>'at')::timestamptz;
  target_session bigint := (step->>'session_id')::bigint;
  starts boolean := (step->>'starts')::boolean;
  ends boolean := not step ? 'current';
begin
  if starts then
    insert into public.timer_sessions (public_id, started_at, question_started_at, target_pace_minutes)
    values ((step->>'public_id')::uuid, pressed_at, pressed_at, (step->>'target_pace_minutes')::double precision)
    returning id into target_session;
  end if;
  if step ? 'undone_index' then
    delete from public.timer_questions q
    where q.session_id = target_session and q.question_index = (step->>'undone_index')::integer;
  end if;
  if step ? 'closed' then
    insert into public.timer_questions (session_id, question_index, started_at, ended_at, raw_seconds,
      active_seconds, pause_accumulated_seconds, pause_started_at)
    select target_session, c.question_index, c.started_at, c.ended_at, c.raw_seconds, c.active_seconds,
      c.pause_accumulated_seconds, c.pause_started_at
    from jsonb_to_record(step->'closed') as c(question_index integer, started_at timestamptz, ended_at timestamptz,
      raw_seconds double precision, active_seconds double precision, pause_accumulated_seconds double precision,
      pause_started_at timestamptz);
  end if;
  if ends then
    update public.timer_sessions s set ended_at = pressed_at where s.id = target_session;
  elsif not starts then
    update public.timer_sessions s set
      current_index = c.question_index, question_started_at = c.started_at,
      pause_accumulated_seconds = c.pause_accumulated_seconds, pause_started_at = c.pause_started_at
    from jsonb_to_record(step->'current') as c(question_index integer, started_at timestamptz,
      pause_accumulated_seconds double precision, pause_started_at timestamptz)
    where s.id = target_session;
  end if;
  insert into public.timer_events (session_id, event_id, type, occurred_at, result)
  values (target_session, step->>'event_key', step->>'type', pressed_at, step->'answer');
  update public.timer_state st set active_session_id = case when ends then null else target_session end,
    last_event_at = pressed_at
  where st.owner_id = auth.uid();
end
$$;


--
-- Name: wakatime_due_imports(); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.wakatime_due_imports() RETURNS TABLE(owner_id uuid, last_import_at timestamp with time zone)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select c.owner_id, c.last_import_at from public.wakatime_connections c
  where c.status = 'connected' and (c.last_import_at is null or c.last_import_at < now() - interval '20 hours')
  order by c.last_import_at nulls first
$$;


--
-- Name: wakatime_tokens(uuid); Type: FUNCTION; Schema: internal; Owner: -
--

CREATE FUNCTION internal.wakatime_tokens(p_owner uuid) RETURNS TABLE(access_token_encrypted text, refresh_token_encrypted text, expires_at timestamp with time zone, status text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select c.access_token_encrypted, c.refresh_token_encrypted, c.expires_at, c.status
  from public.wakatime_connections c where c.owner_id = p_owner
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: auth_throttles; Type: TABLE; Schema: internal; Owner: -
--

CREATE TABLE internal.auth_throttles (
    key text NOT NULL,
    hits integer DEFAULT 0 NOT NULL,
    started_at timestamp with time zone NOT NULL,
    blocked_until timestamp with time zone,
    expires_at timestamp with time zone NOT NULL
);

ALTER TABLE ONLY internal.auth_throttles FORCE ROW LEVEL SECURITY;


--
-- Name: auto_confirmed_emails; Type: TABLE; Schema: internal; Owner: -
--

CREATE TABLE internal.auto_confirmed_emails (
    user_id uuid NOT NULL,
    email text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY internal.auto_confirmed_emails FORCE ROW LEVEL SECURITY;


--
-- Name: browser_sessions; Type: TABLE; Schema: internal; Owner: -
--

CREATE TABLE internal.browser_sessions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    secret_hash text,
    handoff_hash text,
    handoff_expires_at timestamp with time zone,
    refresh_token_sealed text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT browser_sessions_check CHECK (((secret_hash IS NOT NULL) OR (handoff_hash IS NOT NULL))),
    CONSTRAINT browser_sessions_handoff_hash_check CHECK ((handoff_hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT browser_sessions_refresh_token_sealed_check CHECK (((length(refresh_token_sealed) >= 1) AND (length(refresh_token_sealed) <= 4000))),
    CONSTRAINT browser_sessions_secret_hash_check CHECK ((secret_hash ~ '^[0-9a-f]{64}$'::text))
);

ALTER TABLE ONLY internal.browser_sessions FORCE ROW LEVEL SECURITY;


--
-- Name: email_confirmations; Type: TABLE; Schema: internal; Owner: -
--

CREATE TABLE internal.email_confirmations (
    token_hash text NOT NULL,
    user_id uuid NOT NULL,
    email text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT email_confirmations_check CHECK ((expires_at > created_at)),
    CONSTRAINT email_confirmations_token_hash_check CHECK ((token_hash ~ '^[0-9a-f]{64}$'::text))
);

ALTER TABLE ONLY internal.email_confirmations FORCE ROW LEVEL SECURITY;


--
-- Name: oauth_codes; Type: TABLE; Schema: internal; Owner: -
--

CREATE TABLE internal.oauth_codes (
    code_hash text NOT NULL,
    user_id uuid NOT NULL,
    client_id text NOT NULL,
    redirect_uri text NOT NULL,
    code_challenge text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone
);


--
-- Name: schema_migrations; Type: TABLE; Schema: internal; Owner: -
--

CREATE TABLE internal.schema_migrations (
    name text NOT NULL,
    checksum text NOT NULL,
    skipped boolean DEFAULT false NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: api_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_tokens (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    name text NOT NULL,
    token_hash text NOT NULL,
    token_hint text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT api_tokens_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 100)))
);

ALTER TABLE ONLY public.api_tokens FORCE ROW LEVEL SECURITY;


--
-- Name: aw_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.aw_events (
    id bigint NOT NULL,
    owner_id uuid,
    team_id uuid,
    developer_id text,
    host text NOT NULL,
    bucket_id text NOT NULL,
    bucket_type text NOT NULL,
    client text,
    started_at timestamp with time zone NOT NULL,
    duration double precision NOT NULL,
    data jsonb NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    app text GENERATED ALWAYS AS ((data ->> 'app'::text)) STORED,
    title text GENERATED ALWAYS AS ((data ->> 'title'::text)) STORED,
    afk_status text GENERATED ALWAYS AS ((data ->> 'status'::text)) STORED,
    url text GENERATED ALWAYS AS ((data ->> 'url'::text)) STORED,
    domain text GENERATED ALWAYS AS (lower("substring"((data ->> 'url'::text), '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/@?#]*@)?([^/:?#]+)'::text))) STORED,
    project text GENERATED ALWAYS AS ((data ->> 'project'::text)) STORED,
    language text GENERATED ALWAYS AS ((data ->> 'language'::text)) STORED,
    file text GENERATED ALWAYS AS ((data ->> 'file'::text)) STORED,
    CONSTRAINT aw_events_bucket_id_check CHECK (((length(bucket_id) >= 1) AND (length(bucket_id) <= 255))),
    CONSTRAINT aw_events_bucket_type_check CHECK (((length(bucket_type) >= 1) AND (length(bucket_type) <= 100))),
    CONSTRAINT aw_events_duration_check CHECK (((duration >= (0)::double precision) AND (duration < ((31 * 86400))::double precision))),
    CONSTRAINT aw_events_host_check CHECK (((length(host) >= 1) AND (length(host) <= 255))),
    CONSTRAINT aw_events_one_owner CHECK ((((owner_id IS NOT NULL) AND (team_id IS NULL) AND (developer_id IS NULL)) OR ((owner_id IS NULL) AND (team_id IS NOT NULL) AND (developer_id IS NOT NULL))))
);

ALTER TABLE ONLY public.aw_events FORCE ROW LEVEL SECURITY;


--
-- Name: aw_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.aw_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.aw_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: correction_notes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.correction_notes (
    item_id uuid NOT NULL,
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    note text NOT NULL,
    CONSTRAINT correction_notes_note_check CHECK ((length(note) <= 1000))
);

ALTER TABLE ONLY public.correction_notes FORCE ROW LEVEL SECURITY;


--
-- Name: developers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.developers (
    team_id uuid NOT NULL,
    developer_id text NOT NULL,
    display_name text NOT NULL,
    email_sha256 text,
    user_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT developers_developer_id_check CHECK ((developer_id ~ '^[a-z0-9][a-z0-9_]{0,62}_[0-9a-f]{8}$'::text)),
    CONSTRAINT developers_display_name_check CHECK (((length(btrim(display_name)) >= 1) AND (length(btrim(display_name)) <= 100))),
    CONSTRAINT developers_email_sha256_check CHECK ((email_sha256 ~ '^[0-9a-f]{64}$'::text))
);

ALTER TABLE ONLY public.developers FORCE ROW LEVEL SECURITY;


--
-- Name: device_attempts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.device_attempts (
    id bigint NOT NULL,
    owner_id uuid NOT NULL,
    device_id text NOT NULL,
    attempted_at timestamp with time zone DEFAULT now() NOT NULL,
    status smallint NOT NULL,
    reason text NOT NULL,
    message text NOT NULL,
    details jsonb DEFAULT '[]'::jsonb NOT NULL,
    items integer,
    refused integer,
    CONSTRAINT device_attempts_check CHECK (((refused >= 0) AND (refused <= items))),
    CONSTRAINT device_attempts_details_check CHECK (((jsonb_typeof(details) = 'array'::text) AND (jsonb_array_length(details) <= 10) AND (length((details)::text) <= 5000))),
    CONSTRAINT device_attempts_items_check CHECK ((items >= 0)),
    CONSTRAINT device_attempts_message_check CHECK (((length(message) >= 1) AND (length(message) <= 500))),
    CONSTRAINT device_attempts_reason_check CHECK ((reason = ANY (ARRAY['bad_key'::text, 'revoked'::text, 'device_id_mismatch'::text, 'invalid_payload'::text, 'too_many_items'::text]))),
    CONSTRAINT device_attempts_status_check CHECK (((status >= 200) AND (status <= 599)))
);

ALTER TABLE ONLY public.device_attempts FORCE ROW LEVEL SECURITY;


--
-- Name: device_attempts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.device_attempts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.device_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: device_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.device_events (
    id bigint NOT NULL,
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    device_id text NOT NULL,
    event_type text NOT NULL,
    tag_id text NOT NULL,
    tag_present boolean NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    payload jsonb NOT NULL,
    CONSTRAINT device_events_event_type_check CHECK ((event_type = ANY (ARRAY['tag_insert'::text, 'tag_removed'::text])))
);

ALTER TABLE ONLY public.device_events FORCE ROW LEVEL SECURITY;


--
-- Name: device_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.device_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.device_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: devices; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.devices (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    device_id text NOT NULL,
    name text NOT NULL,
    key_hash text NOT NULL,
    key_hint text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    rotated_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT devices_device_id_check CHECK ((device_id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'::text)),
    CONSTRAINT devices_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 100)))
);

ALTER TABLE ONLY public.devices FORCE ROW LEVEL SECURITY;


--
-- Name: device_status; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.device_status WITH (security_invoker='true') AS
 SELECT id,
    owner_id,
    device_id,
    name,
    key_hint,
    created_at,
    rotated_at,
    revoked_at,
    ( SELECT max(e.received_at) AS max
           FROM public.device_events e
          WHERE (e.device_id = d.device_id)) AS last_seen_at
   FROM public.devices d;


--
-- Name: heartbeat_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.heartbeat_settings (
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    key_hash text,
    key_hint text,
    key_created_at timestamp with time zone,
    timeout_minutes integer DEFAULT 15 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT heartbeat_settings_timeout_minutes_check CHECK (((timeout_minutes >= 1) AND (timeout_minutes <= 240)))
);

ALTER TABLE ONLY public.heartbeat_settings FORCE ROW LEVEL SECURITY;


--
-- Name: heartbeats; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.heartbeats (
    id bigint NOT NULL,
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    "time" timestamp with time zone NOT NULL,
    entity text NOT NULL,
    type text NOT NULL,
    category text,
    project text,
    branch text,
    language text,
    is_write boolean DEFAULT false NOT NULL,
    lines integer,
    lineno integer,
    cursorpos integer,
    dependencies text[] DEFAULT '{}'::text[] NOT NULL,
    editor text,
    operating_system text,
    machine text,
    user_agent text,
    hash text NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT heartbeats_entity_check CHECK (((length(entity) >= 1) AND (length(entity) <= 2048))),
    CONSTRAINT heartbeats_hash_check CHECK ((length(hash) = 64)),
    CONSTRAINT heartbeats_type_check CHECK ((type = ANY (ARRAY['file'::text, 'app'::text, 'domain'::text, 'url'::text, 'event'::text])))
);

ALTER TABLE ONLY public.heartbeats FORCE ROW LEVEL SECURITY;


--
-- Name: heartbeats_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.heartbeats ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.heartbeats_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: imported_entries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.imported_entries (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    origin text NOT NULL,
    entry_key text NOT NULL,
    started_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone NOT NULL,
    project text DEFAULT ''::text NOT NULL,
    client text DEFAULT ''::text NOT NULL,
    task text DEFAULT ''::text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    tags text DEFAULT ''::text NOT NULL,
    imported_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT imported_entries_client_check CHECK ((length(client) <= 200)),
    CONSTRAINT imported_entries_description_check CHECK ((length(description) <= 1000)),
    CONSTRAINT imported_entries_entry_key_check CHECK ((entry_key ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT imported_entries_origin_check CHECK ((origin = ANY (ARRAY['toggl'::text, 'clockify'::text]))),
    CONSTRAINT imported_entries_project_check CHECK ((length(project) <= 200)),
    CONSTRAINT imported_entries_span CHECK (((ended_at > started_at) AND ((ended_at - started_at) <= '24:00:00'::interval))),
    CONSTRAINT imported_entries_tags_check CHECK ((length(tags) <= 1000)),
    CONSTRAINT imported_entries_task_check CHECK ((length(task) <= 200))
);

ALTER TABLE ONLY public.imported_entries FORCE ROW LEVEL SECURITY;


--
-- Name: invitation_links; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.invitation_links (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    team_id uuid NOT NULL,
    email text NOT NULL,
    token_hash text NOT NULL,
    invited_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    used_by uuid,
    CONSTRAINT invitation_links_check CHECK ((expires_at > created_at)),
    CONSTRAINT invitation_links_check1 CHECK (((used_at IS NULL) = (used_by IS NULL))),
    CONSTRAINT invitation_links_email_check CHECK (((email = lower(email)) AND (POSITION(('@'::text) IN (email)) > 1))),
    CONSTRAINT invitation_links_token_hash_check CHECK ((token_hash ~ '^[0-9a-f]{64}$'::text))
);

ALTER TABLE ONLY public.invitation_links FORCE ROW LEVEL SECURITY;


--
-- Name: tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tags (
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    tag_id text NOT NULL,
    label text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT tags_label_check CHECK (((length(btrim(label)) >= 1) AND (length(btrim(label)) <= 100))),
    CONSTRAINT tags_tag_id_check CHECK ((tag_id ~ '^[0-9a-f]{2}( [0-9a-f]{2}){0,15}$'::text))
);

ALTER TABLE ONLY public.tags FORCE ROW LEVEL SECURITY;


--
-- Name: nfc_intervals; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.nfc_intervals WITH (security_invoker='true') AS
 WITH ordered AS (
         SELECT e.owner_id,
            e.device_id,
            e.tag_id,
            e.event_type,
            e.occurred_at,
            lead(e.event_type) OVER w AS next_type,
            lead(e.occurred_at) OVER w AS next_at,
            lag(e.event_type) OVER w AS prev_type
           FROM public.device_events e
          WINDOW w AS (PARTITION BY e.owner_id, e.device_id, e.tag_id ORDER BY e.occurred_at, e.event_type)
        )
 SELECT o.owner_id,
    o.device_id,
    o.tag_id,
    COALESCE(t.label, o.tag_id) AS label,
    o.started_at,
    o.ended_at,
    o.status
   FROM (( SELECT ordered.owner_id,
            ordered.device_id,
            ordered.tag_id,
            ordered.occurred_at AS started_at,
                CASE
                    WHEN (ordered.next_type IS NOT NULL) THEN ordered.next_at
                    ELSE NULL::timestamp with time zone
                END AS ended_at,
                CASE ordered.next_type
                    WHEN 'tag_removed'::text THEN 'closed'::text
                    WHEN 'tag_insert'::text THEN 'missing_removal'::text
                    ELSE 'open'::text
                END AS status
           FROM ordered
          WHERE (ordered.event_type = 'tag_insert'::text)
        UNION ALL
         SELECT ordered.owner_id,
            ordered.device_id,
            ordered.tag_id,
            ordered.occurred_at,
            ordered.occurred_at,
            'orphan_removal'::text
           FROM ordered
          WHERE ((ordered.event_type = 'tag_removed'::text) AND (ordered.prev_type IS DISTINCT FROM 'tag_insert'::text))) o
     LEFT JOIN public.tags t ON (((t.owner_id = o.owner_id) AND (t.tag_id = o.tag_id))));


--
-- Name: project_rules; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_rules (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    owner_id uuid,
    team_id uuid,
    source text NOT NULL,
    field text NOT NULL,
    match text DEFAULT 'exact'::text NOT NULL,
    pattern text NOT NULL,
    ignore_case boolean DEFAULT false NOT NULL,
    extra_field text,
    extra_pattern text,
    "position" integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_rules_extra CHECK ((((extra_field IS NULL) = (extra_pattern IS NULL)) AND ((extra_field IS NULL) OR (source = 'wakatime'::text)))),
    CONSTRAINT project_rules_extra_field_check CHECK ((extra_field = ANY (ARRAY['branch'::text, 'language'::text]))),
    CONSTRAINT project_rules_extra_pattern_check CHECK (((length(extra_pattern) >= 1) AND (length(extra_pattern) <= 500))),
    CONSTRAINT project_rules_match_check CHECK ((match = ANY (ARRAY['exact'::text, 'regex'::text]))),
    CONSTRAINT project_rules_one_owner CHECK (((owner_id IS NULL) <> (team_id IS NULL))),
    CONSTRAINT project_rules_pattern_check CHECK (((length(pattern) >= 1) AND (length(pattern) <= 500))),
    CONSTRAINT project_rules_position_check CHECK ((("position" >= 0) AND ("position" <= 100000))),
    CONSTRAINT project_rules_source_check CHECK ((source = ANY (ARRAY['nfc'::text, 'wakatime'::text, 'activitywatch'::text, 'imported'::text]))),
    CONSTRAINT project_rules_source_field CHECK ((((source = 'nfc'::text) AND (field = ANY (ARRAY['tag_id'::text, 'tag_label'::text]))) OR ((source = 'wakatime'::text) AND (field = ANY (ARRAY['project'::text, 'branch'::text, 'language'::text]))) OR ((source = 'activitywatch'::text) AND (field = ANY (ARRAY['app'::text, 'title'::text, 'url'::text, 'domain'::text]))) OR ((source = 'imported'::text) AND (field = ANY (ARRAY['project'::text, 'client'::text, 'description'::text])))))
);

ALTER TABLE ONLY public.project_rules FORCE ROW LEVEL SECURITY;


--
-- Name: projects; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.projects (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid,
    team_id uuid,
    name text NOT NULL,
    color text DEFAULT '#4c78a8'::text NOT NULL,
    parent_id uuid,
    archived boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT projects_color_check CHECK ((color ~ '^#[0-9a-f]{6}$'::text)),
    CONSTRAINT projects_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 100))),
    CONSTRAINT projects_not_own_parent CHECK ((parent_id IS DISTINCT FROM id)),
    CONSTRAINT projects_one_owner CHECK (((owner_id IS NULL) <> (team_id IS NULL)))
);

ALTER TABLE ONLY public.projects FORCE ROW LEVEL SECURITY;


--
-- Name: team_invitations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.team_invitations (
    team_id uuid NOT NULL,
    email text NOT NULL,
    role text DEFAULT 'member'::text NOT NULL,
    invited_by uuid DEFAULT auth.uid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT team_invitations_email_check CHECK (((email = lower(email)) AND (POSITION(('@'::text) IN (email)) > 1))),
    CONSTRAINT team_invitations_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'member'::text])))
);

ALTER TABLE ONLY public.team_invitations FORCE ROW LEVEL SECURITY;


--
-- Name: team_members; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.team_members (
    team_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text DEFAULT 'member'::text NOT NULL,
    added_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT team_members_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'admin'::text, 'member'::text])))
);

ALTER TABLE ONLY public.team_members FORCE ROW LEVEL SECURITY;


--
-- Name: teams; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.teams (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    created_by uuid DEFAULT auth.uid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT teams_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 100)))
);

ALTER TABLE ONLY public.teams FORCE ROW LEVEL SECURITY;


--
-- Name: time_edits; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.time_edits (
    id bigint NOT NULL,
    owner_id uuid NOT NULL,
    actor_id uuid,
    kind text NOT NULL,
    action text NOT NULL,
    item_id uuid NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    started_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone NOT NULL,
    previous jsonb,
    current jsonb,
    CONSTRAINT time_edits_action_check CHECK ((action = ANY (ARRAY['create'::text, 'update'::text, 'delete'::text]))),
    CONSTRAINT time_edits_kind_check CHECK ((kind = ANY (ARRAY['entry'::text, 'exclusion'::text])))
);

ALTER TABLE ONLY public.time_edits FORCE ROW LEVEL SECURITY;


--
-- Name: time_edits_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.time_edits ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.time_edits_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: time_entries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.time_entries (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    started_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone NOT NULL,
    label text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    project_id uuid,
    CONSTRAINT time_entries_label_check CHECK (((length(btrim(label)) >= 1) AND (length(btrim(label)) <= 100))),
    CONSTRAINT time_entries_span CHECK (((ended_at > started_at) AND ((ended_at - started_at) <= '24:00:00'::interval)))
);

ALTER TABLE ONLY public.time_entries FORCE ROW LEVEL SECURITY;


--
-- Name: time_exclusions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.time_exclusions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    started_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT time_exclusions_span CHECK (((ended_at > started_at) AND ((ended_at - started_at) <= '31 days'::interval)))
);

ALTER TABLE ONLY public.time_exclusions FORCE ROW LEVEL SECURITY;


--
-- Name: timer_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.timer_events (
    id bigint NOT NULL,
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    session_id bigint,
    event_id text NOT NULL,
    type text NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    result jsonb NOT NULL,
    CONSTRAINT timer_events_event_id_check CHECK (((length(event_id) >= 1) AND (length(event_id) <= 100))),
    CONSTRAINT timer_events_type_check CHECK ((type = ANY (ARRAY['NEXT'::text, 'PAUSE'::text, 'UNDO'::text, 'EXIT'::text])))
);

ALTER TABLE ONLY public.timer_events FORCE ROW LEVEL SECURITY;


--
-- Name: timer_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.timer_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.timer_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: timer_questions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.timer_questions (
    id bigint NOT NULL,
    session_id bigint NOT NULL,
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    question_index integer NOT NULL,
    started_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone NOT NULL,
    raw_seconds double precision NOT NULL,
    active_seconds double precision NOT NULL,
    pause_accumulated_seconds double precision DEFAULT 0 NOT NULL,
    pause_started_at timestamp with time zone,
    CONSTRAINT timer_questions_check CHECK ((ended_at >= started_at)),
    CONSTRAINT timer_questions_check1 CHECK (((active_seconds >= (0)::double precision) AND (active_seconds <= raw_seconds))),
    CONSTRAINT timer_questions_pause_accumulated_seconds_check CHECK ((pause_accumulated_seconds >= (0)::double precision)),
    CONSTRAINT timer_questions_question_index_check CHECK ((question_index >= 1)),
    CONSTRAINT timer_questions_raw_seconds_check CHECK ((raw_seconds >= (0)::double precision))
);

ALTER TABLE ONLY public.timer_questions FORCE ROW LEVEL SECURITY;


--
-- Name: timer_questions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.timer_questions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.timer_questions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: timer_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.timer_sessions (
    id bigint NOT NULL,
    public_id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    target_pace_minutes double precision DEFAULT 5.5 NOT NULL,
    started_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone,
    current_index integer DEFAULT 1 NOT NULL,
    question_started_at timestamp with time zone NOT NULL,
    pause_accumulated_seconds double precision DEFAULT 0 NOT NULL,
    pause_started_at timestamp with time zone,
    project_id uuid,
    CONSTRAINT timer_sessions_current_index_check CHECK ((current_index >= 1)),
    CONSTRAINT timer_sessions_pause_accumulated_seconds_check CHECK ((pause_accumulated_seconds >= (0)::double precision)),
    CONSTRAINT timer_sessions_target_pace_minutes_check CHECK (((target_pace_minutes > (0)::double precision) AND (target_pace_minutes <= (1440)::double precision)))
);

ALTER TABLE ONLY public.timer_sessions FORCE ROW LEVEL SECURITY;


--
-- Name: timer_sessions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.timer_sessions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.timer_sessions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: timer_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.timer_state (
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    active_session_id bigint,
    last_event_at timestamp with time zone
);

ALTER TABLE ONLY public.timer_state FORCE ROW LEVEL SECURITY;


--
-- Name: tracker_profiles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tracker_profiles (
    id uuid NOT NULL,
    email text,
    display_name text DEFAULT ''::text NOT NULL,
    timezone text DEFAULT 'UTC'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    source_precedence text[] DEFAULT '{}'::text[] NOT NULL,
    open_interval_cap_hours integer DEFAULT 12 NOT NULL,
    share_notes boolean DEFAULT false NOT NULL,
    CONSTRAINT tracker_profiles_display_name_check CHECK ((length(display_name) <= 100)),
    CONSTRAINT tracker_profiles_open_interval_cap_hours_check CHECK (((open_interval_cap_hours >= 1) AND (open_interval_cap_hours <= 24))),
    CONSTRAINT tracker_profiles_source_precedence_check CHECK (((cardinality(source_precedence) <= 16) AND (array_to_string(source_precedence, ','::text) ~ '^([a-z_]{1,32}(,[a-z_]{1,32})*)?$'::text))),
    CONSTRAINT tracker_profiles_timezone_check CHECK (((length(timezone) >= 1) AND (length(timezone) <= 64)))
);

ALTER TABLE ONLY public.tracker_profiles FORCE ROW LEVEL SECURITY;


--
-- Name: wakatime_connections; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.wakatime_connections (
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    wakatime_uid text,
    scope text DEFAULT ''::text NOT NULL,
    access_token_encrypted text NOT NULL,
    refresh_token_encrypted text,
    expires_at timestamp with time zone,
    status text DEFAULT 'connected'::text NOT NULL,
    connected_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    last_import_at timestamp with time zone,
    last_import_result jsonb,
    CONSTRAINT wakatime_connections_status_check CHECK ((status = ANY (ARRAY['connected'::text, 'reconnect_needed'::text])))
);

ALTER TABLE ONLY public.wakatime_connections FORCE ROW LEVEL SECURITY;


--
-- Name: wakatime_day_totals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.wakatime_day_totals (
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    day date NOT NULL,
    dimension text NOT NULL,
    name text NOT NULL,
    seconds double precision NOT NULL,
    imported_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT wakatime_day_totals_dimension_check CHECK ((dimension = ANY (ARRAY['project'::text, 'language'::text, 'editor'::text, 'operating_system'::text, 'category'::text]))),
    CONSTRAINT wakatime_day_totals_seconds_check CHECK ((seconds >= (0)::double precision))
);

ALTER TABLE ONLY public.wakatime_day_totals FORCE ROW LEVEL SECURITY;


--
-- Name: wakatime_durations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.wakatime_durations (
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    day date NOT NULL,
    started_at timestamp with time zone NOT NULL,
    project text DEFAULT ''::text NOT NULL,
    language text DEFAULT ''::text NOT NULL,
    duration_seconds double precision NOT NULL,
    imported_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT wakatime_durations_duration_seconds_check CHECK ((duration_seconds >= (0)::double precision))
);

ALTER TABLE ONLY public.wakatime_durations FORCE ROW LEVEL SECURITY;


--
-- Name: wakatime_oauth_states; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.wakatime_oauth_states (
    nonce text NOT NULL,
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT wakatime_oauth_states_nonce_check CHECK (((length(nonce) >= 16) AND (length(nonce) <= 100)))
);

ALTER TABLE ONLY public.wakatime_oauth_states FORCE ROW LEVEL SECURITY;


--
-- Name: auth_throttles auth_throttles_pkey; Type: CONSTRAINT; Schema: internal; Owner: -
--

ALTER TABLE ONLY internal.auth_throttles
    ADD CONSTRAINT auth_throttles_pkey PRIMARY KEY (key);


--
-- Name: auto_confirmed_emails auto_confirmed_emails_pkey; Type: CONSTRAINT; Schema: internal; Owner: -
--

ALTER TABLE ONLY internal.auto_confirmed_emails
    ADD CONSTRAINT auto_confirmed_emails_pkey PRIMARY KEY (user_id);


--
-- Name: browser_sessions browser_sessions_handoff_hash_key; Type: CONSTRAINT; Schema: internal; Owner: -
--

ALTER TABLE ONLY internal.browser_sessions
    ADD CONSTRAINT browser_sessions_handoff_hash_key UNIQUE (handoff_hash);


--
-- Name: browser_sessions browser_sessions_pkey; Type: CONSTRAINT; Schema: internal; Owner: -
--

ALTER TABLE ONLY internal.browser_sessions
    ADD CONSTRAINT browser_sessions_pkey PRIMARY KEY (id);


--
-- Name: browser_sessions browser_sessions_secret_hash_key; Type: CONSTRAINT; Schema: internal; Owner: -
--

ALTER TABLE ONLY internal.browser_sessions
    ADD CONSTRAINT browser_sessions_secret_hash_key UNIQUE (secret_hash);


--
-- Name: email_confirmations email_confirmations_pkey; Type: CONSTRAINT; Schema: internal; Owner: -
--

ALTER TABLE ONLY internal.email_confirmations
    ADD CONSTRAINT email_confirmations_pkey PRIMARY KEY (token_hash);


--
-- Name: oauth_codes oauth_codes_pkey; Type: CONSTRAINT; Schema: internal; Owner: -
--

ALTER TABLE ONLY internal.oauth_codes
    ADD CONSTRAINT oauth_codes_pkey PRIMARY KEY (code_hash);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: internal; Owner: -
--

ALTER TABLE ONLY internal.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (name);


--
-- Name: api_tokens api_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);


--
-- Name: api_tokens api_tokens_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash);


--
-- Name: aw_events aw_events_natural_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.aw_events
    ADD CONSTRAINT aw_events_natural_key UNIQUE NULLS NOT DISTINCT (owner_id, team_id, developer_id, host, bucket_id, started_at);


--
-- Name: aw_events aw_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.aw_events
    ADD CONSTRAINT aw_events_pkey PRIMARY KEY (id);


--
-- Name: correction_notes correction_notes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.correction_notes
    ADD CONSTRAINT correction_notes_pkey PRIMARY KEY (item_id);


--
-- Name: developers developers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.developers
    ADD CONSTRAINT developers_pkey PRIMARY KEY (team_id, developer_id);


--
-- Name: device_attempts device_attempts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.device_attempts
    ADD CONSTRAINT device_attempts_pkey PRIMARY KEY (id);


--
-- Name: device_events device_events_natural_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.device_events
    ADD CONSTRAINT device_events_natural_key UNIQUE (device_id, occurred_at, event_type, tag_id);


--
-- Name: device_events device_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.device_events
    ADD CONSTRAINT device_events_pkey PRIMARY KEY (id);


--
-- Name: devices devices_device_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.devices
    ADD CONSTRAINT devices_device_id_key UNIQUE (device_id);


--
-- Name: devices devices_owner_device_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.devices
    ADD CONSTRAINT devices_owner_device_key UNIQUE (owner_id, device_id);


--
-- Name: devices devices_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.devices
    ADD CONSTRAINT devices_pkey PRIMARY KEY (id);


--
-- Name: heartbeat_settings heartbeat_settings_key_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.heartbeat_settings
    ADD CONSTRAINT heartbeat_settings_key_hash_key UNIQUE (key_hash);


--
-- Name: heartbeat_settings heartbeat_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.heartbeat_settings
    ADD CONSTRAINT heartbeat_settings_pkey PRIMARY KEY (owner_id);


--
-- Name: heartbeats heartbeats_owner_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.heartbeats
    ADD CONSTRAINT heartbeats_owner_hash_key UNIQUE (owner_id, hash);


--
-- Name: heartbeats heartbeats_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.heartbeats
    ADD CONSTRAINT heartbeats_pkey PRIMARY KEY (id);


--
-- Name: imported_entries imported_entries_owner_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.imported_entries
    ADD CONSTRAINT imported_entries_owner_key UNIQUE (owner_id, entry_key);


--
-- Name: imported_entries imported_entries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.imported_entries
    ADD CONSTRAINT imported_entries_pkey PRIMARY KEY (id);


--
-- Name: invitation_links invitation_links_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invitation_links
    ADD CONSTRAINT invitation_links_pkey PRIMARY KEY (id);


--
-- Name: project_rules project_rules_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_rules
    ADD CONSTRAINT project_rules_pkey PRIMARY KEY (id);


--
-- Name: projects projects_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_name_key UNIQUE NULLS NOT DISTINCT (owner_id, team_id, parent_id, name);


--
-- Name: projects projects_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (id);


--
-- Name: tags tags_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT tags_pkey PRIMARY KEY (owner_id, tag_id);


--
-- Name: team_invitations team_invitations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_invitations
    ADD CONSTRAINT team_invitations_pkey PRIMARY KEY (team_id, email);


--
-- Name: team_members team_members_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_members
    ADD CONSTRAINT team_members_pkey PRIMARY KEY (team_id, user_id);


--
-- Name: teams teams_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_pkey PRIMARY KEY (id);


--
-- Name: time_edits time_edits_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.time_edits
    ADD CONSTRAINT time_edits_pkey PRIMARY KEY (id);


--
-- Name: time_entries time_entries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.time_entries
    ADD CONSTRAINT time_entries_pkey PRIMARY KEY (id);


--
-- Name: time_exclusions time_exclusions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.time_exclusions
    ADD CONSTRAINT time_exclusions_pkey PRIMARY KEY (id);


--
-- Name: timer_events timer_events_owner_event_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_events
    ADD CONSTRAINT timer_events_owner_event_key UNIQUE (owner_id, event_id);


--
-- Name: timer_events timer_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_events
    ADD CONSTRAINT timer_events_pkey PRIMARY KEY (id);


--
-- Name: timer_questions timer_questions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_questions
    ADD CONSTRAINT timer_questions_pkey PRIMARY KEY (id);


--
-- Name: timer_questions timer_questions_session_index_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_questions
    ADD CONSTRAINT timer_questions_session_index_key UNIQUE (session_id, question_index);


--
-- Name: timer_sessions timer_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_sessions
    ADD CONSTRAINT timer_sessions_pkey PRIMARY KEY (id);


--
-- Name: timer_sessions timer_sessions_public_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_sessions
    ADD CONSTRAINT timer_sessions_public_id_key UNIQUE (public_id);


--
-- Name: timer_state timer_state_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_state
    ADD CONSTRAINT timer_state_pkey PRIMARY KEY (owner_id);


--
-- Name: tracker_profiles tracker_profiles_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tracker_profiles
    ADD CONSTRAINT tracker_profiles_pkey PRIMARY KEY (id);


--
-- Name: wakatime_connections wakatime_connections_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wakatime_connections
    ADD CONSTRAINT wakatime_connections_pkey PRIMARY KEY (owner_id);


--
-- Name: wakatime_day_totals wakatime_day_totals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wakatime_day_totals
    ADD CONSTRAINT wakatime_day_totals_pkey PRIMARY KEY (owner_id, day, dimension, name);


--
-- Name: wakatime_durations wakatime_durations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wakatime_durations
    ADD CONSTRAINT wakatime_durations_pkey PRIMARY KEY (owner_id, day, started_at, project, language);


--
-- Name: wakatime_oauth_states wakatime_oauth_states_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wakatime_oauth_states
    ADD CONSTRAINT wakatime_oauth_states_pkey PRIMARY KEY (nonce);


--
-- Name: auth_throttles_expires_at_idx; Type: INDEX; Schema: internal; Owner: -
--

CREATE INDEX auth_throttles_expires_at_idx ON internal.auth_throttles USING btree (expires_at);


--
-- Name: browser_sessions_expiry_idx; Type: INDEX; Schema: internal; Owner: -
--

CREATE INDEX browser_sessions_expiry_idx ON internal.browser_sessions USING btree (expires_at);


--
-- Name: browser_sessions_user_idx; Type: INDEX; Schema: internal; Owner: -
--

CREATE INDEX browser_sessions_user_idx ON internal.browser_sessions USING btree (user_id);


--
-- Name: email_confirmations_user_id_idx; Type: INDEX; Schema: internal; Owner: -
--

CREATE INDEX email_confirmations_user_id_idx ON internal.email_confirmations USING btree (user_id);


--
-- Name: api_tokens_owner_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX api_tokens_owner_id_idx ON public.api_tokens USING btree (owner_id);


--
-- Name: aw_events_owner_long_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX aw_events_owner_long_idx ON public.aw_events USING btree (owner_id, started_at) WHERE ((owner_id IS NOT NULL) AND (duration > (3600)::double precision));


--
-- Name: aw_events_owner_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX aw_events_owner_time_idx ON public.aw_events USING btree (owner_id, started_at) WHERE (owner_id IS NOT NULL);


--
-- Name: aw_events_team_long_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX aw_events_team_long_idx ON public.aw_events USING btree (team_id, developer_id, started_at) WHERE ((team_id IS NOT NULL) AND (duration > (3600)::double precision));


--
-- Name: aw_events_team_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX aw_events_team_time_idx ON public.aw_events USING btree (team_id, developer_id, started_at) WHERE (team_id IS NOT NULL);


--
-- Name: developers_user_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX developers_user_id_idx ON public.developers USING btree (user_id) WHERE (user_id IS NOT NULL);


--
-- Name: device_attempts_device_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX device_attempts_device_idx ON public.device_attempts USING btree (device_id, id DESC);


--
-- Name: device_attempts_owner_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX device_attempts_owner_idx ON public.device_attempts USING btree (owner_id);


--
-- Name: device_attempts_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX device_attempts_time_idx ON public.device_attempts USING btree (attempted_at);


--
-- Name: device_events_device_received_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX device_events_device_received_idx ON public.device_events USING btree (device_id, received_at DESC);


--
-- Name: device_events_owner_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX device_events_owner_time_idx ON public.device_events USING btree (owner_id, occurred_at);


--
-- Name: heartbeats_owner_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX heartbeats_owner_time_idx ON public.heartbeats USING btree (owner_id, "time");


--
-- Name: imported_entries_owner_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX imported_entries_owner_time_idx ON public.imported_entries USING btree (owner_id, started_at);


--
-- Name: invitation_links_one_unused_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX invitation_links_one_unused_idx ON public.invitation_links USING btree (team_id, email) WHERE (used_at IS NULL);


--
-- Name: invitation_links_team_email_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX invitation_links_team_email_idx ON public.invitation_links USING btree (team_id, email);


--
-- Name: invitation_links_used_by_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX invitation_links_used_by_idx ON public.invitation_links USING btree (used_by) WHERE (used_by IS NOT NULL);


--
-- Name: project_rules_owner_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX project_rules_owner_idx ON public.project_rules USING btree (owner_id, "position") WHERE (owner_id IS NOT NULL);


--
-- Name: project_rules_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX project_rules_project_idx ON public.project_rules USING btree (project_id);


--
-- Name: project_rules_team_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX project_rules_team_idx ON public.project_rules USING btree (team_id, "position") WHERE (team_id IS NOT NULL);


--
-- Name: projects_owner_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX projects_owner_idx ON public.projects USING btree (owner_id) WHERE (owner_id IS NOT NULL);


--
-- Name: projects_parent_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX projects_parent_idx ON public.projects USING btree (parent_id) WHERE (parent_id IS NOT NULL);


--
-- Name: projects_team_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX projects_team_idx ON public.projects USING btree (team_id) WHERE (team_id IS NOT NULL);


--
-- Name: team_invitations_email_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX team_invitations_email_idx ON public.team_invitations USING btree (email);


--
-- Name: team_members_user_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX team_members_user_id_idx ON public.team_members USING btree (user_id);


--
-- Name: time_edits_owner_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX time_edits_owner_time_idx ON public.time_edits USING btree (owner_id, started_at);


--
-- Name: time_entries_owner_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX time_entries_owner_time_idx ON public.time_entries USING btree (owner_id, started_at);


--
-- Name: time_entries_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX time_entries_project_idx ON public.time_entries USING btree (project_id) WHERE (project_id IS NOT NULL);


--
-- Name: time_exclusions_owner_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX time_exclusions_owner_time_idx ON public.time_exclusions USING btree (owner_id, started_at);


--
-- Name: timer_events_session_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX timer_events_session_idx ON public.timer_events USING btree (session_id);


--
-- Name: timer_questions_owner_start_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX timer_questions_owner_start_idx ON public.timer_questions USING btree (owner_id, started_at);


--
-- Name: timer_sessions_owner_start_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX timer_sessions_owner_start_idx ON public.timer_sessions USING btree (owner_id, started_at DESC);


--
-- Name: timer_sessions_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX timer_sessions_project_idx ON public.timer_sessions USING btree (project_id) WHERE (project_id IS NOT NULL);


--
-- Name: wakatime_durations_owner_long_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wakatime_durations_owner_long_idx ON public.wakatime_durations USING btree (owner_id, started_at) WHERE (duration_seconds > (3600)::double precision);


--
-- Name: wakatime_durations_owner_start_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wakatime_durations_owner_start_idx ON public.wakatime_durations USING btree (owner_id, started_at);


--
-- Name: wakatime_oauth_states_owner_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wakatime_oauth_states_owner_idx ON public.wakatime_oauth_states USING btree (owner_id);


--
-- Name: team_invitations forget_unused_invitation_links; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER forget_unused_invitation_links AFTER DELETE ON public.team_invitations FOR EACH ROW EXECUTE FUNCTION internal.forget_unused_invitation_links();


--
-- Name: api_tokens keep_revoked; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER keep_revoked BEFORE UPDATE OF revoked_at ON public.api_tokens FOR EACH ROW EXECUTE FUNCTION internal.keep_revoked();


--
-- Name: devices keep_revoked; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER keep_revoked BEFORE UPDATE OF revoked_at ON public.devices FOR EACH ROW EXECUTE FUNCTION internal.keep_revoked();


--
-- Name: teams on_team_created; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER on_team_created AFTER INSERT ON public.teams FOR EACH ROW EXECUTE FUNCTION internal.on_team_created();


--
-- Name: time_entries record_edit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER record_edit AFTER INSERT OR DELETE OR UPDATE ON public.time_entries FOR EACH ROW EXECUTE FUNCTION internal.record_time_edit('entry');


--
-- Name: time_exclusions record_edit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER record_edit AFTER INSERT OR DELETE OR UPDATE ON public.time_exclusions FOR EACH ROW EXECUTE FUNCTION internal.record_time_edit('exclusion');


--
-- Name: auto_confirmed_emails auto_confirmed_emails_user_id_fkey; Type: FK CONSTRAINT; Schema: internal; Owner: -
--

ALTER TABLE ONLY internal.auto_confirmed_emails
    ADD CONSTRAINT auto_confirmed_emails_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: browser_sessions browser_sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: internal; Owner: -
--

ALTER TABLE ONLY internal.browser_sessions
    ADD CONSTRAINT browser_sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: email_confirmations email_confirmations_user_id_fkey; Type: FK CONSTRAINT; Schema: internal; Owner: -
--

ALTER TABLE ONLY internal.email_confirmations
    ADD CONSTRAINT email_confirmations_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: oauth_codes oauth_codes_user_id_fkey; Type: FK CONSTRAINT; Schema: internal; Owner: -
--

ALTER TABLE ONLY internal.oauth_codes
    ADD CONSTRAINT oauth_codes_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: api_tokens api_tokens_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: aw_events aw_events_developer_fk; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.aw_events
    ADD CONSTRAINT aw_events_developer_fk FOREIGN KEY (team_id, developer_id) REFERENCES public.developers(team_id, developer_id) ON DELETE CASCADE;


--
-- Name: aw_events aw_events_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.aw_events
    ADD CONSTRAINT aw_events_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: correction_notes correction_notes_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.correction_notes
    ADD CONSTRAINT correction_notes_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: developers developers_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.developers
    ADD CONSTRAINT developers_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id) ON DELETE CASCADE;


--
-- Name: developers developers_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.developers
    ADD CONSTRAINT developers_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE SET NULL;


--
-- Name: device_attempts device_attempts_device_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.device_attempts
    ADD CONSTRAINT device_attempts_device_id_fkey FOREIGN KEY (device_id) REFERENCES public.devices(device_id) ON DELETE CASCADE;


--
-- Name: device_attempts device_attempts_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.device_attempts
    ADD CONSTRAINT device_attempts_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: device_events device_events_device_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.device_events
    ADD CONSTRAINT device_events_device_fkey FOREIGN KEY (owner_id, device_id) REFERENCES public.devices(owner_id, device_id) ON DELETE CASCADE;


--
-- Name: devices devices_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.devices
    ADD CONSTRAINT devices_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: heartbeat_settings heartbeat_settings_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.heartbeat_settings
    ADD CONSTRAINT heartbeat_settings_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: heartbeats heartbeats_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.heartbeats
    ADD CONSTRAINT heartbeats_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: imported_entries imported_entries_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.imported_entries
    ADD CONSTRAINT imported_entries_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: invitation_links invitation_links_invited_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invitation_links
    ADD CONSTRAINT invitation_links_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES auth.users(id) ON DELETE SET NULL;


--
-- Name: invitation_links invitation_links_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invitation_links
    ADD CONSTRAINT invitation_links_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id) ON DELETE CASCADE;


--
-- Name: invitation_links invitation_links_used_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.invitation_links
    ADD CONSTRAINT invitation_links_used_by_fkey FOREIGN KEY (used_by) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: project_rules project_rules_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_rules
    ADD CONSTRAINT project_rules_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: project_rules project_rules_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_rules
    ADD CONSTRAINT project_rules_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;


--
-- Name: project_rules project_rules_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_rules
    ADD CONSTRAINT project_rules_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id) ON DELETE CASCADE;


--
-- Name: projects projects_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: projects projects_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.projects(id) ON DELETE SET NULL;


--
-- Name: projects projects_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id) ON DELETE CASCADE;


--
-- Name: tags tags_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT tags_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: team_invitations team_invitations_invited_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_invitations
    ADD CONSTRAINT team_invitations_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: team_invitations team_invitations_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_invitations
    ADD CONSTRAINT team_invitations_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id) ON DELETE CASCADE;


--
-- Name: team_members team_members_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_members
    ADD CONSTRAINT team_members_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id) ON DELETE CASCADE;


--
-- Name: team_members team_members_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_members
    ADD CONSTRAINT team_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: teams teams_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_created_by_fkey FOREIGN KEY (created_by) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: time_edits time_edits_actor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.time_edits
    ADD CONSTRAINT time_edits_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES auth.users(id) ON DELETE SET NULL;


--
-- Name: time_edits time_edits_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.time_edits
    ADD CONSTRAINT time_edits_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: time_entries time_entries_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.time_entries
    ADD CONSTRAINT time_entries_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: time_entries time_entries_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.time_entries
    ADD CONSTRAINT time_entries_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE SET NULL;


--
-- Name: time_exclusions time_exclusions_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.time_exclusions
    ADD CONSTRAINT time_exclusions_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: timer_events timer_events_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_events
    ADD CONSTRAINT timer_events_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: timer_events timer_events_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_events
    ADD CONSTRAINT timer_events_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.timer_sessions(id) ON DELETE SET NULL;


--
-- Name: timer_questions timer_questions_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_questions
    ADD CONSTRAINT timer_questions_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: timer_questions timer_questions_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_questions
    ADD CONSTRAINT timer_questions_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.timer_sessions(id) ON DELETE CASCADE;


--
-- Name: timer_sessions timer_sessions_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_sessions
    ADD CONSTRAINT timer_sessions_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: timer_sessions timer_sessions_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_sessions
    ADD CONSTRAINT timer_sessions_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE SET NULL;


--
-- Name: timer_state timer_state_active_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_state
    ADD CONSTRAINT timer_state_active_session_id_fkey FOREIGN KEY (active_session_id) REFERENCES public.timer_sessions(id) ON DELETE SET NULL;


--
-- Name: timer_state timer_state_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timer_state
    ADD CONSTRAINT timer_state_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: tracker_profiles tracker_profiles_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tracker_profiles
    ADD CONSTRAINT tracker_profiles_id_fkey FOREIGN KEY (id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: wakatime_connections wakatime_connections_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wakatime_connections
    ADD CONSTRAINT wakatime_connections_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: wakatime_day_totals wakatime_day_totals_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wakatime_day_totals
    ADD CONSTRAINT wakatime_day_totals_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: wakatime_durations wakatime_durations_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wakatime_durations
    ADD CONSTRAINT wakatime_durations_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: wakatime_oauth_states wakatime_oauth_states_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wakatime_oauth_states
    ADD CONSTRAINT wakatime_oauth_states_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES auth.users(id) ON DELETE CASCADE;


--
-- Name: auth_throttles; Type: ROW SECURITY; Schema: internal; Owner: -
--

ALTER TABLE internal.auth_throttles ENABLE ROW LEVEL SECURITY;

--
-- Name: auto_confirmed_emails; Type: ROW SECURITY; Schema: internal; Owner: -
--

ALTER TABLE internal.auto_confirmed_emails ENABLE ROW LEVEL SECURITY;

--
-- Name: browser_sessions; Type: ROW SECURITY; Schema: internal; Owner: -
--

ALTER TABLE internal.browser_sessions ENABLE ROW LEVEL SECURITY;

--
-- Name: email_confirmations; Type: ROW SECURITY; Schema: internal; Owner: -
--

ALTER TABLE internal.email_confirmations ENABLE ROW LEVEL SECURITY;

--
-- Name: email_confirmations the local auth server keeps confirmation links; Type: POLICY; Schema: internal; Owner: -
--

CREATE POLICY "the local auth server keeps confirmation links" ON internal.email_confirmations TO service_role USING (true) WITH CHECK (true);


--
-- Name: auto_confirmed_emails the local auth server records confirmations made without mail; Type: POLICY; Schema: internal; Owner: -
--

CREATE POLICY "the local auth server records confirmations made without mail" ON internal.auto_confirmed_emails TO service_role USING (true) WITH CHECK (true);


--
-- Name: auth_throttles the service path throttles; Type: POLICY; Schema: internal; Owner: -
--

CREATE POLICY "the service path throttles" ON internal.auth_throttles TO service_role USING (true) WITH CHECK (true);


--
-- Name: team_members admins change non-owner members; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "admins change non-owner members" ON public.team_members FOR UPDATE TO authenticated USING (((team_id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids)) AND (role <> 'owner'::text))) WITH CHECK (((team_id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids)) AND (role <> 'owner'::text)));


--
-- Name: team_invitations admins read their teams' invitations; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "admins read their teams' invitations" ON public.team_invitations FOR SELECT TO authenticated USING ((team_id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids)));


--
-- Name: team_members admins remove members and members leave; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "admins remove members and members leave" ON public.team_members FOR DELETE TO authenticated USING (((role <> 'owner'::text) AND ((team_id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids)) OR (user_id = ( SELECT auth.uid() AS uid)))));


--
-- Name: teams admins rename their teams; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "admins rename their teams" ON public.teams FOR UPDATE TO authenticated USING ((id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids))) WITH CHECK ((id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids)));


--
-- Name: team_invitations admins withdraw invitations; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "admins withdraw invitations" ON public.team_invitations FOR DELETE TO authenticated USING ((team_id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids)));


--
-- Name: api_tokens; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.api_tokens ENABLE ROW LEVEL SECURITY;

--
-- Name: aw_events; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.aw_events ENABLE ROW LEVEL SECURITY;

--
-- Name: correction_notes; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.correction_notes ENABLE ROW LEVEL SECURITY;

--
-- Name: developers; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.developers ENABLE ROW LEVEL SECURITY;

--
-- Name: device_attempts; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.device_attempts ENABLE ROW LEVEL SECURITY;

--
-- Name: device_events; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.device_events ENABLE ROW LEVEL SECURITY;

--
-- Name: devices; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.devices ENABLE ROW LEVEL SECURITY;

--
-- Name: heartbeat_settings; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.heartbeat_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: heartbeats; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.heartbeats ENABLE ROW LEVEL SECURITY;

--
-- Name: imported_entries; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.imported_entries ENABLE ROW LEVEL SECURITY;

--
-- Name: invitation_links; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.invitation_links ENABLE ROW LEVEL SECURITY;

--
-- Name: team_invitations invitees decline their invitations; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "invitees decline their invitations" ON public.team_invitations FOR DELETE TO authenticated USING ((email = ( SELECT internal.my_email() AS my_email)));


--
-- Name: teams invitees read the teams they are invited to; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "invitees read the teams they are invited to" ON public.teams FOR SELECT TO authenticated USING ((id IN ( SELECT internal.my_invited_team_ids() AS my_invited_team_ids)));


--
-- Name: team_invitations invitees read their invitations; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "invitees read their invitations" ON public.team_invitations FOR SELECT TO authenticated USING ((email = ( SELECT internal.my_email() AS my_email)));


--
-- Name: tracker_profiles invitees read their inviters' profiles; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "invitees read their inviters' profiles" ON public.tracker_profiles FOR SELECT TO authenticated USING ((id IN ( SELECT internal.my_inviter_ids() AS my_inviter_ids)));


--
-- Name: time_entries manual entries keep visible projects; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "manual entries keep visible projects" ON public.time_entries AS RESTRICTIVE FOR UPDATE TO authenticated USING (true) WITH CHECK (internal.may_use_project(project_id));


--
-- Name: time_entries manual entries name visible projects; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "manual entries name visible projects" ON public.time_entries AS RESTRICTIVE FOR INSERT TO authenticated WITH CHECK (internal.may_use_project(project_id));


--
-- Name: teams members read their teams; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "members read their teams" ON public.teams FOR SELECT TO authenticated USING (((id IN ( SELECT internal.my_team_ids() AS my_team_ids)) OR (created_by = ( SELECT auth.uid() AS uid))));


--
-- Name: team_members members read their teams' members; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "members read their teams' members" ON public.team_members FOR SELECT TO authenticated USING ((team_id IN ( SELECT internal.my_team_ids() AS my_team_ids)));


--
-- Name: time_entries owners add manual entries; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners add manual entries" ON public.time_entries FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: timer_sessions owners advance and retarget their timer sessions; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners advance and retarget their timer sessions" ON public.timer_sessions FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: projects owners and team admins change projects; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and team admins change projects" ON public.projects FOR UPDATE TO authenticated USING (internal.manages_projects_of(owner_id, team_id)) WITH CHECK ((internal.manages_projects_of(owner_id, team_id) AND internal.project_parent_fits(id, parent_id, owner_id, team_id)));


--
-- Name: project_rules owners and team admins change rules; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and team admins change rules" ON public.project_rules FOR UPDATE TO authenticated USING (internal.manages_projects_of(owner_id, team_id)) WITH CHECK ((internal.manages_projects_of(owner_id, team_id) AND internal.rule_may_name(project_id, team_id)));


--
-- Name: projects owners and team admins create projects; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and team admins create projects" ON public.projects FOR INSERT TO authenticated WITH CHECK ((internal.manages_projects_of(owner_id, team_id) AND internal.project_parent_fits(id, parent_id, owner_id, team_id)));


--
-- Name: projects owners and team admins delete projects; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and team admins delete projects" ON public.projects FOR DELETE TO authenticated USING (internal.manages_projects_of(owner_id, team_id));


--
-- Name: project_rules owners and team admins delete rules; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and team admins delete rules" ON public.project_rules FOR DELETE TO authenticated USING (internal.manages_projects_of(owner_id, team_id));


--
-- Name: project_rules owners and team admins write rules; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and team admins write rules" ON public.project_rules FOR INSERT TO authenticated WITH CHECK ((internal.manages_projects_of(owner_id, team_id) AND internal.rule_may_name(project_id, team_id)));


--
-- Name: projects owners and team members read projects; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and team members read projects" ON public.projects FOR SELECT TO authenticated USING (((owner_id = ( SELECT auth.uid() AS uid)) OR (team_id IN ( SELECT internal.my_team_ids() AS my_team_ids))));


--
-- Name: project_rules owners and team members read rules; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and team members read rules" ON public.project_rules FOR SELECT TO authenticated USING (((owner_id = ( SELECT auth.uid() AS uid)) OR (team_id IN ( SELECT internal.my_team_ids() AS my_team_ids))));


--
-- Name: device_attempts owners and their team admins read device attempts; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read device attempts" ON public.device_attempts FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: device_events owners and their team admins read device events; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read device events" ON public.device_events FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: devices owners and their team admins read devices; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read devices" ON public.devices FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: time_exclusions owners and their team admins read exclusions; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read exclusions" ON public.time_exclusions FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: heartbeat_settings owners and their team admins read heartbeat settings; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read heartbeat settings" ON public.heartbeat_settings FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: heartbeats owners and their team admins read heartbeats; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read heartbeats" ON public.heartbeats FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: wakatime_day_totals owners and their team admins read imported day totals; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read imported day totals" ON public.wakatime_day_totals FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: wakatime_durations owners and their team admins read imported durations; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read imported durations" ON public.wakatime_durations FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: imported_entries owners and their team admins read imported entries; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read imported entries" ON public.imported_entries FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: time_entries owners and their team admins read manual entries; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read manual entries" ON public.time_entries FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: tags owners and their team admins read tags; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read tags" ON public.tags FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: time_edits owners and their team admins read the edit trail; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read the edit trail" ON public.time_edits FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: timer_events owners and their team admins read timer events; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read timer events" ON public.timer_events FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: timer_questions owners and their team admins read timer questions; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read timer questions" ON public.timer_questions FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: timer_sessions owners and their team admins read timer sessions; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners and their team admins read timer sessions" ON public.timer_sessions FOR SELECT TO authenticated USING ((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))));


--
-- Name: time_exclusions owners change their exclusions; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners change their exclusions" ON public.time_exclusions FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: heartbeat_settings owners change their heartbeat settings; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners change their heartbeat settings" ON public.heartbeat_settings FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: time_entries owners change their manual entries; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners change their manual entries" ON public.time_entries FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: timer_questions owners close questions of their own sessions; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners close questions of their own sessions" ON public.timer_questions FOR INSERT TO authenticated WITH CHECK (((owner_id = ( SELECT auth.uid() AS uid)) AND (EXISTS ( SELECT
   FROM public.timer_sessions s
  WHERE ((s.id = timer_questions.session_id) AND (s.owner_id = ( SELECT auth.uid() AS uid)))))));


--
-- Name: wakatime_connections owners connect wakatime; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners connect wakatime" ON public.wakatime_connections FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: wakatime_oauth_states owners consume their oauth states; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners consume their oauth states" ON public.wakatime_oauth_states FOR SELECT TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: wakatime_day_totals owners correct imported day totals; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners correct imported day totals" ON public.wakatime_day_totals FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: wakatime_durations owners correct imported durations; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners correct imported durations" ON public.wakatime_durations FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: heartbeat_settings owners create their heartbeat settings; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners create their heartbeat settings" ON public.heartbeat_settings FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: timer_state owners create their timer state; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners create their timer state" ON public.timer_state FOR INSERT TO authenticated WITH CHECK (((owner_id = ( SELECT auth.uid() AS uid)) AND internal.owns_timer_session(active_session_id)));


--
-- Name: api_tokens owners create their tokens; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners create their tokens" ON public.api_tokens FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: timer_questions owners delete and undo their timer questions; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners delete and undo their timer questions" ON public.timer_questions FOR DELETE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: time_exclusions owners delete their exclusions; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners delete their exclusions" ON public.time_exclusions FOR DELETE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: time_entries owners delete their manual entries; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners delete their manual entries" ON public.time_entries FOR DELETE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: correction_notes owners delete their notes; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners delete their notes" ON public.correction_notes FOR DELETE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: wakatime_oauth_states owners delete their oauth states; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners delete their oauth states" ON public.wakatime_oauth_states FOR DELETE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: tags owners delete their tags; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners delete their tags" ON public.tags FOR DELETE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: teams owners delete their teams; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners delete their teams" ON public.teams FOR DELETE TO authenticated USING ((created_by = ( SELECT auth.uid() AS uid)));


--
-- Name: timer_sessions owners delete their timer sessions; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners delete their timer sessions" ON public.timer_sessions FOR DELETE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: wakatime_connections owners disconnect wakatime; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners disconnect wakatime" ON public.wakatime_connections FOR DELETE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: time_exclusions owners exclude time; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners exclude time" ON public.time_exclusions FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: wakatime_day_totals owners import day totals; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners import day totals" ON public.wakatime_day_totals FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: wakatime_durations owners import durations; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners import durations" ON public.wakatime_durations FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: imported_entries owners import entries; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners import entries" ON public.imported_entries FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: tags owners label their tags; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners label their tags" ON public.tags FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: timer_state owners move their timer state; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners move their timer state" ON public.timer_state FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK (((owner_id = ( SELECT auth.uid() AS uid)) AND internal.owns_timer_session(active_session_id)));


--
-- Name: timer_state owners read their timer state; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners read their timer state" ON public.timer_state FOR SELECT TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: api_tokens owners read their tokens; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners read their tokens" ON public.api_tokens FOR SELECT TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: wakatime_connections owners read their wakatime connection; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners read their wakatime connection" ON public.wakatime_connections FOR SELECT TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: wakatime_connections owners refresh and record imports on their connection; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners refresh and record imports on their connection" ON public.wakatime_connections FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: tags owners relabel their tags; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners relabel their tags" ON public.tags FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: imported_entries owners remove imported entries; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners remove imported entries" ON public.imported_entries FOR DELETE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: wakatime_day_totals owners replace imported day totals; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners replace imported day totals" ON public.wakatime_day_totals FOR DELETE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: wakatime_durations owners replace imported durations; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners replace imported durations" ON public.wakatime_durations FOR DELETE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: api_tokens owners revoke their tokens; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners revoke their tokens" ON public.api_tokens FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: correction_notes owners rewrite their notes; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners rewrite their notes" ON public.correction_notes FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: devices owners rotate and revoke their devices; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners rotate and revoke their devices" ON public.devices FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: wakatime_oauth_states owners start oauth; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners start oauth" ON public.wakatime_oauth_states FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: timer_sessions owners start timer sessions; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners start timer sessions" ON public.timer_sessions FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: correction_notes owners write their notes; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners write their notes" ON public.correction_notes FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: device_events owners' live devices write events; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners' live devices write events" ON public.device_events FOR INSERT TO authenticated WITH CHECK (((owner_id = ( SELECT auth.uid() AS uid)) AND (EXISTS ( SELECT 1
   FROM public.devices d
  WHERE ((d.device_id = device_events.device_id) AND (d.owner_id = ( SELECT auth.uid() AS uid)) AND (d.revoked_at IS NULL))))));


--
-- Name: heartbeats owners' plugins write heartbeats; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners' plugins write heartbeats" ON public.heartbeats FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: timer_events owners' widgets record timer events; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners' widgets record timer events" ON public.timer_events FOR INSERT TO authenticated WITH CHECK (((owner_id = ( SELECT auth.uid() AS uid)) AND internal.owns_timer_session(session_id)));


--
-- Name: correction_notes owners, and their team admins when shared, read notes; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "owners, and their team admins when shared, read notes" ON public.correction_notes FOR SELECT TO authenticated USING (((owner_id = ( SELECT auth.uid() AS uid)) OR ((owner_id IN ( SELECT internal.managed_user_ids() AS managed_user_ids)) AND internal.shares_notes(owner_id))));


--
-- Name: teams people create teams they own; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "people create teams they own" ON public.teams FOR INSERT TO authenticated WITH CHECK ((created_by = ( SELECT auth.uid() AS uid)));


--
-- Name: aw_events people delete their own activity; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "people delete their own activity" ON public.aw_events FOR DELETE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: aw_events people extend their own activity; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "people extend their own activity" ON public.aw_events FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK (((owner_id = ( SELECT auth.uid() AS uid)) AND (team_id IS NULL) AND (developer_id IS NULL)));


--
-- Name: tracker_profiles people read own and teammates' profiles; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "people read own and teammates' profiles" ON public.tracker_profiles FOR SELECT TO authenticated USING (((id = ( SELECT auth.uid() AS uid)) OR (id IN ( SELECT internal.teammate_ids() AS teammate_ids))));


--
-- Name: devices people register their own devices; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "people register their own devices" ON public.devices FOR INSERT TO authenticated WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));


--
-- Name: tracker_profiles people update own profile; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "people update own profile" ON public.tracker_profiles FOR UPDATE TO authenticated USING ((id = ( SELECT auth.uid() AS uid))) WITH CHECK ((id = ( SELECT auth.uid() AS uid)));


--
-- Name: aw_events people write their own activity; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "people write their own activity" ON public.aw_events FOR INSERT TO authenticated WITH CHECK (((owner_id = ( SELECT auth.uid() AS uid)) AND (team_id IS NULL) AND (developer_id IS NULL)));


--
-- Name: aw_events people, their team admins and linked developers read activity; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "people, their team admins and linked developers read activity" ON public.aw_events FOR SELECT TO authenticated USING (((owner_id IN ( SELECT id.id
   FROM internal.mine_or_managed_ids() id(id))) OR (team_id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids)) OR ((team_id, developer_id) IN ( SELECT my_developer_ids.team_id,
    my_developer_ids.developer_id
   FROM internal.my_developer_ids() my_developer_ids(team_id, developer_id)))));


--
-- Name: project_rules; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.project_rules ENABLE ROW LEVEL SECURITY;

--
-- Name: projects; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.projects ENABLE ROW LEVEL SECURITY;

--
-- Name: tags; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.tags ENABLE ROW LEVEL SECURITY;

--
-- Name: developers team admins and the linked member read developers; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "team admins and the linked member read developers" ON public.developers FOR SELECT TO authenticated USING (((team_id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids)) OR ((user_id = ( SELECT auth.uid() AS uid)) AND (team_id IN ( SELECT internal.my_team_ids() AS my_team_ids)))));


--
-- Name: developers team admins register developers, linked only to members; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "team admins register developers, linked only to members" ON public.developers FOR INSERT TO authenticated WITH CHECK (((team_id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids)) AND ((user_id IS NULL) OR (EXISTS ( SELECT 1
   FROM public.team_members m
  WHERE ((m.team_id = developers.team_id) AND (m.user_id = developers.user_id)))))));


--
-- Name: developers team admins remove developers; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "team admins remove developers" ON public.developers FOR DELETE TO authenticated USING ((team_id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids)));


--
-- Name: developers team admins rename and link developers to members; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "team admins rename and link developers to members" ON public.developers FOR UPDATE TO authenticated USING ((team_id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids))) WITH CHECK (((team_id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids)) AND ((user_id IS NULL) OR (EXISTS ( SELECT 1
   FROM public.team_members m
  WHERE ((m.team_id = developers.team_id) AND (m.user_id = developers.user_id)))))));


--
-- Name: invitation_links team owners and admins read their teams' invitation links; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "team owners and admins read their teams' invitation links" ON public.invitation_links FOR SELECT TO authenticated USING ((team_id IN ( SELECT internal.my_admin_team_ids() AS my_admin_team_ids)));


--
-- Name: team_invitations; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.team_invitations ENABLE ROW LEVEL SECURITY;

--
-- Name: team_members; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.team_members ENABLE ROW LEVEL SECURITY;

--
-- Name: teams; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.teams ENABLE ROW LEVEL SECURITY;

--
-- Name: time_edits; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.time_edits ENABLE ROW LEVEL SECURITY;

--
-- Name: time_entries; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.time_entries ENABLE ROW LEVEL SECURITY;

--
-- Name: time_exclusions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.time_exclusions ENABLE ROW LEVEL SECURITY;

--
-- Name: timer_sessions timer sessions keep visible projects; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "timer sessions keep visible projects" ON public.timer_sessions AS RESTRICTIVE FOR UPDATE TO authenticated USING (true) WITH CHECK (internal.may_use_project(project_id));


--
-- Name: timer_sessions timer sessions name visible projects; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY "timer sessions name visible projects" ON public.timer_sessions AS RESTRICTIVE FOR INSERT TO authenticated WITH CHECK (internal.may_use_project(project_id));


--
-- Name: timer_events; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.timer_events ENABLE ROW LEVEL SECURITY;

--
-- Name: timer_questions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.timer_questions ENABLE ROW LEVEL SECURITY;

--
-- Name: timer_sessions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.timer_sessions ENABLE ROW LEVEL SECURITY;

--
-- Name: timer_state; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.timer_state ENABLE ROW LEVEL SECURITY;

--
-- Name: tracker_profiles; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.tracker_profiles ENABLE ROW LEVEL SECURITY;

--
-- Name: wakatime_connections; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.wakatime_connections ENABLE ROW LEVEL SECURITY;

--
-- Name: wakatime_day_totals; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.wakatime_day_totals ENABLE ROW LEVEL SECURITY;

--
-- Name: wakatime_durations; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.wakatime_durations ENABLE ROW LEVEL SECURITY;

--
-- Name: wakatime_oauth_states; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.wakatime_oauth_states ENABLE ROW LEVEL SECURITY;

--
-- Name: SCHEMA internal; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA internal TO authenticated;
GRANT USAGE ON SCHEMA internal TO service_role;


--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA public TO anon;
GRANT USAGE ON SCHEMA public TO authenticated;
GRANT USAGE ON SCHEMA public TO service_role;


--
-- Name: FUNCTION accept_invitation(p_team uuid); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.accept_invitation(p_team uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.accept_invitation(p_team uuid) TO authenticated;


--
-- Name: FUNCTION accept_invitation_link(p_team uuid, p_token_hash text); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.accept_invitation_link(p_team uuid, p_token_hash text) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.accept_invitation_link(p_team uuid, p_token_hash text) TO authenticated;


--
-- Name: FUNCTION api_token_owner(p_token_hash text); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.api_token_owner(p_token_hash text) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.api_token_owner(p_token_hash text) TO service_role;


--
-- Name: FUNCTION claim_browser_session(p_handoff_hash text, p_secret_hash text); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.claim_browser_session(p_handoff_hash text, p_secret_hash text) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.claim_browser_session(p_handoff_hash text, p_secret_hash text) TO service_role;


--
-- Name: FUNCTION claim_developer(p_team uuid, p_developer text); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.claim_developer(p_team uuid, p_developer text) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.claim_developer(p_team uuid, p_developer text) TO authenticated;


--
-- Name: FUNCTION close_browser_session(p_id uuid); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.close_browser_session(p_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.close_browser_session(p_id uuid) TO service_role;


--
-- Name: FUNCTION device_credentials(p_device_id text); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.device_credentials(p_device_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.device_credentials(p_device_id text) TO service_role;


--
-- Name: FUNCTION find_browser_session(p_secret_hash text); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.find_browser_session(p_secret_hash text) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.find_browser_session(p_secret_hash text) TO service_role;


--
-- Name: FUNCTION forget_unused_invitation_links(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.forget_unused_invitation_links() FROM PUBLIC;


--
-- Name: FUNCTION heartbeat_key_owner(p_key_hash text); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.heartbeat_key_owner(p_key_hash text) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.heartbeat_key_owner(p_key_hash text) TO service_role;


--
-- Name: FUNCTION invite_to_team(p_team uuid, p_email text, p_role text, p_token_hash text, p_valid_for interval); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.invite_to_team(p_team uuid, p_email text, p_role text, p_token_hash text, p_valid_for interval) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.invite_to_team(p_team uuid, p_email text, p_role text, p_token_hash text, p_valid_for interval) TO authenticated;


--
-- Name: FUNCTION is_current_device_key(p_device_id text, p_key_hash text); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.is_current_device_key(p_device_id text, p_key_hash text) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.is_current_device_key(p_device_id text, p_key_hash text) TO authenticated;


--
-- Name: FUNCTION keep_browser_session(p_id uuid, p_refresh_token_sealed text); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.keep_browser_session(p_id uuid, p_refresh_token_sealed text) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.keep_browser_session(p_id uuid, p_refresh_token_sealed text) TO service_role;


--
-- Name: FUNCTION keep_revoked(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.keep_revoked() FROM PUBLIC;


--
-- Name: FUNCTION managed_user_ids(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.managed_user_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION internal.managed_user_ids() TO authenticated;


--
-- Name: FUNCTION manages_projects_of(p_owner uuid, p_team uuid); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.manages_projects_of(p_owner uuid, p_team uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.manages_projects_of(p_owner uuid, p_team uuid) TO authenticated;


--
-- Name: FUNCTION may_use_project(p_project uuid); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.may_use_project(p_project uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.may_use_project(p_project uuid) TO authenticated;


--
-- Name: FUNCTION mine_or_managed_ids(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.mine_or_managed_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION internal.mine_or_managed_ids() TO authenticated;


--
-- Name: FUNCTION my_admin_team_ids(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.my_admin_team_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION internal.my_admin_team_ids() TO authenticated;


--
-- Name: FUNCTION my_developer_ids(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.my_developer_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION internal.my_developer_ids() TO authenticated;


--
-- Name: FUNCTION my_email(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.my_email() FROM PUBLIC;
GRANT ALL ON FUNCTION internal.my_email() TO authenticated;


--
-- Name: FUNCTION my_email_is_proven(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.my_email_is_proven() FROM PUBLIC;
GRANT ALL ON FUNCTION internal.my_email_is_proven() TO authenticated;


--
-- Name: FUNCTION my_invited_team_ids(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.my_invited_team_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION internal.my_invited_team_ids() TO authenticated;


--
-- Name: FUNCTION my_inviter_ids(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.my_inviter_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION internal.my_inviter_ids() TO authenticated;


--
-- Name: FUNCTION my_team_ids(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.my_team_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION internal.my_team_ids() TO authenticated;


--
-- Name: FUNCTION on_team_created(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.on_team_created() FROM PUBLIC;


--
-- Name: FUNCTION on_user_created(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.on_user_created() FROM PUBLIC;


--
-- Name: FUNCTION open_browser_session(p_user_id uuid, p_refresh_token_sealed text, p_secret_hash text, p_handoff_hash text, p_handoff_seconds integer, p_lifetime_seconds integer); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.open_browser_session(p_user_id uuid, p_refresh_token_sealed text, p_secret_hash text, p_handoff_hash text, p_handoff_seconds integer, p_lifetime_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.open_browser_session(p_user_id uuid, p_refresh_token_sealed text, p_secret_hash text, p_handoff_hash text, p_handoff_seconds integer, p_lifetime_seconds integer) TO service_role;


--
-- Name: FUNCTION owns_timer_session(session bigint); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.owns_timer_session(session bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.owns_timer_session(session bigint) TO authenticated;


--
-- Name: FUNCTION project_parent_fits(p_project uuid, p_parent uuid, p_owner uuid, p_team uuid); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.project_parent_fits(p_project uuid, p_parent uuid, p_owner uuid, p_team uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.project_parent_fits(p_project uuid, p_parent uuid, p_owner uuid, p_team uuid) TO authenticated;


--
-- Name: FUNCTION project_rules_for(p_person uuid); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.project_rules_for(p_person uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.project_rules_for(p_person uuid) TO authenticated;


--
-- Name: FUNCTION projects_for(p_person uuid); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.projects_for(p_person uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.projects_for(p_person uuid) TO authenticated;


--
-- Name: FUNCTION record_device_attempt(p_device_id text, p_status integer, p_reason text, p_message text, p_details jsonb, p_items integer, p_refused integer); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.record_device_attempt(p_device_id text, p_status integer, p_reason text, p_message text, p_details jsonb, p_items integer, p_refused integer) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.record_device_attempt(p_device_id text, p_status integer, p_reason text, p_message text, p_details jsonb, p_items integer, p_refused integer) TO service_role;


--
-- Name: FUNCTION record_time_edit(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.record_time_edit() FROM PUBLIC;


--
-- Name: FUNCTION rule_may_name(p_project uuid, p_team uuid); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.rule_may_name(p_project uuid, p_team uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.rule_may_name(p_project uuid, p_team uuid) TO authenticated;


--
-- Name: FUNCTION same_digest(p_a text, p_b text); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.same_digest(p_a text, p_b text) FROM PUBLIC;


--
-- Name: FUNCTION secure_table(p_table regclass); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.secure_table(p_table regclass) FROM PUBLIC;


--
-- Name: FUNCTION session_started_at(p_session uuid, p_user uuid); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.session_started_at(p_session uuid, p_user uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.session_started_at(p_session uuid, p_user uuid) TO service_role;


--
-- Name: FUNCTION shares_notes(person uuid); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.shares_notes(person uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.shares_notes(person uuid) TO authenticated;


--
-- Name: FUNCTION store_aw_events(p_owner uuid, p_team uuid, p_developer text, p_host text[], p_bucket text[], p_type text[], p_client text[], p_started timestamp with time zone[], p_duration double precision[], p_data jsonb[]); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.store_aw_events(p_owner uuid, p_team uuid, p_developer text, p_host text[], p_bucket text[], p_type text[], p_client text[], p_started timestamp with time zone[], p_duration double precision[], p_data jsonb[]) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.store_aw_events(p_owner uuid, p_team uuid, p_developer text, p_host text[], p_bucket text[], p_type text[], p_client text[], p_started timestamp with time zone[], p_duration double precision[], p_data jsonb[]) TO authenticated;


--
-- Name: FUNCTION store_developer_events(p_team uuid, p_developer text, p_host text[], p_bucket text[], p_type text[], p_client text[], p_started timestamp with time zone[], p_duration double precision[], p_data jsonb[]); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.store_developer_events(p_team uuid, p_developer text, p_host text[], p_bucket text[], p_type text[], p_client text[], p_started timestamp with time zone[], p_duration double precision[], p_data jsonb[]) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.store_developer_events(p_team uuid, p_developer text, p_host text[], p_bucket text[], p_type text[], p_client text[], p_started timestamp with time zone[], p_duration double precision[], p_data jsonb[]) TO service_role;


--
-- Name: FUNCTION store_device_event(p_device_id text, p_key_hash text, p_event_type text, p_tag_id text, p_tag_present boolean, p_occurred_at timestamp with time zone, p_payload jsonb); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.store_device_event(p_device_id text, p_key_hash text, p_event_type text, p_tag_id text, p_tag_present boolean, p_occurred_at timestamp with time zone, p_payload jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.store_device_event(p_device_id text, p_key_hash text, p_event_type text, p_tag_id text, p_tag_present boolean, p_occurred_at timestamp with time zone, p_payload jsonb) TO authenticated;


--
-- Name: FUNCTION teammate_ids(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.teammate_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION internal.teammate_ids() TO authenticated;


--
-- Name: FUNCTION throttle_attempt(p_key text, p_free integer, p_base double precision, p_cap double precision, p_now timestamp with time zone); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.throttle_attempt(p_key text, p_free integer, p_base double precision, p_cap double precision, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.throttle_attempt(p_key text, p_free integer, p_base double precision, p_cap double precision, p_now timestamp with time zone) TO service_role;


--
-- Name: FUNCTION throttle_refund(p_key text, p_free integer); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.throttle_refund(p_key text, p_free integer) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.throttle_refund(p_key text, p_free integer) TO service_role;


--
-- Name: FUNCTION throttle_window(p_key text, p_limit integer, p_window double precision, p_now timestamp with time zone); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.throttle_window(p_key text, p_limit integer, p_window double precision, p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.throttle_window(p_key text, p_limit integer, p_window double precision, p_now timestamp with time zone) TO service_role;


--
-- Name: FUNCTION timer_lock_state(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.timer_lock_state() FROM PUBLIC;
GRANT ALL ON FUNCTION internal.timer_lock_state() TO authenticated;


--
-- Name: FUNCTION timer_press_state(event_key text); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.timer_press_state(event_key text) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.timer_press_state(event_key text) TO authenticated;


--
-- Name: FUNCTION timer_write_step(step jsonb); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.timer_write_step(step jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.timer_write_step(step jsonb) TO authenticated;


--
-- Name: FUNCTION wakatime_due_imports(); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.wakatime_due_imports() FROM PUBLIC;
GRANT ALL ON FUNCTION internal.wakatime_due_imports() TO service_role;


--
-- Name: FUNCTION wakatime_tokens(p_owner uuid); Type: ACL; Schema: internal; Owner: -
--

REVOKE ALL ON FUNCTION internal.wakatime_tokens(p_owner uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION internal.wakatime_tokens(p_owner uuid) TO service_role;


--
-- Name: TABLE auth_throttles; Type: ACL; Schema: internal; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE internal.auth_throttles TO service_role;


--
-- Name: TABLE auto_confirmed_emails; Type: ACL; Schema: internal; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE internal.auto_confirmed_emails TO service_role;


--
-- Name: TABLE email_confirmations; Type: ACL; Schema: internal; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE internal.email_confirmations TO service_role;


--
-- Name: TABLE oauth_codes; Type: ACL; Schema: internal; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE internal.oauth_codes TO service_role;


--
-- Name: TABLE api_tokens; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT,DELETE ON TABLE public.api_tokens TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.api_tokens TO service_role;


--
-- Name: COLUMN api_tokens.id; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(id) ON TABLE public.api_tokens TO authenticated;


--
-- Name: COLUMN api_tokens.owner_id; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(owner_id) ON TABLE public.api_tokens TO authenticated;


--
-- Name: COLUMN api_tokens.name; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(name),UPDATE(name) ON TABLE public.api_tokens TO authenticated;


--
-- Name: COLUMN api_tokens.token_hint; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(token_hint) ON TABLE public.api_tokens TO authenticated;


--
-- Name: COLUMN api_tokens.created_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(created_at) ON TABLE public.api_tokens TO authenticated;


--
-- Name: COLUMN api_tokens.last_used_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(last_used_at) ON TABLE public.api_tokens TO authenticated;


--
-- Name: COLUMN api_tokens.revoked_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(revoked_at),UPDATE(revoked_at) ON TABLE public.api_tokens TO authenticated;


--
-- Name: TABLE aw_events; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE public.aw_events TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.aw_events TO service_role;


--
-- Name: COLUMN aw_events.bucket_type; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(bucket_type) ON TABLE public.aw_events TO authenticated;


--
-- Name: COLUMN aw_events.client; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(client) ON TABLE public.aw_events TO authenticated;


--
-- Name: COLUMN aw_events.duration; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(duration) ON TABLE public.aw_events TO authenticated;


--
-- Name: COLUMN aw_events.data; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(data) ON TABLE public.aw_events TO authenticated;


--
-- Name: COLUMN aw_events.received_at; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(received_at) ON TABLE public.aw_events TO authenticated;


--
-- Name: TABLE correction_notes; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE public.correction_notes TO authenticated;


--
-- Name: COLUMN correction_notes.note; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(note) ON TABLE public.correction_notes TO authenticated;


--
-- Name: TABLE developers; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE public.developers TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.developers TO service_role;


--
-- Name: COLUMN developers.display_name; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(display_name) ON TABLE public.developers TO authenticated;


--
-- Name: COLUMN developers.email_sha256; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(email_sha256) ON TABLE public.developers TO authenticated;


--
-- Name: COLUMN developers.user_id; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(user_id) ON TABLE public.developers TO authenticated;


--
-- Name: TABLE device_attempts; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.device_attempts TO authenticated;


--
-- Name: TABLE device_events; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE public.device_events TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.device_events TO service_role;


--
-- Name: TABLE devices; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT,DELETE ON TABLE public.devices TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.devices TO service_role;


--
-- Name: COLUMN devices.id; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(id) ON TABLE public.devices TO authenticated;


--
-- Name: COLUMN devices.owner_id; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(owner_id) ON TABLE public.devices TO authenticated;


--
-- Name: COLUMN devices.device_id; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(device_id) ON TABLE public.devices TO authenticated;


--
-- Name: COLUMN devices.name; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(name),UPDATE(name) ON TABLE public.devices TO authenticated;


--
-- Name: COLUMN devices.key_hash; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(key_hash) ON TABLE public.devices TO authenticated;


--
-- Name: COLUMN devices.key_hint; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(key_hint),UPDATE(key_hint) ON TABLE public.devices TO authenticated;


--
-- Name: COLUMN devices.created_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(created_at) ON TABLE public.devices TO authenticated;


--
-- Name: COLUMN devices.rotated_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(rotated_at),UPDATE(rotated_at) ON TABLE public.devices TO authenticated;


--
-- Name: COLUMN devices.revoked_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(revoked_at),UPDATE(revoked_at) ON TABLE public.devices TO authenticated;


--
-- Name: TABLE device_status; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.device_status TO authenticated;
GRANT SELECT ON TABLE public.device_status TO service_role;


--
-- Name: TABLE heartbeat_settings; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT,DELETE ON TABLE public.heartbeat_settings TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.heartbeat_settings TO service_role;


--
-- Name: COLUMN heartbeat_settings.owner_id; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(owner_id) ON TABLE public.heartbeat_settings TO authenticated;


--
-- Name: COLUMN heartbeat_settings.key_hash; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(key_hash) ON TABLE public.heartbeat_settings TO authenticated;


--
-- Name: COLUMN heartbeat_settings.key_hint; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(key_hint),UPDATE(key_hint) ON TABLE public.heartbeat_settings TO authenticated;


--
-- Name: COLUMN heartbeat_settings.key_created_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(key_created_at),UPDATE(key_created_at) ON TABLE public.heartbeat_settings TO authenticated;


--
-- Name: COLUMN heartbeat_settings.timeout_minutes; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(timeout_minutes),UPDATE(timeout_minutes) ON TABLE public.heartbeat_settings TO authenticated;


--
-- Name: COLUMN heartbeat_settings.updated_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(updated_at),UPDATE(updated_at) ON TABLE public.heartbeat_settings TO authenticated;


--
-- Name: TABLE heartbeats; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE public.heartbeats TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.heartbeats TO service_role;


--
-- Name: TABLE imported_entries; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE public.imported_entries TO authenticated;


--
-- Name: COLUMN invitation_links.id; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(id) ON TABLE public.invitation_links TO authenticated;


--
-- Name: COLUMN invitation_links.team_id; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(team_id) ON TABLE public.invitation_links TO authenticated;


--
-- Name: COLUMN invitation_links.email; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(email) ON TABLE public.invitation_links TO authenticated;


--
-- Name: COLUMN invitation_links.invited_by; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(invited_by) ON TABLE public.invitation_links TO authenticated;


--
-- Name: COLUMN invitation_links.created_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(created_at) ON TABLE public.invitation_links TO authenticated;


--
-- Name: COLUMN invitation_links.expires_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(expires_at) ON TABLE public.invitation_links TO authenticated;


--
-- Name: COLUMN invitation_links.used_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(used_at) ON TABLE public.invitation_links TO authenticated;


--
-- Name: COLUMN invitation_links.used_by; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(used_by) ON TABLE public.invitation_links TO authenticated;


--
-- Name: TABLE tags; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.tags TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.tags TO service_role;


--
-- Name: TABLE nfc_intervals; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.nfc_intervals TO authenticated;
GRANT SELECT ON TABLE public.nfc_intervals TO service_role;


--
-- Name: TABLE project_rules; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE public.project_rules TO authenticated;


--
-- Name: COLUMN project_rules.project_id; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(project_id) ON TABLE public.project_rules TO authenticated;


--
-- Name: COLUMN project_rules.source; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(source) ON TABLE public.project_rules TO authenticated;


--
-- Name: COLUMN project_rules.field; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(field) ON TABLE public.project_rules TO authenticated;


--
-- Name: COLUMN project_rules.match; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(match) ON TABLE public.project_rules TO authenticated;


--
-- Name: COLUMN project_rules.pattern; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(pattern) ON TABLE public.project_rules TO authenticated;


--
-- Name: COLUMN project_rules.ignore_case; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(ignore_case) ON TABLE public.project_rules TO authenticated;


--
-- Name: COLUMN project_rules.extra_field; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(extra_field) ON TABLE public.project_rules TO authenticated;


--
-- Name: COLUMN project_rules.extra_pattern; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(extra_pattern) ON TABLE public.project_rules TO authenticated;


--
-- Name: COLUMN project_rules."position"; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE("position") ON TABLE public.project_rules TO authenticated;


--
-- Name: TABLE projects; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE public.projects TO authenticated;


--
-- Name: COLUMN projects.name; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(name) ON TABLE public.projects TO authenticated;


--
-- Name: COLUMN projects.color; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(color) ON TABLE public.projects TO authenticated;


--
-- Name: COLUMN projects.parent_id; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(parent_id) ON TABLE public.projects TO authenticated;


--
-- Name: COLUMN projects.archived; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(archived) ON TABLE public.projects TO authenticated;


--
-- Name: TABLE team_invitations; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.team_invitations TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.team_invitations TO service_role;


--
-- Name: TABLE team_members; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE public.team_members TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.team_members TO service_role;


--
-- Name: COLUMN team_members.role; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(role) ON TABLE public.team_members TO authenticated;


--
-- Name: TABLE teams; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE public.teams TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.teams TO service_role;


--
-- Name: COLUMN teams.name; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(name) ON TABLE public.teams TO authenticated;


--
-- Name: TABLE time_edits; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.time_edits TO authenticated;


--
-- Name: TABLE time_entries; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE public.time_entries TO authenticated;


--
-- Name: COLUMN time_entries.started_at; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(started_at) ON TABLE public.time_entries TO authenticated;


--
-- Name: COLUMN time_entries.ended_at; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(ended_at) ON TABLE public.time_entries TO authenticated;


--
-- Name: COLUMN time_entries.label; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(label) ON TABLE public.time_entries TO authenticated;


--
-- Name: COLUMN time_entries.updated_at; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(updated_at) ON TABLE public.time_entries TO authenticated;


--
-- Name: COLUMN time_entries.project_id; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(project_id) ON TABLE public.time_entries TO authenticated;


--
-- Name: TABLE time_exclusions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE public.time_exclusions TO authenticated;


--
-- Name: COLUMN time_exclusions.started_at; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(started_at) ON TABLE public.time_exclusions TO authenticated;


--
-- Name: COLUMN time_exclusions.ended_at; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(ended_at) ON TABLE public.time_exclusions TO authenticated;


--
-- Name: COLUMN time_exclusions.updated_at; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(updated_at) ON TABLE public.time_exclusions TO authenticated;


--
-- Name: TABLE timer_events; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE ON TABLE public.timer_events TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.timer_events TO service_role;


--
-- Name: TABLE timer_questions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.timer_questions TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.timer_questions TO service_role;


--
-- Name: TABLE timer_sessions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.timer_sessions TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.timer_sessions TO service_role;


--
-- Name: TABLE timer_state; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.timer_state TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.timer_state TO service_role;


--
-- Name: TABLE tracker_profiles; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.tracker_profiles TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.tracker_profiles TO service_role;


--
-- Name: COLUMN tracker_profiles.display_name; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(display_name) ON TABLE public.tracker_profiles TO authenticated;


--
-- Name: COLUMN tracker_profiles.timezone; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(timezone) ON TABLE public.tracker_profiles TO authenticated;


--
-- Name: COLUMN tracker_profiles.updated_at; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(updated_at) ON TABLE public.tracker_profiles TO authenticated;


--
-- Name: COLUMN tracker_profiles.source_precedence; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(source_precedence) ON TABLE public.tracker_profiles TO authenticated;


--
-- Name: COLUMN tracker_profiles.open_interval_cap_hours; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(open_interval_cap_hours) ON TABLE public.tracker_profiles TO authenticated;


--
-- Name: COLUMN tracker_profiles.share_notes; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(share_notes) ON TABLE public.tracker_profiles TO authenticated;


--
-- Name: TABLE wakatime_connections; Type: ACL; Schema: public; Owner: -
--

GRANT INSERT,DELETE ON TABLE public.wakatime_connections TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wakatime_connections TO service_role;


--
-- Name: COLUMN wakatime_connections.owner_id; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(owner_id) ON TABLE public.wakatime_connections TO authenticated;


--
-- Name: COLUMN wakatime_connections.wakatime_uid; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(wakatime_uid),UPDATE(wakatime_uid) ON TABLE public.wakatime_connections TO authenticated;


--
-- Name: COLUMN wakatime_connections.scope; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(scope),UPDATE(scope) ON TABLE public.wakatime_connections TO authenticated;


--
-- Name: COLUMN wakatime_connections.access_token_encrypted; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(access_token_encrypted) ON TABLE public.wakatime_connections TO authenticated;


--
-- Name: COLUMN wakatime_connections.refresh_token_encrypted; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(refresh_token_encrypted) ON TABLE public.wakatime_connections TO authenticated;


--
-- Name: COLUMN wakatime_connections.expires_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(expires_at),UPDATE(expires_at) ON TABLE public.wakatime_connections TO authenticated;


--
-- Name: COLUMN wakatime_connections.status; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(status),UPDATE(status) ON TABLE public.wakatime_connections TO authenticated;


--
-- Name: COLUMN wakatime_connections.connected_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(connected_at) ON TABLE public.wakatime_connections TO authenticated;


--
-- Name: COLUMN wakatime_connections.updated_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(updated_at),UPDATE(updated_at) ON TABLE public.wakatime_connections TO authenticated;


--
-- Name: COLUMN wakatime_connections.last_import_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(last_import_at),UPDATE(last_import_at) ON TABLE public.wakatime_connections TO authenticated;


--
-- Name: COLUMN wakatime_connections.last_import_result; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(last_import_result),UPDATE(last_import_result) ON TABLE public.wakatime_connections TO authenticated;


--
-- Name: TABLE wakatime_day_totals; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wakatime_day_totals TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wakatime_day_totals TO service_role;


--
-- Name: TABLE wakatime_durations; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wakatime_durations TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wakatime_durations TO service_role;


--
-- Name: TABLE wakatime_oauth_states; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wakatime_oauth_states TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wakatime_oauth_states TO service_role;


--
-- PostgreSQL database dump complete
--
