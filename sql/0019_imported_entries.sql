-- Time imported from another tracker (Toggl Track, Clockify): a source of its own
-- ("imported"), right after time added by hand in the default precedence, since it is what
-- a person wrote down by hand elsewhere. Each entry is kept once per person: its key is a
-- hash of what identifies it (its start, end, project and description), so importing the
-- same export again, or the same entries through Toggl's API, adds nothing.

create table public.imported_entries (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  origin text not null check (origin in ('toggl', 'clockify')),
  entry_key text not null check (entry_key ~ '^[0-9a-f]{64}$'),
  started_at timestamptz not null,
  ended_at timestamptz not null,
  -- What the other tracker called it: shown as the entry's label, and matched by project rules.
  project text not null default '' check (length(project) <= 200),
  client text not null default '' check (length(client) <= 200),
  task text not null default '' check (length(task) <= 200),
  description text not null default '' check (length(description) <= 1000),
  tags text not null default '' check (length(tags) <= 1000),
  imported_at timestamptz not null default now(),
  constraint imported_entries_span check (ended_at > started_at and ended_at - started_at <= interval '24 hours'),
  constraint imported_entries_owner_key unique (owner_id, entry_key)
);
create index imported_entries_owner_time_idx on public.imported_entries (owner_id, started_at);

select internal.secure_table('public.imported_entries'::regclass);

create policy "owners and their team admins read imported entries" on public.imported_entries
  for select to authenticated
  using (owner_id in (select id from internal.mine_or_managed_ids() id));
create policy "owners import entries" on public.imported_entries
  for insert to authenticated with check (owner_id = (select auth.uid()));
-- A person removes what they imported (a file read in the wrong timezone, say); nobody edits it.
create policy "owners remove imported entries" on public.imported_entries
  for delete to authenticated using (owner_id = (select auth.uid()));

grant select, insert, delete on public.imported_entries to authenticated;

-- Project rules may name imported time by the other tracker's project, client or description.
alter table public.project_rules drop constraint project_rules_source_check;
alter table public.project_rules add constraint project_rules_source_check
  check (source in ('nfc', 'wakatime', 'activitywatch', 'imported'));
alter table public.project_rules drop constraint project_rules_source_field;
alter table public.project_rules add constraint project_rules_source_field check (
  (source = 'nfc' and field in ('tag_id', 'tag_label'))
  or (source = 'wakatime' and field in ('project', 'branch', 'language'))
  or (source = 'activitywatch' and field in ('app', 'title', 'url', 'domain'))
  or (source = 'imported' and field in ('project', 'client', 'description'))
);
