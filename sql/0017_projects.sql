-- Projects: what time is spent on, across every source. A project belongs to one person
-- (owner_id) or to one team (team_id); team projects are read by the team's members and
-- managed by its owners and admins. Rules name the time: each maps a source's field
-- (a tag, a coding project, a window title, ...) to a project. They are applied when time
-- is read, so a changed rule changes past reports at once and no event is ever rewritten.

create table public.projects (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid references auth.users (id) on delete cascade,
  team_id uuid references public.teams (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 100),
  color text not null default '#4c78a8' check (color ~ '^#[0-9a-f]{6}$'),
  parent_id uuid references public.projects (id) on delete set null,
  -- Retired from pickers and new rules; its time and rules keep counting, so past reports
  -- do not change when a project is archived.
  archived boolean not null default false,
  created_at timestamptz not null default now(),
  constraint projects_one_owner check ((owner_id is null) <> (team_id is null)),
  constraint projects_not_own_parent check (parent_id is distinct from id),
  constraint projects_name_key unique nulls not distinct (owner_id, team_id, parent_id, name)
);
create index projects_owner_idx on public.projects (owner_id) where owner_id is not null;
create index projects_team_idx on public.projects (team_id) where team_id is not null;
create index projects_parent_idx on public.projects (parent_id) where parent_id is not null;

create table public.project_rules (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  owner_id uuid references auth.users (id) on delete cascade,
  team_id uuid references public.teams (id) on delete cascade,
  source text not null check (source in ('nfc', 'wakatime', 'activitywatch')),
  field text not null,
  match text not null default 'exact' check (match in ('exact', 'regex')),
  pattern text not null check (length(pattern) between 1 and 500),
  ignore_case boolean not null default false,
  -- WakaTime only: a second condition on the branch or the language (exact).
  extra_field text check (extra_field in ('branch', 'language')),
  extra_pattern text check (length(extra_pattern) between 1 and 500),
  position integer not null default 0 check (position between 0 and 100000),
  created_at timestamptz not null default now(),
  constraint project_rules_one_owner check ((owner_id is null) <> (team_id is null)),
  constraint project_rules_source_field check (
    (source = 'nfc' and field in ('tag_id', 'tag_label'))
    or (source = 'wakatime' and field in ('project', 'branch', 'language'))
    or (source = 'activitywatch' and field in ('app', 'title', 'url', 'domain'))
  ),
  constraint project_rules_extra check (
    (extra_field is null) = (extra_pattern is null) and (extra_field is null or source = 'wakatime')
  )
);
create index project_rules_owner_idx on public.project_rules (owner_id, position) where owner_id is not null;
create index project_rules_team_idx on public.project_rules (team_id, position) where team_id is not null;
create index project_rules_project_idx on public.project_rules (project_id);

-- A timer session and an entry added by hand name their project directly.
alter table public.timer_sessions add column project_id uuid references public.projects (id) on delete set null;
alter table public.time_entries add column project_id uuid references public.projects (id) on delete set null;
create index timer_sessions_project_idx on public.timer_sessions (project_id) where project_id is not null;
create index time_entries_project_idx on public.time_entries (project_id) where project_id is not null;

alter table public.projects enable row level security;
alter table public.projects force row level security;
alter table public.project_rules enable row level security;
alter table public.project_rules force row level security;

-- Whose projects the caller manages: their own, and their teams' as an owner or admin.
create function internal.manages_projects_of(p_owner uuid, p_team uuid) returns boolean
language sql stable security invoker set search_path = ''
as $$
  select (p_team is null and p_owner = (select auth.uid()))
      or (p_owner is null and p_team in (select internal.my_admin_team_ids()))
$$;

-- A project the caller may point at: one they can see (their own, or a team's they belong
-- to). Invoker: the projects' own policies decide what "see" means.
create function internal.may_use_project(p_project uuid) returns boolean
language sql stable security invoker set search_path = ''
as $$
  select p_project is null or exists (select from public.projects p where p.id = p_project)
$$;

-- A parent is a project of the same owner or team, and no project is its own ancestor.
create function internal.project_parent_fits(p_project uuid, p_parent uuid, p_owner uuid, p_team uuid)
returns boolean
language sql stable security invoker set search_path = ''
as $$
  select p_parent is null or (
    exists (
      select from public.projects p
      where p.id = p_parent and p.owner_id is not distinct from p_owner and p.team_id is not distinct from p_team
    )
    and not exists (
      with recursive ancestors(id) as (
        select p_parent
        union
        select p.parent_id from public.projects p join ancestors a on p.id = a.id where p.parent_id is not null
      )
      select from ancestors where id = p_project
    )
  )
$$;

create policy "owners and team members read projects" on public.projects
  for select to authenticated
  using (owner_id = (select auth.uid()) or team_id in (select internal.my_team_ids()));
create policy "owners and team admins create projects" on public.projects
  for insert to authenticated
  with check (internal.manages_projects_of(owner_id, team_id)
              and internal.project_parent_fits(id, parent_id, owner_id, team_id));
