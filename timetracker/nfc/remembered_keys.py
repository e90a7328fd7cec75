"""Readers whose key this process has checked against the database, so that a reader's next
event needs no credential lookup of its own: one round trip per event instead of two
(`timetracker.nfc.ingest.store_recalled`).

Memory is only ever a shortcut. A key is recalled only when the one presented matches it (a
constant-time comparison of digests); a wrong key, or a reader not remembered, is checked
against the database as always. The event's write then gets the database's word in the same
statement: `internal.store_device_event` refuses a key that is no longer the device's (rotated,
or the device deleted), and the table's WITH CHECK a device revoked or not the owner's. So a
change made by any process takes effect on the reader's next request, with nothing to
invalidate here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from timetracker import credentials
from timetracker.nfc.identity import DeviceIdentity

# Readers kept per process, least recently used dropped first: far more than a self-hosted
# team has, at about 200 bytes each.
CAPACITY = 10_000


class RememberedKeys:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._readers: OrderedDict[str, DeviceIdentity] = OrderedDict()
        # Handlers run in the thread pool; the order kept for eviction is shared state.
        self._lock = threading.Lock()

    def recall(self, device_id: str, key: str) -> DeviceIdentity | None:
        """The reader as checked before, if `key` is the key it was checked with; else None."""
        with self._lock:
            known = self._readers.get(device_id)
            if known is not None:
                self._readers.move_to_end(device_id)
        if known is None or known.key_digest is None:
            return None
        return known if credentials.same_digest(credentials.digest(key), known.key_digest) else None

    def remember(self, device: DeviceIdentity) -> None:
        """Keep a reader the database has just vouched for."""
        with self._lock:
            self._readers[device.device_id] = device
            self._readers.move_to_end(device.device_id)
            while len(self._readers) > self.capacity:
                self._readers.popitem(last=False)

    def forget(self, device_id: str) -> None:
        """Drop a reader the database has refused since it was remembered."""
        with self._lock:
            self._readers.pop(device_id, None)

    def __contains__(self, device_id: object) -> bool:
        return device_id in self._readers

    def __len__(self) -> int:
        return len(self._readers)
