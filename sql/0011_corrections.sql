-- migrate:formerly b54ea289148b381a04d02238704d81aa3e4bb859205d5bd14acf28555c2fd42c
-- (Before the profile table was named tracker_profiles; 0016 renames it on such installs.)
-- Corrections: time a person adds by hand, stretches they mark as not work, a cap on
-- forgotten tags, and an append-only trail of every change, written by triggers so no code
-- path can skip it. Only the person writes their corrections; their team owners and admins
-- read them (they change the member's totals), the notes only when the person shares them.

alter table public.tracker_profiles
  add column open_interval_cap_hours integer not null default 12 check (open_interval_cap_hours between 1 and 24),
  add column share_notes boolean not null default false;
grant select (open_interval_cap_hours, share_notes) on public.tracker_profiles to authenticated;
grant update (open_interval_cap_hours, share_notes) on public.tracker_profiles to authenticated;

-- Time added by hand: a source of its own ("manual"), first in the default precedence.
create table public.time_entries (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  started_at timestamptz not null,
  ended_at timestamptz not null,
  label text not null check (length(btrim(label)) between 1 and 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint time_entries_span check (ended_at > started_at and ended_at - started_at <= interval '24 hours')
);
create index time_entries_owner_time_idx on public.time_entries (owner_id, started_at);

-- Stretches that are not work: removed from every source's counted time, raw events kept.
create table public.time_exclusions (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  started_at timestamptz not null,
  ended_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint time_exclusions_span check (ended_at > started_at and ended_at - started_at <= interval '31 days')
);
create index time_exclusions_owner_time_idx on public.time_exclusions (owner_id, started_at);

-- The note of an entry or the reason of an exclusion, apart from the times: a team's admins
-- read the times (they count), the words only when the person shares them.
create table public.correction_notes (
  item_id uuid primary key,
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  note text not null check (length(note) <= 1000)
);

-- What changed, when and by whom, with the times before and after (never the notes).
create table public.time_edits (
  id bigint generated always as identity primary key,
  owner_id uuid not null references auth.users (id) on delete cascade,
  actor_id uuid references auth.users (id) on delete set null,
  kind text not null check (kind in ('entry', 'exclusion')),
  action text not null check (action in ('create', 'update', 'delete')),
  item_id uuid not null,
  at timestamptz not null default now(),
  started_at timestamptz not null,
  ended_at timestamptz not null,
  previous jsonb,
  current jsonb
);
create index time_edits_owner_time_idx on public.time_edits (owner_id, started_at);

alter table public.time_entries enable row level security;
alter table public.time_entries force row level security;
alter table public.time_exclusions enable row level security;
alter table public.time_exclusions force row level security;
alter table public.correction_notes enable row level security;
alter table public.correction_notes force row level security;
alter table public.time_edits enable row level security;
alter table public.time_edits force row level security;

create policy "owners and their team admins read manual entries" on public.time_entries
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));
create policy "owners add manual entries" on public.time_entries
  for insert to authenticated with check (owner_id = (select auth.uid()));
create policy "owners change their manual entries" on public.time_entries
  for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy "owners delete their manual entries" on public.time_entries
  for delete to authenticated using (owner_id = (select auth.uid()));

create policy "owners and their team admins read exclusions" on public.time_exclusions
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));
create policy "owners exclude time" on public.time_exclusions
  for insert to authenticated with check (owner_id = (select auth.uid()));
create policy "owners change their exclusions" on public.time_exclusions
  for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy "owners delete their exclusions" on public.time_exclusions
  for delete to authenticated using (owner_id = (select auth.uid()));

-- Whether `person` lets their team admins read their notes (SECURITY DEFINER so the policy
-- does not depend on who may read that profile row).
create function internal.shares_notes(person uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce((select p.share_notes from public.tracker_profiles p where p.id = person), false)
$$;
revoke execute on function internal.shares_notes(uuid) from public;
grant execute on function internal.shares_notes(uuid) to authenticated;

create policy "owners, and their team admins when shared, read notes" on public.correction_notes
  for select to authenticated
  using (
    owner_id = (select auth.uid())
    or (owner_id in (select internal.managed_user_ids()) and internal.shares_notes(owner_id))
  );
create policy "owners write their notes" on public.correction_notes
  for insert to authenticated with check (owner_id = (select auth.uid()));
create policy "owners rewrite their notes" on public.correction_notes
  for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy "owners delete their notes" on public.correction_notes
  for delete to authenticated using (owner_id = (select auth.uid()));

create policy "owners and their team admins read the edit trail" on public.time_edits
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));

-- Every change to an entry or an exclusion, recorded by the database itself. SECURITY
-- DEFINER: nobody holds a grant to write the trail, so nobody can alter it.
create function internal.record_time_edit() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  changed record := case when tg_op = 'DELETE' then old else new end;
begin
  -- A deleted account takes its corrections and its trail with it: nothing to record.
  if tg_op = 'DELETE' and not exists (select from auth.users u where u.id = old.owner_id) then
    return null;
  end if;
  insert into public.time_edits (owner_id, actor_id, kind, action, item_id, started_at, ended_at, previous, current)
  values (
    changed.owner_id, auth.uid(), tg_argv[0],
    case tg_op when 'INSERT' then 'create' when 'UPDATE' then 'update' else 'delete' end,
    changed.id, changed.started_at, changed.ended_at,
    case when tg_op <> 'INSERT' then to_jsonb(old) - 'owner_id' end,
    case when tg_op <> 'DELETE' then to_jsonb(new) - 'owner_id' end
  );
  return null;
end
$$;
revoke execute on function internal.record_time_edit() from public;
create trigger record_edit after insert or update or delete on public.time_entries
  for each row execute function internal.record_time_edit('entry');
create trigger record_edit after insert or update or delete on public.time_exclusions
  for each row execute function internal.record_time_edit('exclusion');

-- Explicit privileges, whatever the schema's defaults are; the trail is append-only for
-- every role (its trigger writes as the owner of the function).
revoke all on public.time_entries, public.time_exclusions, public.correction_notes, public.time_edits
  from anon, authenticated, service_role;
grant select, insert, delete on public.time_entries, public.time_exclusions, public.correction_notes to authenticated;
grant update (started_at, ended_at, label, updated_at) on public.time_entries to authenticated;
grant update (started_at, ended_at, updated_at) on public.time_exclusions to authenticated;
grant update (note) on public.correction_notes to authenticated;
grant select on public.time_edits to authenticated;
