-- migrate:formerly 2114828f5592c9cc9a12629f2db7135dfbce9e4a86aa0ad27b9859fb11d24f22
-- (Its comments were reworded; nothing it does changed.)
-- Timer widget: a person presses NEXT / PAUSE / UNDO / EXIT while working through
-- a queue of questions; the server turns the events into sessions and per-question durations.
--   * timer_state: one row per person, locked (select ... for update) while an event is
--     applied, so two browser tabs are applied one after the other; it points at the
--     active session and remembers the last applied event's time (older events: 409).
--   * timer_sessions: the run, its target pace and the in-progress question's counters.
--   * timer_questions: closed questions with raw and active (raw minus paused) seconds and
--     the pause counters at close, which UNDO restores.
--   * timer_events: every applied event as received, with the answer it got, so a retry
--     with the same client event_id is answered the same and changes nothing.

create table public.timer_sessions (
  id bigint generated always as identity primary key,
  public_id uuid not null unique default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  target_pace_minutes double precision not null default 5.5
    check (target_pace_minutes > 0 and target_pace_minutes <= 1440),
  started_at timestamptz not null,
  ended_at timestamptz,
  -- The question in progress (while ended_at is null).
  current_index integer not null default 1 check (current_index >= 1),
  question_started_at timestamptz not null,
  pause_accumulated_seconds double precision not null default 0 check (pause_accumulated_seconds >= 0),
  pause_started_at timestamptz
);
create index timer_sessions_owner_start_idx on public.timer_sessions (owner_id, started_at desc);

create table public.timer_questions (
  id bigint generated always as identity primary key,
  session_id bigint not null references public.timer_sessions (id) on delete cascade,
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  question_index integer not null check (question_index >= 1),
  started_at timestamptz not null,
  ended_at timestamptz not null check (ended_at >= started_at),
  raw_seconds double precision not null check (raw_seconds >= 0),
  active_seconds double precision not null check (active_seconds >= 0 and active_seconds <= raw_seconds),
  -- The pause counters when the question was closed: finished pauses, and an unfinished one.
  pause_accumulated_seconds double precision not null default 0 check (pause_accumulated_seconds >= 0),
  pause_started_at timestamptz,
  constraint timer_questions_session_index_key unique (session_id, question_index)
);
create index timer_questions_owner_start_idx on public.timer_questions (owner_id, started_at);

create table public.timer_state (
  owner_id uuid primary key default auth.uid() references auth.users (id) on delete cascade,
  active_session_id bigint references public.timer_sessions (id) on delete set null,
  last_event_at timestamptz
);

create table public.timer_events (
  id bigint generated always as identity primary key,
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  -- Kept when its session is deleted: a late retry must still get its first answer.
  session_id bigint references public.timer_sessions (id) on delete set null,
  event_id text check (length(event_id) between 1 and 100),
  type text not null check (type in ('NEXT', 'PAUSE', 'UNDO', 'EXIT')),
  occurred_at timestamptz not null,
  received_at timestamptz not null default now(),
  result jsonb not null,
  constraint timer_events_owner_event_key unique (owner_id, event_id)
);
create index timer_events_session_idx on public.timer_events (session_id);

revoke all on public.timer_sessions, public.timer_questions, public.timer_state, public.timer_events from anon;
grant select, insert, update, delete on public.timer_sessions, public.timer_questions, public.timer_state
  to authenticated;
grant select, insert on public.timer_events to authenticated;
-- Events are a record of what arrived: never edited.
revoke update on public.timer_events from authenticated;

alter table public.timer_sessions enable row level security;
alter table public.timer_sessions force row level security;
alter table public.timer_questions enable row level security;
alter table public.timer_questions force row level security;
alter table public.timer_state enable row level security;
alter table public.timer_state force row level security;
alter table public.timer_events enable row level security;
alter table public.timer_events force row level security;

create policy "owners and their team admins read timer sessions" on public.timer_sessions
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));
create policy "owners start timer sessions" on public.timer_sessions
  for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy "owners advance and retarget their timer sessions" on public.timer_sessions
  for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy "owners delete their timer sessions" on public.timer_sessions
  for delete to authenticated
  using (owner_id = (select auth.uid()));

create policy "owners and their team admins read timer questions" on public.timer_questions
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));
-- A question belongs to a session of the same person.
create policy "owners close questions of their own sessions" on public.timer_questions
  for insert to authenticated
  with check (
    owner_id = (select auth.uid())
    and exists (select from public.timer_sessions s where s.id = session_id and s.owner_id = (select auth.uid()))
  );
create policy "owners delete and undo their timer questions" on public.timer_questions
  for delete to authenticated
  using (owner_id = (select auth.uid()));

-- The lock row is the owner's alone: an admin has no business serializing a member's events.
create policy "owners read their timer state" on public.timer_state
  for select to authenticated
  using (owner_id = (select auth.uid()));
create policy "owners create their timer state" on public.timer_state
  for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy "owners move their timer state" on public.timer_state
  for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));

create policy "owners and their team admins read timer events" on public.timer_events
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));
create policy "owners' widgets record timer events" on public.timer_events
  for insert to authenticated
  with check (owner_id = (select auth.uid()));
