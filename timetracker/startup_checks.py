"""Configurations that cannot work are refused at start-up, with what to set instead."""

from __future__ import annotations

from timetracker.config import Settings
from timetracker.db import migrate

LOCAL_AUTH_ON_SUPABASE = (
    "DATABASE_URL is a Supabase project's database (its auth schema belongs to Supabase Auth), but"
    " SUPABASE_URL is empty, so this server would run its own sign-up and login on tables that are not"
    " its own. Set SUPABASE_URL and SUPABASE_ANON_KEY to the project's URL and publishable key"
    " (Project Settings > API Keys)."
)


class StartupRefused(RuntimeError):
    """A setting that cannot work; the message says what to set."""


def refuse_local_auth_on_supabase(settings: Settings, admin_url: str) -> None:
    if settings.uses_local_auth and migrate.auth_schema_is_supabases(admin_url):
        raise StartupRefused(LOCAL_AUTH_ON_SUPABASE)
