-- ActivityWatch: a developer id links a person to a team's rows only while that person is
-- a member of the team, and claiming an id needs a confirmed email that the id was made from.
--
-- 0005 left three gaps:
--   * the INSERT policy on developers checked only the team, so an admin could register a
--     row already linked to anyone (a non-member) and make the team's rows appear in that
--     person's view; only UPDATE required the linked person to be a member;
--   * a link outlived the membership: someone removed from the team kept reading the rows
--     of their linked developer id (my_developer_ids() never looked at team_members);
--   * ids made by the CLI generator (timetracker/devs) are registered by the first event,
--     without the email hash, so nobody could ever claim them; and an unconfirmed email was
--     enough to claim.
--
-- A removed member's link is kept, dormant: it counts again if they are added back (an
-- admin's deliberate act), and admins still see who the id was linked to.

-- Linked developer ids that count: the caller's, in teams the caller is still a member of.
create or replace function internal.my_developer_ids() returns table (team_id uuid, developer_id text)
language sql stable security definer set search_path = ''
as $$
  select d.team_id, d.developer_id
  from public.developers d
  join public.team_members m on m.team_id = d.team_id and m.user_id = d.user_id
  where d.user_id = auth.uid()
$$;

drop policy "team admins and the linked person read developers" on public.developers;
create policy "team admins and the linked member read developers" on public.developers
  for select to authenticated
  using (
    team_id in (select internal.my_admin_team_ids())
    or (user_id = (select auth.uid()) and team_id in (select internal.my_team_ids()))
  );

-- The same rule as linking by UPDATE: a new row is unlinked or linked to a team member.
drop policy "team admins register developers" on public.developers;
create policy "team admins register developers, linked only to members" on public.developers
  for insert to authenticated
  with check (
    team_id in (select internal.my_admin_team_ids())
    and (user_id is null or exists (
      select 1 from public.team_members m where m.team_id = developers.team_id and m.user_id = developers.user_id))
  );

-- A member with a confirmed email claims an unlinked developer id of their team when it was
-- made from that email: the stored full hash matches, or, with none stored (ids from the CLI
-- generator), the id's own suffix is the short hash of the email (the id rule
-- `<name>_<first 8 hex of sha256(lower(email))>`). Returns false when nothing matched.
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
  update public.developers d set user_id = auth.uid()
  where d.team_id = p_team and d.developer_id = p_developer and d.user_id is null
    and (d.email_sha256 = my_hash
         or (d.email_sha256 is null and right(d.developer_id, 8) = left(my_hash, 8)));
  return found;
end
$$;
