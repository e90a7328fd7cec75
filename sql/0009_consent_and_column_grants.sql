-- migrate:formerly 3f9283682ce16dbadae36584778c8a020eb884c360b4a12ff4e4c816889d72a2
-- (Before the profile table was named tracker_profiles; 0016 renames it on such installs.)
-- Consent and column privileges.
--
-- 1. Joining a team is the invitee's decision. 0002 added an existing account to a team the
--    moment anyone invited its email (and everyone else at sign-up), so a stranger could
--    create a team, invite victim@… and read all of the victim's time as its owner. Now an
--    invitation always waits until the person logged in with that email accepts (or
--    declines) it; sign-up only creates the profile.
-- 2. Writes are limited to the columns the product changes. Row policies say whose rows a
--    caller may update, not which columns: an admin could move a membership to any account
--    (`set user_id = …`), take over a team (`set created_by = …`), a person could spoof the
--    email on their profile, and an owner could undo a revoke (`set revoked_at = null`).

-- The caller's email as the auth server knows it. Read from auth.users rather than the
-- JWT, so an access token issued before an email change cannot claim the old address.
create function internal.my_email() returns text
language sql stable security definer set search_path = ''
as $$
  select lower(u.email) from auth.users u where u.id = auth.uid()
$$;

-- Teams the caller has a pending invitation to, and who invited them (to show who asks).
create function internal.my_invited_team_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select i.team_id from public.team_invitations i where i.email = internal.my_email()
$$;

create function internal.my_inviter_ids() returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select i.invited_by from public.team_invitations i where i.email = internal.my_email()
$$;

grant execute on function internal.my_email(), internal.my_invited_team_ids(), internal.my_inviter_ids()
  to authenticated;

-- Invite by email: always an invitation, never a membership. Re-inviting updates the role.
-- The outcome does not say whether an account exists (no probing for who has signed up).
create or replace function internal.invite_to_team(p_team uuid, p_email text, p_role text default 'member')
returns text
language plpgsql security definer set search_path = ''
as $$
begin
  if p_team not in (select internal.my_admin_team_ids()) then
    raise exception 'only a team owner or admin can invite' using errcode = '42501';
  end if;
  if p_role not in ('admin', 'member') then
    raise exception 'role must be admin or member' using errcode = '22023';
  end if;
  -- Already in the team (the admin sees the member list anyway): nothing to ask.
  if exists (
    select 1 from public.team_members m join auth.users u on u.id = m.user_id
    where m.team_id = p_team and lower(u.email) = lower(p_email)
  ) then
    return 'already_member';
  end if;
  insert into public.team_invitations (team_id, email, role, invited_by)
  values (p_team, lower(p_email), p_role, auth.uid())
  on conflict (team_id, email) do update set role = excluded.role, invited_by = excluded.invited_by;
  return 'invited';
end
$$;

-- Accepting is the only way into a team besides creating one: the invitation must be to
-- the caller's own email. Returns the role joined with.
create function internal.accept_invitation(p_team uuid) returns text
language plpgsql security definer set search_path = ''
as $$
declare
  invited_role text;
begin
  delete from public.team_invitations i
  where i.team_id = p_team and i.email = internal.my_email()
  returning i.role into invited_role;
  if invited_role is null then
    raise exception 'no pending invitation to this team for you' using errcode = 'P0002';
  end if;
  insert into public.team_members (team_id, user_id, role) values (p_team, auth.uid(), invited_role)
  on conflict (team_id, user_id) do nothing;
  return invited_role;
end
$$;
grant execute on function internal.accept_invitation(uuid) to authenticated;

-- A new account gets its profile; invitations to its email wait for it to accept them.
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

create policy "invitees read their invitations" on public.team_invitations
  for select to authenticated
  using (email = (select internal.my_email()));
create policy "invitees decline their invitations" on public.team_invitations
  for delete to authenticated
  using (email = (select internal.my_email()));
create policy "invitees read the teams they are invited to" on public.teams
  for select to authenticated
  using (id in (select internal.my_invited_team_ids()));
create policy "invitees read their inviters' profiles" on public.tracker_profiles
  for select to authenticated
  using (id in (select internal.my_inviter_ids()));

-- Column privileges. REVOKE on the table takes its column grants with it, so each table
-- ends up with exactly the columns granted here (0003's devices/api_tokens lists kept).
revoke update on public.tracker_profiles, public.teams, public.team_members from anon, authenticated;
grant update (display_name, timezone, updated_at) on public.tracker_profiles to authenticated;
grant update (name) on public.teams to authenticated;
grant update (role) on public.team_members to authenticated;

-- A revoke is final: revoked_at may go from null to a time (the server's, not the caller's),
-- never back or to another time. A trigger, because the owner's own code sets it.
create function internal.keep_revoked() returns trigger
language plpgsql set search_path = ''
as $$
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
create trigger keep_revoked before update of revoked_at on public.devices
  for each row execute function internal.keep_revoked();
create trigger keep_revoked before update of revoked_at on public.api_tokens
  for each row execute function internal.keep_revoked();

revoke execute on all functions in schema internal from public;
