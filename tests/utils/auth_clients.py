"""The real `supabase` client, pointed at any of our servers, as the Streamlit app uses it."""

from __future__ import annotations

from supabase import ClientOptions, create_client
from supabase_auth import SyncGoTrueClient


def auth_client(api_url: str) -> SyncGoTrueClient:
    """A fresh client with no stored session and no background refresh timer."""
    options = ClientOptions(persist_session=False, auto_refresh_token=False)
    return create_client(api_url, "any-key", options=options).auth
