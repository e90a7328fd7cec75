-- Logins kept by browsers: the dashboard's answer to "who is this, after a reload?".
--
-- A browser holds only an opaque secret in a cookie; the refresh token it stands for stays on
-- the server, encrypted, and is replaced after every rotation. So the cookie never changes and
-- can be set once by the API with HttpOnly (no script on the host can read it), and two tabs of
-- one browser always find the newest refresh token of their chain.
--
-- A new row starts with a one-time handoff code: the logged-in page trades it with the API for
-- the cookie (the API generates the secret and answers it only in Set-Cookie). Where the API is
-- on another host name, the dashboard writes the cookie itself and stores the secret's hash at
-- once. Only SHA-256 digests (hex) of the secret and the code are stored. Nobody reads or writes the
-- table directly: the dashboard and the API go through the functions below, as service_role.

create table internal.browser_sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  secret_hash text unique check (secret_hash ~ '^[0-9a-f]{64}$'),
  handoff_hash text unique check (handoff_hash ~ '^[0-9a-f]{64}$'),
  handoff_expires_at timestamptz,
  -- Fernet ciphertext of the newest refresh token (keys: FERNET_KEYS).
  refresh_token_sealed text not null check (length(refresh_token_sealed) between 1 and 4000),
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  expires_at timestamptz not null,
  check (secret_hash is not null or handoff_hash is not null)
);
create index browser_sessions_user_idx on internal.browser_sessions (user_id);
create index browser_sessions_expiry_idx on internal.browser_sessions (expires_at);

alter table internal.browser_sessions enable row level security;
alter table internal.browser_sessions force row level security;
-- No policy and no grant: the functions below are the only way in.
revoke all on internal.browser_sessions from public, anon, authenticated, service_role;

-- A new kept login for `p_user_id`, reached either by a handoff code (until it expires) or
-- directly by a secret. Expired rows of everyone go at the same time: they are dead anyway.
create function internal.open_browser_session(
  p_user_id uuid,
  p_refresh_token_sealed text,
  p_secret_hash text,
  p_handoff_hash text,
  p_handoff_seconds integer,
  p_lifetime_seconds integer
) returns uuid
language plpgsql security definer set search_path = ''
as $$
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

-- Trade a live handoff code for a secret, once: the code is spent whatever happens next.
-- Returns how many seconds the login has left (the cookie's Max-Age), or null.
create function internal.claim_browser_session(p_handoff_hash text, p_secret_hash text) returns integer
language sql security definer set search_path = ''
as $$
  update internal.browser_sessions s
  set secret_hash = p_secret_hash, handoff_hash = null, handoff_expires_at = null
  where s.handoff_hash = p_handoff_hash and s.secret_hash is null
    and s.handoff_expires_at > now() and s.expires_at > now()
  returning greatest(1, floor(extract(epoch from s.expires_at - now())))::integer
$$;

-- The kept login a browser's secret stands for, while it lasts.
create function internal.find_browser_session(p_secret_hash text)
returns table (id uuid, user_id uuid, refresh_token_sealed text)
language sql security definer set search_path = ''
as $$
  update internal.browser_sessions s set last_used_at = now()
  where s.secret_hash = p_secret_hash and s.expires_at > now()
  returning s.id, s.user_id, s.refresh_token_sealed
$$;

-- The refresh token a rotation produced replaces the spent one.
create function internal.keep_browser_session(p_id uuid, p_refresh_token_sealed text) returns boolean
language sql security definer set search_path = ''
as $$
  update internal.browser_sessions s
  set refresh_token_sealed = p_refresh_token_sealed, last_used_at = now()
  where s.id = p_id and s.expires_at > now()
  returning true
$$;

-- Logged out, or the auth server refused the token: the cookie now leads nowhere.
create function internal.close_browser_session(p_id uuid) returns void
language sql security definer set search_path = ''
as $$
  delete from internal.browser_sessions s where s.id = p_id
$$;

revoke execute on function internal.open_browser_session(uuid, text, text, text, integer, integer) from public;
revoke execute on function internal.claim_browser_session(text, text) from public;
revoke execute on function internal.find_browser_session(text) from public;
revoke execute on function internal.keep_browser_session(uuid, text) from public;
revoke execute on function internal.close_browser_session(uuid) from public;
grant execute on function internal.open_browser_session(uuid, text, text, text, integer, integer) to service_role;
grant execute on function internal.claim_browser_session(text, text) to service_role;
grant execute on function internal.find_browser_session(text) to service_role;
grant execute on function internal.keep_browser_session(uuid, text) to service_role;
grant execute on function internal.close_browser_session(uuid) to service_role;
