-- Refused requests of NFC readers, kept so the reader's owner can see why it is refused:
-- someone debugging firmware that gets 401/403/422 otherwise sees nothing at all.
--
-- What is kept: when, the answer's status, why (a fixed word), a message written by the
-- server, and for an invalid payload the fields named (never the key, headers or any value
-- from the body). The sender is not authenticated as the owner (its key may be the problem),
-- so rows are written on the service path through one narrow function, never by a grant.
-- Anyone can name a registered device id, so storage is bounded per device: the newest 50,
-- none older than 7 days. A device id that is not registered stores nothing.

create table public.device_attempts (
  id bigint generated always as identity primary key,
  owner_id uuid not null references auth.users (id) on delete cascade,
  device_id text not null references public.devices (device_id) on delete cascade,
  attempted_at timestamptz not null default now(),
  status smallint not null check (status between 200 and 599),
  reason text not null
    check (reason in ('bad_key', 'revoked', 'device_id_mismatch', 'invalid_payload', 'too_many_items')),
  message text not null check (length(message) between 1 and 500),
  -- [{"index"?: n, "field": "...", "message": "..."}], a few at most: enough to name the fields.
  details jsonb not null default '[]'
    check (jsonb_typeof(details) = 'array' and jsonb_array_length(details) <= 10 and length(details::text) <= 5000),
  -- A batch: how many items it held and how many were refused (null for a single event).
  items integer check (items >= 0),
  refused integer check (refused >= 0 and refused <= items)
);
create index device_attempts_device_idx on public.device_attempts (device_id, id desc);
create index device_attempts_owner_idx on public.device_attempts (owner_id);
create index device_attempts_time_idx on public.device_attempts (attempted_at);

alter table public.device_attempts enable row level security;
alter table public.device_attempts force row level security;

-- As for the devices themselves (0003): their owner, and the admins of the owner's teams.
create policy "owners and their team admins read device attempts" on public.device_attempts
  for select to authenticated
  using (owner_id = (select auth.uid()) or owner_id in (select internal.managed_user_ids()));

-- Explicit privileges, whatever the schema's defaults are: read-only for people, nothing for
-- anon, and no direct writes for anyone (the function below is the only way in).
revoke all on public.device_attempts from anon, authenticated, service_role;
grant select on public.device_attempts to authenticated;

-- Record one refused request for `p_device_id`; false (nothing stored) when no such device is
-- registered. Keeps the newest 50 of the device and drops anything older than 7 days.
create function internal.record_device_attempt(
  p_device_id text,
  p_status integer,
  p_reason text,
  p_message text,
  p_details jsonb,
  p_items integer,
  p_refused integer
) returns boolean
language plpgsql security definer set search_path = ''
as $$
declare
  device_owner uuid;
begin
  -- One writer per device at a time, so a flood cannot overshoot the cap. NO KEY UPDATE does
  -- not wait for the readers' events (their foreign key takes KEY SHARE on the same row).
  select d.owner_id into device_owner from public.devices d where d.device_id = p_device_id for no key update;
  if device_owner is null then
    return false;
  end if;
  insert into public.device_attempts (owner_id, device_id, status, reason, message, details, items, refused)
  values (device_owner, p_device_id, p_status, p_reason, p_message, coalesce(p_details, '[]'), p_items, p_refused);
  delete from public.device_attempts a
  where a.device_id = p_device_id
    and a.id < (
      select min(newest.id) from (
        select k.id from public.device_attempts k where k.device_id = p_device_id order by k.id desc limit 50
      ) newest
    );
  delete from public.device_attempts a where a.attempted_at < now() - interval '7 days';
  return true;
end
$$;
revoke execute on function internal.record_device_attempt(text, integer, text, text, jsonb, integer, integer)
  from public;
grant execute on function internal.record_device_attempt(text, integer, text, text, jsonb, integer, integer)
  to service_role;
