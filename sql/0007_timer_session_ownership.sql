-- A person's timer rows may point only at that person's own sessions.
--
-- 0004 checked `owner_id` on timer_state and timer_events but not the session they point
-- at, so someone writing to the tables directly (e.g. through Supabase's REST API) could
-- aim their own state or events at another person's session id. Nothing leaked, but the
-- rows lied about whose session they belonged to. Every stored event now also carries its
-- client (or derived) event id, so the column becomes required.

create function internal.owns_timer_session(session bigint) returns boolean
  language sql stable security invoker set search_path = ''
as $$
  select session is null
      or exists (select from public.timer_sessions s where s.id = session and s.owner_id = (select auth.uid()))
$$;
revoke execute on function internal.owns_timer_session(bigint) from public;
grant execute on function internal.owns_timer_session(bigint) to authenticated;

alter policy "owners create their timer state" on public.timer_state
  with check (owner_id = (select auth.uid()) and internal.owns_timer_session(active_session_id));
alter policy "owners move their timer state" on public.timer_state
  using (owner_id = (select auth.uid()))
  with check (owner_id = (select auth.uid()) and internal.owns_timer_session(active_session_id));
alter policy "owners' widgets record timer events" on public.timer_events
  with check (owner_id = (select auth.uid()) and internal.owns_timer_session(session_id));

alter table public.timer_events alter column event_id set not null;
