-- NFC readers, their tag labels, the raw events they send, and personal API tokens.
-- Secrets (device keys, API tokens) are stored only as SHA-256 digests, and those
-- columns are not even readable by their owners: only the narrow lookup functions see them.

create table public.devices (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  device_id text not null unique check (device_id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
  name text not null check (length(btrim(name)) between 1 and 100),
  key_hash text not null,
  key_hint text not null,
  created_at timestamptz not null default now(),
  rotated_at timestamptz,
  revoked_at timestamptz
);
create index devices_owner_id_idx on public.devices (owner_id);

create table public.tags (
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  tag_id text not null check (tag_id ~ '^[0-9a-f]{2}( [0-9a-f]{2}){0,15}$'),
  label text not null check (length(btrim(label)) between 1 and 100),
  updated_at timestamptz not null default now(),
  primary key (owner_id, tag_id)
);

-- Raw events exactly as received (payload keeps unknown fields); intervals are derived.
create table public.device_events (
  id bigint generated always as identity primary key,
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  device_id text not null references public.devices (device_id),
  event_type text not null check (event_type in ('tag_insert', 'tag_removed')),
  tag_id text not null,
  tag_present boolean not null,
  occurred_at timestamptz not null,
  received_at timestamptz not null default now(),
  payload jsonb not null,
  -- The natural key: a retried POST is stored once.
  constraint device_events_natural_key unique (device_id, occurred_at, event_type, tag_id)
);
create index device_events_owner_time_idx on public.device_events (owner_id, occurred_at);
create index device_events_device_received_idx on public.device_events (device_id, received_at desc);

create table public.api_tokens (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 100),
  token_hash text not null unique,
  token_hint text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_owner_id_idx on public.api_tokens (owner_id);

-- Owners may not read the digests back: grant every column but those.
revoke select, update on public.devices, public.api_tokens from anon, authenticated;
grant select (id, owner_id, device_id, name, key_hint, created_at, rotated_at, revoked_at)
  on public.devices to authenticated;
grant update (name, key_hash, key_hint, rotated_at, revoked_at) on public.devices to authenticated;
grant select (id, owner_id, name, token_hint, created_at, last_used_at, revoked_at)
  on public.api_tokens to authenticated;
grant update (name, revoked_at) on public.api_tokens to authenticated;
-- Raw events are immutable once stored.
revoke update on public.device_events from anon, authenticated;

alter table public.devices enable row level security;
alter table public.devices force row level security;
alter table public.tags enable row level security;
alter table public.tags force row level security;
alter table public.device_events enable row level security;
alter table public.device_events force row level security;
alter table public.api_tokens enable row level security;
alter table public.api_tokens force row level security;

create policy "owners and their team admins read devices" on public.devices
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));
create policy "people register their own devices" on public.devices
  for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy "owners rotate and revoke their devices" on public.devices
  for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));

create policy "owners and their team admins read tags" on public.tags
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));
create policy "owners label their tags" on public.tags
  for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy "owners relabel their tags" on public.tags
  for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy "owners delete their tags" on public.tags
  for delete to authenticated
  using (owner_id = (select auth.uid()));

create policy "owners and their team admins read device events" on public.device_events
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));
-- Ingest runs as the device's owner: an event can only land on a live device of theirs.
create policy "owners' live devices write events" on public.device_events
  for insert to authenticated
  with check (
    owner_id = (select auth.uid())
    and exists (
      select 1 from public.devices d
      where d.device_id = device_events.device_id
        and d.owner_id = (select auth.uid())
        and d.revoked_at is null
    )
  );

create policy "owners read their tokens" on public.api_tokens
  for select to authenticated
  using (owner_id = (select auth.uid()));
create policy "owners create their tokens" on public.api_tokens
  for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy "owners revoke their tokens" on public.api_tokens
  for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));

-- Credential lookups: the only readers of the digests, callable by the service path alone.
create function internal.device_credentials(p_device_id text)
returns table (owner_id uuid, key_hash text, revoked boolean)
language sql stable security definer set search_path = ''
as $$
  select d.owner_id, d.key_hash, d.revoked_at is not null
  from public.devices d where d.device_id = p_device_id
$$;

create function internal.api_token_owner(p_token_hash text) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  owner uuid;
begin
  -- last_used_at is written at most once a minute per token, to keep reads cheap.
  update public.api_tokens t set last_used_at = now()
  where t.token_hash = p_token_hash and t.revoked_at is null
    and (t.last_used_at is null or t.last_used_at < now() - interval '1 minute');
  select t.owner_id into owner from public.api_tokens t
  where t.token_hash = p_token_hash and t.revoked_at is null;
  return owner;
end
$$;

revoke execute on function internal.device_credentials(text), internal.api_token_owner(text) from public;
grant execute on function internal.device_credentials(text), internal.api_token_owner(text) to service_role;

-- When each device was last heard from, derived from the events (never a counter to drift).
create view public.device_status with (security_invoker = true) as
select d.id, d.owner_id, d.device_id, d.name, d.key_hint, d.created_at, d.rotated_at, d.revoked_at,
       (select max(e.received_at) from public.device_events e where e.device_id = d.device_id) as last_seen_at
from public.devices d;

-- Presence intervals: a tag_insert paired with the next event of the same tag on the
-- same device. Anything that does not pair is kept and labelled, never dropped:
--   closed           insert .. matching removal
--   missing_removal  insert followed by another insert (ends there)
--   open             insert with nothing after it yet (ended_at null: "up to now")
--   orphan_removal   removal with no insert before it
create view public.nfc_intervals with (security_invoker = true) as
with ordered as (
  select e.owner_id, e.device_id, e.tag_id, e.event_type, e.occurred_at,
         lead(e.event_type) over w as next_type,
         lead(e.occurred_at) over w as next_at,
         lag(e.event_type) over w as prev_type
  from public.device_events e
  window w as (partition by e.owner_id, e.device_id, e.tag_id order by e.occurred_at, e.event_type)
)
select o.owner_id, o.device_id, o.tag_id, coalesce(t.label, o.tag_id) as label,
       o.started_at, o.ended_at, o.status
from (
  select owner_id, device_id, tag_id, occurred_at as started_at,
         case when next_type is not null then next_at end as ended_at,
         case next_type when 'tag_removed' then 'closed' when 'tag_insert' then 'missing_removal'
                        else 'open' end as status
  from ordered where event_type = 'tag_insert'
  union all
  select owner_id, device_id, tag_id, occurred_at, occurred_at, 'orphan_removal'
  from ordered where event_type = 'tag_removed' and prev_type is distinct from 'tag_insert'
) o
left join public.tags t on t.owner_id = o.owner_id and t.tag_id = o.tag_id;

-- Read-only: the default privileges of `public` would otherwise let callers write through
-- these (auto-updatable) views.
revoke all on public.device_status, public.nfc_intervals from anon, authenticated;
grant select on public.device_status, public.nfc_intervals to authenticated;
