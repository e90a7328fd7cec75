"""Settings: every knob comes from the environment (see .env.example).

Local runs need no configuration at all: secrets that are missing in development are
generated once into `<DATA_DIR>/secrets.json` (mode 0600, outside git) and reused on every
restart, so sessions and device keys survive. In production a missing secret is a startup
error rather than a silently generated one.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import secrets
from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from timetracker.activitywatch.developer_tokens import parse_keys
from timetracker.auth.client_address import parse_trusted_proxies
from timetracker.emails import InvalidEmail, normalised_email
from timetracker.timer.machine import MAX_TARGET_MINUTES, MIN_TARGET_MINUTES

GENERATED_SECRETS = ("jwt_secret", "master_secret", "fernet_keys")
# This server's own /auth/v1 takes any key; the supabase client only needs one to be there.
MIN_SECRET_LENGTH = 32
MAX_INVITATION_TTL_HOURS = 24 * 90
LOCAL_ANON_KEY = "local-anon-key"  # this server's own /auth/v1 asks for no key
SECRET_KEY_PREFIX = "sb_secret_"  # noqa: S105 (a prefix, not a secret)


def _new_secret(name: str) -> str:
    if name == "fernet_keys":
        return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    return secrets.token_urlsafe(48)


def _load_or_create_local_secrets(data_dir: Path) -> dict[str, str]:
    """Read the generated secrets file, adding any secret it lacks. Processes that read their
    settings at the same moment on a first run must all end up with the same secrets: the file
    is only ever replaced whole, and a secret is added under an exclusive lock."""
    path = data_dir / "secrets.json"
    data_dir.mkdir(parents=True, exist_ok=True)
    stored = _stored_secrets(path)
    if all(stored.get(name) for name in GENERATED_SECRETS):
        return stored
    with open(data_dir / "secrets.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        stored = _stored_secrets(path)  # another process may have added them meanwhile
        missing = [name for name in GENERATED_SECRETS if not stored.get(name)]
        if missing:
            stored.update({name: _new_secret(name) for name in missing})
            _replace_privately(path, json.dumps(stored, indent=2))
    return stored


def _stored_secrets(path: Path) -> dict[str, str]:
    return json.loads(path.read_text()) if path.exists() else {}


def _replace_privately(path: Path, text: str) -> None:
    """`path` replaced by a file holding `text`, readable by this user only from the start:
    a reader sees the old file or the new one, never a part of it."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(partial, path)


def _check_fernet_keys(value: str) -> None:
    """Refuse a malformed FERNET_KEYS at start-up, not at the first OAuth callback."""
    for key in (part.strip() for part in value.split(",")):
        try:
            valid = len(base64.urlsafe_b64decode(key.encode())) == 32
        except (ValueError, TypeError):
            valid = False
        if not valid:
            raise ValueError("FERNET_KEYS must be comma-separated Fernet keys (32 url-safe base64 bytes each)")


def _check_supabase_key(value: str) -> None:
    """SUPABASE_ANON_KEY is what the dashboard's client sends to Supabase Auth: the project's
    publishable key (`sb_publishable_…`) or its legacy anon key (a JWT with role `anon`).
    Refused: nothing (the login would crash), and the keys that bypass RLS, which must not
    sit in a setting meant for a public key."""
    if not value or value == LOCAL_ANON_KEY:
        raise ValueError(
            "SUPABASE_ANON_KEY must be set with SUPABASE_URL: the project's publishable key (sb_publishable_...)"
            " or legacy anon key, from Project Settings > API Keys"
        )
    if value.startswith(SECRET_KEY_PREFIX) or _legacy_key_role(value) == "service_role":
        raise ValueError(
            "SUPABASE_ANON_KEY is a secret key (it bypasses Row Level Security); use the publishable key"
            " (sb_publishable_...) or the legacy anon key"
        )