create policy "owners and team admins change projects" on public.projects
  for update to authenticated
  using (internal.manages_projects_of(owner_id, team_id))
  with check (internal.manages_projects_of(owner_id, team_id)
              and internal.project_parent_fits(id, parent_id, owner_id, team_id));
create policy "owners and team admins delete projects" on public.projects
  for delete to authenticated
  using (internal.manages_projects_of(owner_id, team_id));

-- A personal rule (p_team null) may name any project its owner can see, a team's too; a
-- team's rule names one of that team's projects. Invoker: "can see" is the projects' policies.
create function internal.rule_may_name(p_project uuid, p_team uuid) returns boolean
language sql stable security invoker set search_path = ''
as $$
  select exists (select from public.projects p where p.id = p_project and (p_team is null or p.team_id = p_team))
$$;

create policy "owners and team members read rules" on public.project_rules
  for select to authenticated
  using (owner_id = (select auth.uid()) or team_id in (select internal.my_team_ids()));
create policy "owners and team admins write rules" on public.project_rules
  for insert to authenticated
  with check (internal.manages_projects_of(owner_id, team_id) and internal.rule_may_name(project_id, team_id));
create policy "owners and team admins change rules" on public.project_rules
  for update to authenticated
  using (internal.manages_projects_of(owner_id, team_id))
  with check (internal.manages_projects_of(owner_id, team_id) and internal.rule_may_name(project_id, team_id));
create policy "owners and team admins delete rules" on public.project_rules
  for delete to authenticated
  using (internal.manages_projects_of(owner_id, team_id));

-- Sessions and entries point only at projects their owner can see.
create policy "timer sessions name visible projects" on public.timer_sessions
  as restrictive for insert to authenticated with check (internal.may_use_project(project_id));
create policy "timer sessions keep visible projects" on public.timer_sessions
  as restrictive for update to authenticated using (true) with check (internal.may_use_project(project_id));
create policy "manual entries name visible projects" on public.time_entries
  as restrictive for insert to authenticated with check (internal.may_use_project(project_id));
create policy "manual entries keep visible projects" on public.time_entries
  as restrictive for update to authenticated using (true) with check (internal.may_use_project(project_id));

-- The projects and rules that name `p_person`'s time: their own, then those of each team
-- they belong to. SECURITY DEFINER so a team admin reading a member's time applies exactly
-- the member's rules (one number, whoever looks); only for the person or their team admins.
-- A project of a team the caller is not in keeps its time but not its name or colour.
create function internal.projects_for(p_person uuid)
returns table (id uuid, team_id uuid, name text, color text, parent_id uuid, archived boolean)
language sql stable security definer set search_path = ''
as $$
  select p.id, p.team_id,
         case when seen then p.name else 'a project of another team' end,
         case when seen then p.color else '#9e9e9e' end,
         case when seen then p.parent_id end,
         p.archived
  from public.projects p,
       lateral (select p.team_id is null or p.team_id in (select internal.my_team_ids()) as seen) v
  where (p_person = auth.uid() or p_person in (select internal.managed_user_ids()))
    and (p.owner_id = p_person
         or p.team_id in (select m.team_id from public.team_members m where m.user_id = p_person))
$$;

create function internal.project_rules_for(p_person uuid)
returns table (id uuid, project_id uuid, team_id uuid, source text, field text, match text, pattern text,
               ignore_case boolean, extra_field text, extra_pattern text, "position" integer)
language sql stable security definer set search_path = ''
as $$
  select r.id, r.project_id, r.team_id, r.source, r.field, r.match, r.pattern, r.ignore_case,
         r.extra_field, r.extra_pattern, r.position
  from public.project_rules r
  left join public.teams t on t.id = r.team_id
  where (p_person = auth.uid() or p_person in (select internal.managed_user_ids()))
    and (r.owner_id = p_person
         or r.team_id in (select m.team_id from public.team_members m where m.user_id = p_person))
  -- Personal rules first; then each team's, oldest team first; then the order set for them.
  order by r.team_id is not null, t.created_at, r.team_id, r.position, r.created_at, r.id
$$;

-- Explicit privileges, whatever the schema's defaults are.
revoke all on public.projects, public.project_rules from anon, authenticated, service_role;
grant select, insert, delete on public.projects, public.project_rules to authenticated;
grant update (name, color, parent_id, archived) on public.projects to authenticated;
grant update (project_id, source, field, match, pattern, ignore_case, extra_field, extra_pattern, position)
  on public.project_rules to authenticated;
grant update (project_id) on public.time_entries to authenticated;

revoke execute on function internal.manages_projects_of(uuid, uuid), internal.may_use_project(uuid),
  internal.project_parent_fits(uuid, uuid, uuid, uuid), internal.rule_may_name(uuid, uuid),
  internal.projects_for(uuid), internal.project_rules_for(uuid) from public, anon;
grant execute on function internal.manages_projects_of(uuid, uuid), internal.may_use_project(uuid),
  internal.project_parent_fits(uuid, uuid, uuid, uuid), internal.rule_may_name(uuid, uuid),
  internal.projects_for(uuid), internal.project_rules_for(uuid) to authenticated;
