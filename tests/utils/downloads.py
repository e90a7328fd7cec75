"""What a Streamlit page offers for download, as AppTest cannot click a download button through to its file."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage


def record_downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, bytes]]:
    """From now on, every (file name, bytes) a page hands to Streamlit's media store, e.g. behind a download button."""
    given: list[tuple[str | None, bytes]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self: MemoryMediaFileStorage, path_or_data: str | bytes, *args: Any, **kwargs: Any) -> str:
        filename = kwargs.get("filename", args[2] if len(args) > 2 else None)
        if isinstance(path_or_data, bytes):
            given.append((filename, path_or_data))
        return original(self, path_or_data, *args, **kwargs)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    return given
