-- migrate:formerly 2da0e32be6bc5290cf315d591cdad93861dda16fdd6fb0f3d95eb56d200cb422
-- (Before the profile table was named tracker_profiles; 0016 renames it on such installs.)
-- People and teams. Who may read whose time is decided here, once, for every table:
-- a person reads their own rows; an owner or admin of a team reads its members' rows.

create schema if not exists internal;
revoke all on schema internal from public;
grant usage on schema internal to authenticated, service_role;

-- Named for this product, not `profiles`: a Supabase project often has its own (the
-- user-management quickstart's), which this must leave alone. No email for accounts that
-- have none (phone sign-ups, anonymous sign-ins).
create table public.tracker_profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text,
  display_name text not null default '' check (length(display_name) <= 100),
  timezone text not null default 'UTC' check (length(timezone) between 1 and 64),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.teams (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 100),
  created_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  created_at timestamptz not null default now()
);

create table public.team_members (
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'admin', 'member')),
  added_at timestamptz not null default now(),
  primary key (team_id, user_id)
);
create index team_members_user_id_idx on public.team_members (user_id);

-- Invitations for people who have not signed up yet; they become memberships at sign-up.
create table public.team_invitations (
  team_id uuid not null references public.teams (id) on delete cascade,
  email text not null check (email = lower(email) and position('@' in email) > 1),
  role text not null default 'member' check (role in ('admin', 'member')),
  invited_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (team_id, email)
);
create index team_invitations_email_idx on public.team_invitations (email);

-- Membership helpers. SECURITY DEFINER so policies on team_members can ask about
-- team_members without recursing into their own RLS; search_path pinned against hijacking.
create function internal.my_team_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.team_id from public.team_members m where m.user_id = auth.uid()
$$;

create function internal.my_admin_team_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.team_id from public.team_members m
  where m.user_id = auth.uid() and m.role in ('owner', 'admin')
$$;

-- People whose time the caller may read as a team owner or admin.
create function internal.managed_user_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select distinct subject.user_id
  from public.team_members viewer
  join public.team_members subject on subject.team_id = viewer.team_id
  where viewer.user_id = auth.uid() and viewer.role in ('owner', 'admin')
$$;

-- People who share a team with the caller (to show names in member lists).
create function internal.teammate_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select distinct other.user_id
  from public.team_members mine
  join public.team_members other on other.team_id = mine.team_id
  where mine.user_id = auth.uid()
$$;

grant execute on function internal.my_team_ids(), internal.my_admin_team_ids(),
  internal.managed_user_ids(), internal.teammate_ids() to authenticated;

-- A new account gets a profile and any memberships it was invited to. An account without
-- an email gets a profile and nothing else: a failure here would fail every sign-up.
create function internal.on_user_created() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.tracker_profiles (id, email, display_name)
  values (new.id, lower(new.email),
          coalesce(new.raw_user_meta_data ->> 'display_name', split_part(new.email, '@', 1), ''))
  on conflict (id) do nothing;
  if new.email is not null then
    insert into public.team_members (team_id, user_id, role)
    select i.team_id, new.id, i.role from public.team_invitations i where i.email = lower(new.email)
    on conflict do nothing;
    delete from public.team_invitations where email = lower(new.email);
  end if;
  return new;
end
$$;
-- Prefixed: triggers are named per table, and `on_auth_user_created` is the quickstart's.
create trigger tracker_on_auth_user_created after insert on auth.users
  for each row execute function internal.on_user_created();
-- Accounts that existed before this migration (an existing Supabase project) get theirs now.
insert into public.tracker_profiles (id, email, display_name)
select u.id, lower(u.email), coalesce(u.raw_user_meta_data ->> 'display_name', split_part(u.email, '@', 1), '')
from auth.users u
on conflict (id) do nothing;

-- Whoever creates a team owns it.
create function internal.on_team_created() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.team_members (team_id, user_id, role) values (new.id, new.created_by, 'owner');
  return new;
end
$$;
create trigger on_team_created after insert on public.teams
  for each row execute function internal.on_team_created();

-- Invite by email: an existing account joins at once, anyone else when they sign up.
create function internal.invite_to_team(p_team uuid, p_email text, p_role text default 'member')
returns text
language plpgsql security definer set search_path = ''
as $$
declare
  invitee uuid;
begin
  if p_team not in (select internal.my_admin_team_ids()) then
    raise exception 'only a team owner or admin can invite' using errcode = '42501';
  end if;
  if p_role not in ('admin', 'member') then
    raise exception 'role must be admin or member' using errcode = '22023';
  end if;
  select u.id into invitee from auth.users u where lower(u.email) = lower(p_email);
  if invitee is not null then
    insert into public.team_members (team_id, user_id, role) values (p_team, invitee, p_role)
    on conflict (team_id, user_id) do nothing;
    return 'added';
  end if;
  insert into public.team_invitations (team_id, email, role, invited_by)
  values (p_team, lower(p_email), p_role, auth.uid())
  on conflict (team_id, email) do update set role = excluded.role;
  return 'invited';
end
$$;
grant execute on function internal.invite_to_team(uuid, text, text) to authenticated;

-- Functions are executable by PUBLIC by default; each one here is granted to exactly the
-- roles that need it. (Per-schema default privileges cannot take that default away, so
-- every migration that adds functions to `internal` revokes them the same way.)
revoke execute on all functions in schema internal from public;

alter table public.tracker_profiles enable row level security;
alter table public.tracker_profiles force row level security;
alter table public.teams enable row level security;
alter table public.teams force row level security;
alter table public.team_members enable row level security;
alter table public.team_members force row level security;
alter table public.team_invitations enable row level security;
alter table public.team_invitations force row level security;

create policy "people read own and teammates' profiles" on public.tracker_profiles
  for select to authenticated
  using (id = (select auth.uid()) or id in (select internal.teammate_ids()));
create policy "people update own profile" on public.tracker_profiles
  for update to authenticated
  using (id = (select auth.uid())) with check (id = (select auth.uid()));

create policy "members read their teams" on public.teams
  for select to authenticated
  using (id in (select internal.my_team_ids()) or created_by = (select auth.uid()));
create policy "people create teams they own" on public.teams
  for insert to authenticated
  with check (created_by = (select auth.uid()));
create policy "admins rename their teams" on public.teams
  for update to authenticated
  using (id in (select internal.my_admin_team_ids()))
  with check (id in (select internal.my_admin_team_ids()));
create policy "owners delete their teams" on public.teams
  for delete to authenticated
  using (created_by = (select auth.uid()));

create policy "members read their teams' members" on public.team_members
  for select to authenticated
  using (team_id in (select internal.my_team_ids()));
create policy "admins change non-owner members" on public.team_members
  for update to authenticated
  using (team_id in (select internal.my_admin_team_ids()) and role <> 'owner')
  with check (team_id in (select internal.my_admin_team_ids()) and role <> 'owner');
create policy "admins remove members and members leave" on public.team_members
  for delete to authenticated
  using (role <> 'owner' and (team_id in (select internal.my_admin_team_ids()) or user_id = (select auth.uid())));

create policy "admins read their teams' invitations" on public.team_invitations
  for select to authenticated
  using (team_id in (select internal.my_admin_team_ids()));
create policy "admins withdraw invitations" on public.team_invitations
  for delete to authenticated
  using (team_id in (select internal.my_admin_team_ids()));
