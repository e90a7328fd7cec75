-- A reader's key, once looked up, is remembered by the API process that checked it, so the
-- reader's next event needs no lookup of its own. Its write confirms the remembered key in the
-- same statement instead: a rotated key (or a deleted device) is refused on the next request,
-- whichever process remembers it. A revoked device stays the table's WITH CHECK's to refuse.

-- Whether a key digest is the current key of one of the caller's own devices. Only the service
-- path may read key digests; this answers yes or no, and only about the caller's devices.
create function internal.is_current_device_key(p_device_id text, p_key_hash text) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.devices d
    where d.device_id = p_device_id and d.owner_id = (select auth.uid())
      and internal.same_digest(d.key_hash, p_key_hash)
  )
$$;

revoke execute on function internal.is_current_device_key(text, text) from public, anon;
grant execute on function internal.is_current_device_key(text, text) to authenticated;

drop function internal.store_device_event(text, text, text, boolean, timestamptz, jsonb);

-- One reader event in one round trip: the switch to its owner, this call and the commit go as
-- one simple query. PL/pgSQL so that its statements' plans are kept per connection, and
-- SECURITY INVOKER: it runs as the owner, so the table's WITH CHECK (the owner's own device,
-- not revoked) still decides. Refused like that check (insufficient_privilege) when the key is
-- no longer the device's. Answers whether the event is new: a retry of one already stored
-- changes nothing.
create function internal.store_device_event(
  p_device_id text, p_key_hash text, p_event_type text, p_tag_id text, p_tag_present boolean,
  p_occurred_at timestamptz, p_payload jsonb
) returns boolean
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  if not internal.is_current_device_key(p_device_id, p_key_hash) then
    raise insufficient_privilege using message = 'this key is not the device''s current key';
  end if;
  insert into public.device_events (owner_id, device_id, event_type, tag_id, tag_present, occurred_at, payload)
  values (auth.uid(), p_device_id, p_event_type, p_tag_id, p_tag_present, p_occurred_at, p_payload)
  on conflict on constraint device_events_natural_key do nothing;
  return found;
end
$$;

revoke execute on function internal.store_device_event(text, text, text, text, boolean, timestamptz, jsonb)
  from public, anon;
grant execute on function internal.store_device_event(text, text, text, text, boolean, timestamptz, jsonb)
  to authenticated;
