-- migrate:formerly 47d02b37fed17b578045e0ab917f64a2f9de1d0ae622163e2f347e34b97a2848
-- (Before the profile table was named tracker_profiles; 0016 renames it on such installs.)
-- Counted once: each person's order of sources for the attributed timeline, and the
-- indexes that let a report read one person's window of time without scanning history.

-- Who gets a second several sources cover, most specific first. Empty means the product's
-- default order; a source the person has not placed (one added later) follows in that order.
alter table public.tracker_profiles
  add column source_precedence text[] not null default '{}'
  check (cardinality(source_precedence) <= 16
         and array_to_string(source_precedence, ',') ~ '^([a-z_]{1,32}(,[a-z_]{1,32})*)?$');
grant select (source_precedence) on public.tracker_profiles to authenticated;
grant update (source_precedence) on public.tracker_profiles to authenticated;

-- A window [start, end) of ActivityWatch events is read as "started in [start - 1 hour, end)"
-- on the time indexes, plus the few events longer than an hour (a night away, a long
-- meeting) from these partial indexes: no range scan without a lower bound.
create index aw_events_owner_long_idx on public.aw_events (owner_id, started_at)
  where owner_id is not null and duration > 3600;
create index aw_events_team_long_idx on public.aw_events (team_id, developer_id, started_at)
  where team_id is not null and duration > 3600;
-- Imported WakaTime durations, likewise.
create index wakatime_durations_owner_long_idx on public.wakatime_durations (owner_id, started_at)
  where duration_seconds > 3600;
