-- One reader event in one round trip: the switch to its owner, this call and the commit go as
-- one simple query. PL/pgSQL so that the insert's plan is kept per connection (a statement
-- bound on the client is planned afresh on every call, which cost more than the round trips
-- it saved), and SECURITY INVOKER: it runs as the owner, so the table's WITH CHECK (the
-- owner's own device, not revoked) still decides. Answers whether the event is new: a retry
-- of one already stored changes nothing.
create function internal.store_device_event(
  p_device_id text, p_event_type text, p_tag_id text, p_tag_present boolean, p_occurred_at timestamptz,
  p_payload jsonb
) returns boolean
language plpgsql volatile security invoker set search_path = ''
as $$
begin
  insert into public.device_events (owner_id, device_id, event_type, tag_id, tag_present, occurred_at, payload)
  values (auth.uid(), p_device_id, p_event_type, p_tag_id, p_tag_present, p_occurred_at, p_payload)
  on conflict on constraint device_events_natural_key do nothing;
  return found;
end
$$;

revoke execute on function internal.store_device_event(text, text, text, boolean, timestamptz, jsonb) from public, anon;
grant execute on function internal.store_device_event(text, text, text, boolean, timestamptz, jsonb) to authenticated;
