-- A timer press in two round trips instead of seven: one call that locks and reads, one that
-- writes. The state machine stays in the application; these functions only do, statement for
-- statement, what it sent one by one before. They are PL/pgSQL so that each statement's plan
-- is kept per connection (a press's read planned afresh cost more than it ran), and SECURITY
-- INVOKER: they run as the person pressing, so every policy and WITH CHECK on the timer
-- tables still decides.

-- The person's timer_state row, created if need be, locked until the transaction ends: the
-- first lock every write to their timer takes, so writers queue here instead of locking
-- sessions in differing orders.
create function internal.timer_lock_state()
returns table (active_session_id bigint, last_event_at timestamptz)
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  insert into public.timer_state (owner_id) values (auth.uid()) on conflict (owner_id) do nothing;
  return query
    select st.active_session_id, st.last_event_at from public.timer_state st
    where st.owner_id = auth.uid() for update;
end
$$;

-- Lock, then read what a press needs: the first answer to `event_key` if it was applied
-- before, the active session, its most recently closed question (what UNDO would remove) and
-- the tally of real (non-ghost) questions the answer reports. The read is a statement of its
-- own after the lock, so its snapshot includes whatever the press that held the lock
-- before committed.
create function internal.timer_press_state(event_key text)
returns table (
  last_event_at timestamptz, earlier jsonb,
  session_id bigint, public_id uuid, target_pace_minutes double precision, current_index integer,
  question_started_at timestamptz, pause_accumulated_seconds double precision, pause_started_at timestamptz,
  lc_index integer, lc_started_at timestamptz, lc_ended_at timestamptz, lc_raw_seconds double precision,
  lc_active_seconds double precision, lc_pause_accumulated_seconds double precision,
  lc_pause_started_at timestamptz,
  real_questions bigint, newest_real_seconds double precision[]
)
language plpgsql volatile security invoker set search_path = ''
as $$
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

-- Write what the state machine decided, `step` naming each part (absent: not this step's): a
-- session it starts, a question it undoes or closes, the question in progress afterwards (none:
-- the session ends), the event with its answer, and the person's state. Called with the
-- timer_state row locked by timer_press_state in the same transaction.
create function internal.timer_write_step(step jsonb)
returns void
language plpgsql volatile security invoker set search_path = ''
as $$
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

revoke execute on function internal.timer_lock_state() from public, anon;
revoke execute on function internal.timer_press_state(text) from public, anon;
revoke execute on function internal.timer_write_step(jsonb) from public, anon;
grant execute on function internal.timer_lock_state() to authenticated;
grant execute on function internal.timer_press_state(text) to authenticated;
grant execute on function internal.timer_write_step(jsonb) to authenticated;
