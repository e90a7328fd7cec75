-- Invitations need a proven address.
--
-- 0009 let whoever was logged in with an invitation's email accept it. The local auth server
-- confirms every address at once and sends no mail, so that was whoever signed up first with
-- the address: invite lead@example.com as admin, sign up as lead@example.com from anywhere,
-- accept, and read every member's time. For the same reason "claiming an ActivityWatch
-- developer id needs a confirmed email" (0008) proved nothing.
--
-- Now an invitation is accepted either
--   * with its link: a single-use, expiring secret the inviter hands over however they like
--     (or the server mails), of which only a SHA-256 digest is kept; or
--   * by an address the auth server confirmed by mail: Supabase Auth's email_confirmed_at,
--     or the local auth server's once it has SMTP. Without SMTP the local auth server still
--     confirms at once (nothing else would let anyone in) and says so in
--     internal.auto_confirmed_emails, so such a confirmation counts for nothing here.
-- Claiming a developer id takes the same proof, or having joined the team through an admin's
-- link to that address.

-- Accounts whose email_confirmed_at the local auth server set without any mail.
create table internal.auto_confirmed_emails (
  user_id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  created_at timestamptz not null default now()
);

-- Every account the local auth shim holds today was confirmed that way. On Supabase (the shim
-- was skipped) email_confirmed_at is Supabase Auth's own and stands.
insert into internal.auto_confirmed_emails (user_id, email)
select u.id, lower(u.email) from auth.users u
where u.email_confirmed_at is not null
  and exists (
    select 1 from internal.schema_migrations m where m.name = '0001_supabase_auth_shim.sql' and not m.skipped
  );

-- The local auth server's confirmation links (sign-up with SMTP): digests only, single use.
create table internal.email_confirmations (
  token_hash text primary key check (token_hash ~ '^[0-9a-f]{64}$'),
  user_id uuid not null references auth.users (id) on delete cascade,
  email text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null check (expires_at > created_at)
);
create index email_confirmations_user_id_idx on internal.email_confirmations (user_id);

-- Only the local auth server (the service path) touches either table.
revoke all on internal.auto_confirmed_emails, internal.email_confirmations from public, anon, authenticated;
grant select, insert, update, delete on internal.auto_confirmed_emails to service_role;
grant select, insert, delete on internal.email_confirmations to service_role;
alter table internal.auto_confirmed_emails enable row level security;
alter table internal.auto_confirmed_emails force row level security;
alter table internal.email_confirmations enable row level security;
alter table internal.email_confirmations force row level security;
-- service_role bypasses RLS on Supabase and in the local shim; the policies keep it working
-- where a self-made service_role does not.
create policy "the local auth server records confirmations made without mail" on internal.auto_confirmed_emails
  for all to service_role using (true) with check (true);
create policy "the local auth server keeps confirmation links" on internal.email_confirmations
  for all to service_role using (true) with check (true);

-- Invitation links. A link belongs to an invitation (team and email); re-inviting replaces
-- an unused link, withdrawing or declining the invitation deletes it. A used link is kept
-- (used_at, used_by): it is how a member proved the address to the team's admin.
create table public.invitation_links (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  email text not null check (email = lower(email) and position('@' in email) > 1),
  token_hash text not null check (token_hash ~ '^[0-9a-f]{64}$'),
  invited_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null check (expires_at > created_at),
  used_at timestamptz,
  used_by uuid references auth.users (id) on delete cascade,
  check ((used_at is null) = (used_by is null))
);
create index invitation_links_team_email_idx on public.invitation_links (team_id, email);
-- The last link handed out is the one that works.
create unique index invitation_links_one_unused_idx on public.invitation_links (team_id, email)
  where used_at is null;
create index invitation_links_used_by_idx on public.invitation_links (used_by) where used_by is not null;

-- Whether the auth server confirmed the caller's current address by mail.
create function internal.my_email_is_proven() returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from auth.users u
    where u.id = auth.uid() and u.email_confirmed_at is not null
      and not exists (
        select 1 from internal.auto_confirmed_emails a where a.user_id = u.id and a.email = lower(u.email)
      )
  )
$$;

-- Two SHA-256 digests (hex) compared over every bit, never stopping at the first difference,
-- so how long a refusal takes says nothing about how close a guess came.
create function internal.same_digest(p_a text, p_b text) returns boolean
language sql immutable set search_path = ''
as $$
  select case
    when p_a ~ '^[0-9a-f]{64}$' and p_b ~ '^[0-9a-f]{64}$'
      then bit_count((('x' || p_a)::bit(256)) # (('x' || p_b)::bit(256))) = 0
    else false
  end
$$;

-- Invite by email, with a link. Replaces 0009's version, which took no link: an invitation
-- without one could be accepted only by a proven address, and an admin always wants the link.
-- `p_token_hash` is the digest of the link's secret (the secret itself never reaches the
-- database); the link works once, for `p_valid_for`.
drop function internal.invite_to_team(uuid, text, text);
create function internal.invite_to_team(
  p_team uuid, p_email text, p_role text, p_token_hash text, p_valid_for interval
) returns text
language plpgsql security definer set search_path = ''
as $$
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

-- Accept by address alone (0009), now only when the address is proven.
create or replace function internal.accept_invitation(p_team uuid) returns text
language plpgsql security definer set search_path = ''
as $$
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

-- Accept with the link: the caller is logged in with the invited address and holds the
-- secret. Answers what happened rather than raising, so the caller can say it:
-- joined (with joined_role), used, expired, or invalid (no such link for this address: a
-- wrong secret, another address's link, or one replaced, withdrawn or declined).
create function internal.accept_invitation_link(p_team uuid, p_token_hash text)
returns table (outcome text, joined_role text)
language plpgsql volatile security definer set search_path = ''
as $$
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

-- An invitation withdrawn, declined or accepted takes its unused link with it (as the
-- definer: the invitee who declines may not touch links).
create function internal.forget_unused_invitation_links() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  delete from public.invitation_links l
  where l.team_id = old.team_id and l.email = old.email and l.used_at is null;
  return old;
end
$$;
create trigger forget_unused_invitation_links after delete on public.team_invitations
  for each row execute function internal.forget_unused_invitation_links();

-- Claiming a developer id (0008) needs a proven address: confirmed by mail, or the one a
-- team admin's link to this team was sent to and the caller used. Raises when the address is
-- not proven (so the caller can say why); false when nothing matched.
create or replace function internal.claim_developer(p_team uuid, p_developer text) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
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

-- Links are written only by the functions above. Owners and admins see their teams' links
-- (when each expires, whether and by whom it was used), never the digest.
revoke all on public.invitation_links from public, anon, authenticated, service_role;
grant select (id, team_id, email, invited_by, created_at, expires_at, used_at, used_by)
  on public.invitation_links to authenticated;
alter table public.invitation_links enable row level security;
alter table public.invitation_links force row level security;
create policy "team owners and admins read their teams' invitation links" on public.invitation_links
  for select to authenticated
  using (team_id in (select internal.my_admin_team_ids()));

grant execute on function internal.my_email_is_proven(),
  internal.invite_to_team(uuid, text, text, text, interval),
  internal.accept_invitation_link(uuid, text)
  to authenticated;
revoke execute on all functions in schema internal from public;