def _legacy_key_role(value: str) -> str | None:
    """The `role` a legacy API key (a JWT) names, read without verifying it (it is only named here)."""
    parts = value.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, TypeError):
        return None
    return payload.get("role") if isinstance(payload, dict) else None


def _check_sender(value: str) -> None:
    """Refuse a missing or malformed SMTP_FROM at start-up, not at the first sign-up's mail."""
    if not value.strip():
        raise ValueError("SMTP_FROM must be set when SMTP_HOST is (the address mails come from)")
    try:
        normalised_email(parseaddr(value)[1])
    except InvalidEmail as exc:
        raise ValueError(f"SMTP_FROM is not an email address: {exc}") from exc


def _usable_cpus() -> int:
    """CPUs this process may run on (a container's cpuset, not the host's count); macOS has no
    affinity call, so there it is every CPU."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Settings(BaseSettings):
    # hide_input_in_errors: a refused setting must not print the environment (secrets) back.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", hide_input_in_errors=True
    )

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Path("data")
    log_level: str = "INFO"

    # Database. Empty DATABASE_URL means: run the embedded PostgreSQL under DATA_DIR.
    database_url: str = ""
    # The login the request pool uses. Empty: DATABASE_URL's login (embedded: `authenticator`).
    database_app_url: str = ""
    # Supabase's transaction pooler (port 6543) cannot keep prepared statements.
    database_prepare_statements: bool = True
    db_pool_min_size: int = 1
    db_pool_max_size: int = 10
    db_timeout_seconds: float = 5.0
    # The database `backup` reads. Empty: DATABASE_URL (or the running embedded one). pg_dump
    # needs a session: on Supabase the session pooler (port 5432) or the direct connection.
    backup_database_url: str = ""

    # Auth. Empty SUPABASE_URL means: this server's /auth/v1 is the auth server.
    supabase_url: str = ""
    # The project's publishable (or legacy anon) key. Empty with local auth: a placeholder.
    supabase_anon_key: SecretStr = SecretStr("")
    jwt_secret: SecretStr = SecretStr("")
    access_token_ttl_seconds: int = 3600
    refresh_token_reuse_seconds: int = 10
    # Failed logins are counted per (email, client address), so a stranger's guesses elsewhere
    # never lock a person out: after LOGIN_MAX_FAILURES, each further try waits
    # LOGIN_LOCKOUT_SECONDS, doubling per failure up to LOGIN_MAX_LOCKOUT_SECONDS.
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_seconds: int = Field(default=300, ge=1)
    login_max_lockout_seconds: int = Field(default=3600, ge=1)
    # The same backoff per client address across all emails (one address spraying guesses).
    login_max_failures_per_address: int = Field(default=20, ge=1)
    # Sign-ups (each costs a bcrypt hash) per client address and window; loopback is not limited.
    signup_max_per_ip: int = Field(default=30, ge=1)
    signup_window_seconds: int = Field(default=3600, ge=1)
    # How long an invitation link works (once). Bounded like internal.invite_to_team's check.
    invitation_ttl_hours: int = Field(default=168, ge=1, le=MAX_INVITATION_TTL_HOURS)
    # How long the link in a sign-up's confirmation mail works (once).
    email_confirmation_ttl_hours: int = Field(default=24, ge=1, le=24 * 30)

    # Outgoing mail. With SMTP_HOST set, local auth confirms sign-ups by mail (until then an
    # account cannot log in) and invitations are mailed with their link. Empty: no mail at all;
    # local auth confirms addresses at once, which proves nothing, so invitations need their link.
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    # The sender, an address or "Name <address>".
    smtp_from: str = ""
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    # Creating API tokens, device keys, WakaTime keys and team memberships (and changing the
    # password) needs a login at most this old: a stolen access token cannot make itself permanent.
    sensitive_action_max_session_age_minutes: int = Field(default=60, ge=1)
    # Addresses or networks (comma-separated) of the reverse proxies whose X-Forwarded-For is
    # believed. Empty: none, not even loopback; the header is ignored.
    trusted_proxies: str = ""

    # Server secrets, generated on first run into DATA_DIR/secrets.json unless set: MASTER_SECRET
    # keys the HMACs (OAuth state, throttle keys, the dashboard's channel to /auth/v1), FERNET_KEYS
    # encrypt what is kept at rest (WakaTime tokens, the dashboard's kept logins).
    master_secret: SecretStr = SecretStr("")
    fernet_keys: SecretStr = SecretStr("")

    # HTTP
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    # uvicorn worker processes for the API. 0: one per CPU this process may run on.
    api_workers: int = Field(default=0, ge=0, le=64)
    # Request handlers one worker runs at once (threads; no more than DB_POOL_MAX_SIZE). A few
    # keep its core busy while others wait on the database; more only take turns on one
    # interpreter, and throughput falls as concurrency rises (bench/ingest_bench.py). Also the
    # single reader events a worker sends at once from its event loop (`LoopDatabase`).
    api_threads: int = Field(default=3, ge=1, le=64)
    # Bearer token Prometheus sends to GET /metrics. Empty: /metrics answers 404.
    metrics_token: SecretStr = SecretStr("")
    ui_host: str = "127.0.0.1"
    ui_port: int = Field(default=8501, ge=1, le=65535)
    # What devices and scripts are told to call; behind a proxy set it to the public origin.
    public_api_url: str = ""
    # Room for a full batch (500 events of ~1 KiB); the single-event endpoints need far less.
    max_body_bytes: int = 1024 * 1024
    max_batch_items: int = 500
    # The dashboard's public origin (OAuth callbacks return there). Empty: http://localhost:$UI_PORT.
    public_dashboard_url: str = ""

    # WakaTime OAuth import. URLs are settings so a WakaTime-compatible server (or a test fake) works.
    wakatime_client_id: str = ""
    wakatime_client_secret: SecretStr = SecretStr("")
    wakatime_scope: str = "email,read_summaries,read_heartbeats"
    wakatime_authorize_url: str = "https://wakatime.com/oauth/authorize"
    wakatime_token_url: str = "https://wakatime.com/oauth/token"  # noqa: S105 (a URL)
    wakatime_revoke_url: str = "https://wakatime.com/oauth/revoke"
    wakatime_api_url: str = "https://wakatime.com/api/v1"
    wakatime_state_ttl_seconds: int = 600
    # How often the server looks for connections not imported for a day; 0 turns the schedule off.
    wakatime_import_check_seconds: int = 3600
    wakatime_max_retry_wait_seconds: float = 60.0
    # Imports from other trackers (Toggl Track, Clockify). A file is read whole, so its size is
    # bounded (and MAX_BODY_BYTES bounds every request, the upload included); so are the
    # entries one import may hold, whether from a file or from Toggl's API.
    import_max_bytes: int = Field(default=1_000_000, ge=1)
    import_max_entries: int = Field(default=20_000, ge=1)
    # Toggl Track's API: a setting so tests (or a proxy) can stand in for it.
    toggl_api_url: str = "https://api.track.toggl.com"
    toggl_timeout_seconds: float = Field(default=30.0, gt=0)
    # WakaTime-compatible heartbeat API (editor plugins).
    heartbeat_max_batch_items: int = 1000
    heartbeat_max_age_days: int = 30

    # ActivityWatch. Developer tokens are HMACs under versioned keys: "2:<secret>,1:<old secret>".
    # The highest version signs new tokens; every listed version verifies until it is removed
    # (retired). Empty: version 1 under MASTER_SECRET.
    activitywatch_token_keys: SecretStr = SecretStr("")
    activitywatch_max_batch_items: int = 1000
    # OAuth for the sync client (authorization code + PKCE, loopback redirects only).
    oauth_code_ttl_seconds: int = 120

    # Timer widget. Events are limited per bearer token: at most N in any window of W seconds.
    # Refused at start-up when out of range, not with a 500 on every event (the session's
    # check constraint; an empty window in the limiter).
    timer_target_pace_minutes: float = Field(default=5.5, ge=MIN_TARGET_MINUTES, le=MAX_TARGET_MINUTES)
    timer_events_per_window: int = Field(default=120, ge=1)
    timer_rate_window_seconds: int = Field(default=60, ge=1)
    # Origins (scheme://host[:port], comma-separated) of the pages the widget runs on; the
    # API answers CORS for these alone. Empty: no cross-origin access at all.
    cors_origins: str = ""

    @model_validator(mode="after")
    def _fill_or_require_secrets(self) -> Settings:
        empty = [name for name in GENERATED_SECRETS if not getattr(self, name).get_secret_value()]
        if self.supabase_url and self.environment == "production" and "jwt_secret" in empty:
            # A project that signs only with asymmetric keys has no secret to give: its tokens
            # are verified through its JWKS, and HS256 tokens are refused.
            empty.remove("jwt_secret")
        if empty and self.environment == "production":
            names = ", ".join(name.upper() for name in empty)
            raise ValueError(f"{names} must be set in production (see .env.example)")
        if empty:
            generated = _load_or_create_local_secrets(self.data_dir)
            for name in empty:
                setattr(self, name, SecretStr(generated[name]))
        for name in ("jwt_secret", "master_secret"):
            value = getattr(self, name).get_secret_value()
            if (value or name == "master_secret") and len(value) < MIN_SECRET_LENGTH:
                raise ValueError(f"{name.upper()} must be at least {MIN_SECRET_LENGTH} characters")
        _check_fernet_keys(self.fernet_keys.get_secret_value())
        if self.supabase_url:
            _check_supabase_key(self.supabase_anon_key.get_secret_value())
        elif not self.supabase_anon_key.get_secret_value():
            # Empty, as .env.example has it, with this server's own auth: the placeholder.
            self.supabase_anon_key = SecretStr(LOCAL_ANON_KEY)
        metrics_token = self.metrics_token.get_secret_value()
        if metrics_token and len(metrics_token) < MIN_SECRET_LENGTH:
            raise ValueError(f"METRICS_TOKEN must be at least {MIN_SECRET_LENGTH} characters (or empty: no /metrics)")
        if self.smtp_host:
            _check_sender(self.smtp_from)
        if self.login_max_lockout_seconds < self.login_lockout_seconds:
            raise ValueError("LOGIN_MAX_LOCKOUT_SECONDS must be at least LOGIN_LOCKOUT_SECONDS")
        # Here, not at the first forwarded request: a typo must not silently trust nobody (or everybody).
        parse_trusted_proxies(self.trusted_proxies)
        if token_keys := self.activitywatch_token_keys.get_secret_value().strip():
            # Here, not at the first webhook (a 500 on every one).
            parse_keys(token_keys)
        return self

    @property
    def api_worker_count(self) -> int:
        return self.api_workers or _usable_cpus()

    @property
    def sends_mail(self) -> bool:
        return bool(self.smtp_host)

    @property
    def uses_local_auth(self) -> bool:
        return not self.supabase_url

    @property
    def auth_url(self) -> str:
        """Base URL the supabase client talks to (without /auth/v1)."""
        return self.supabase_url.rstrip("/") or f"http://127.0.0.1:{self.api_port}"

    @property
    def api_base_url(self) -> str:
        return (self.public_api_url or f"http://localhost:{self.api_port}").rstrip("/")

    @property
    def dashboard_base_url(self) -> str:
        return (self.public_dashboard_url or f"http://localhost:{self.ui_port}").rstrip("/")

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip().rstrip("/") for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def jwt_issuer(self) -> str:
        return f"{self.auth_url}/auth/v1"


@lru_cache
def get_settings() -> Settings:
    return Settings()


def clear_settings_cache() -> None:
    get_settings.cache_clear()
