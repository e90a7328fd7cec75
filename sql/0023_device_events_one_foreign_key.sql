-- A reader event belongs to a reader of its owner: one foreign key, on (owner, device), says
-- both halves, where two said one each (the owner is a user, the device is a device). Every
-- inserted row ran both checks, each a locking lookup: a third of the database's time on a
-- batch of reader events. It also says what only the insert policy said: an event's owner is
-- its reader's owner. Deleting a person still deletes their events, now through their
-- readers (deleted with them); no path deletes a reader otherwise (a reader is revoked).

alter table public.devices add constraint devices_owner_device_key unique (owner_id, device_id);
-- The new key's index starts with the owner, so it serves what this one did.
drop index public.devices_owner_id_idx;

alter table public.device_events
  add constraint device_events_device_fkey foreign key (owner_id, device_id)
    references public.devices (owner_id, device_id) on delete cascade,
  drop constraint device_events_owner_id_fkey,
  drop constraint device_events_device_id_fkey;
