-- Login and request throttles kept in the database, so every API process counts against
-- the same limits and a restart forgives nothing; and the session lookup that lets an access
-- token stop working the moment its session ends (logout, refresh-token reuse, a password
-- change, a deleted account), instead of living on until it expires.
--
-- Only the service path touches any of it: no grants to anon or authenticated.

-- One row per throttled thing. `key` is a keyed digest (HMAC) of what is limited (an email
-- with an address, an address, a token), so the table holds no email or address in clear.
create table internal.auth_throttles (
  key text primary key,
  -- Attempts counted since the key was last forgotten (backoff) or in the current window.
  hits integer not null default 0,
  -- Backoff: the last counted attempt. Window: when the current window opened.
  started_at timestamptz not null,
  -- Backoff only: no attempt is counted (or evaluated) before this.
  blocked_until timestamptz,
  -- After this the row means nothing: the next attempt starts from zero, and a sweep deletes it.
  expires_at timestamptz not null
);
create index auth_throttles_expires_at_idx on internal.auth_throttles (expires_at);

revoke all on internal.auth_throttles from public, anon, authenticated;
grant select, insert, update, delete on internal.auth_throttles to service_role;
alter table internal.auth_throttles enable row level security;
alter table internal.auth_throttles force row level security;
-- service_role bypasses RLS on Supabase and in the local shim; the policy keeps it working
-- where a self-made service_role does not.
create policy "the service path throttles" on internal.auth_throttles
  for all to service_role using (true) with check (true);

-- Count one attempt for `p_key` unless it is blocked. Returns 0 when the attempt was counted
-- (go ahead and evaluate it), otherwise the seconds until the key may try again (nothing
-- counted). The first `p_free` attempts pass; from then on every counted attempt blocks the
-- next for `p_base` seconds, doubling each time, at most `p_cap`. A key is forgotten `p_cap`
-- seconds after its last block ends (or its last attempt, if it never was blocked).
-- The row lock taken here is held until the caller's transaction ends, so parallel attempts
-- are counted one after another: exactly `p_free` of any burst get through.
create function internal.throttle_attempt(
  p_key text, p_free integer, p_base double precision, p_cap double precision, p_now timestamptz default null
) returns double precision
language plpgsql
set search_path = ''
as $$
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

-- Give back one counted attempt (a login that turned out right): what was counted before the
-- outcome was known must not hold against an address where people log in successfully.
create function internal.throttle_refund(p_key text, p_free integer) returns void
language sql
set search_path = ''
as $$
  update internal.auth_throttles
    set hits = greatest(hits - 1, 0),
        blocked_until = case when hits - 1 >= p_free then blocked_until end
    where key = p_key
$$;

-- At most `p_limit` requests per `p_window` seconds for `p_key`, a window opening at the first
-- request after the last one closed. Returns 0 when this request was counted, otherwise the
-- seconds until the window closes (nothing counted).
create function internal.throttle_window(
  p_key text, p_limit integer, p_window double precision, p_now timestamptz default null
) returns double precision
language plpgsql
set search_path = ''
as $$
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

-- When the session an access token names began, or no row when that session no longer
-- exists (logged out, revoked as stolen, ended by a password change, or its account deleted:
-- sessions cascade with their user). One primary-key lookup. SECURITY DEFINER because on
-- Supabase the service role need not be able to read auth.sessions; the migration's owner can.
create function internal.session_started_at(p_session uuid, p_user uuid)
returns table (started_at timestamptz)
language sql stable security definer
set search_path = ''
as $$
  select s.created_at from auth.sessions s
  where s.id = p_session and s.user_id = p_user and (s.not_after is null or s.not_after > now())
$$;

revoke execute on function internal.throttle_attempt(text, integer, double precision, double precision, timestamptz),
  internal.throttle_refund(text, integer),
  internal.throttle_window(text, integer, double precision, timestamptz),
  internal.session_started_at(uuid, uuid)
  from public, anon, authenticated;
grant execute on function internal.throttle_attempt(text, integer, double precision, double precision, timestamptz),
  internal.throttle_refund(text, integer),
  internal.throttle_window(text, integer, double precision, timestamptz),
  internal.session_started_at(uuid, uuid)
  to service_role;
