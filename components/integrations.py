"""Integrations: connect a WakaTime account (OAuth import), set up editor plugins to send
heartbeats here (the WakaTime-compatible API), and import history from Toggl Track or Clockify."""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

from components.auth_state import current_principal, runtime
from components.imports_panel import imports_panel
from components.page_parts import done, hold_secret, reported_errors, show_secrets_once, when
from timetracker import paths, profiles
from timetracker.wakatime import connect, connections, importer, keys, oauth_state
from timetracker.wakatime.client import WakaTimeClient

CONNECT_LINK_KEY = "wakatime_connect_link"

principal = current_principal()
rt = runtime()
db, settings = rt.db, rt.settings
tz = profiles.timezone_of(db, principal)
client = WakaTimeClient(settings)


def finish_wakatime_trip() -> None:
    """The OAuth callback sends the browser here with ?wakatime=complete&code=…&state=… (finished
    now, as the logged-in person, who must be the one who started it) or ?wakatime=error&reason=…
    Only fixed texts are shown: nothing a link carries is put on the page."""
    query = st.query_params.to_dict()
    if "wakatime" not in query:
        return
    # Once read, the code leaves the address bar: a reload must not try it again.
    st.query_params.clear()
    if query["wakatime"] != "complete":
        st.error(connect.message_for(query.get("reason", "")))
        return
    cipher = rt.cipher
    try:
        connect.complete(db, principal, query.get("state", ""), query.get("code", ""), client, cipher, settings)
    except connect.ConnectFailed as exc:
        st.error(exc.message)
    else:
        st.success(connect.message_for("connected"))


st.title("Integrations")
finish_wakatime_trip()


def connect_button(label: str) -> None:
    """Two steps, so a state (single-use, short-lived) is made only when the person asks for one."""
    if st.button(label, type="primary", key="wakatime_connect"):
        with reported_errors():
            st.session_state[CONNECT_LINK_KEY] = oauth_state.authorize_link(db, principal, settings)
    link = st.session_state.get(CONNECT_LINK_KEY)
    if link:
        st.link_button("Continue to WakaTime →", link)
        # The trip ends on the dashboard in a new tab (a new Streamlit session, so logged out):
        # this tab keeps the login, and any rerun here shows the new connection.
        st.caption(
            f"WakaTime opens in a new tab; the link works once, for {settings.wakatime_state_ttl_seconds // 60}"
            " minutes. After approving there, come back to this tab and check the connection."
        )
        st.button("Check connection", key="wakatime_check")


st.header("WakaTime account")
if not client.configured:
    st.info(
        "Importing from wakatime.com is not set up on this server (WAKATIME_CLIENT_ID and"
        " WAKATIME_CLIENT_SECRET, see .env.example). Editor plugins can still send time here: see below."
    )
else:
    connection = connections.status(db, principal)
    if connection is None:
        st.info("Not connected. Connect to import your WakaTime coding time, day by day.")
        connect_button("Connect WakaTime")
    else:
        if connection["status"] == "reconnect_needed":
            st.warning("WakaTime no longer accepts our access (revoked or expired). Connect again to keep importing.")
            connect_button("Reconnect WakaTime")
        else:
            st.success(f"Connected as WakaTime user {connection['wakatime_uid'] or '(unknown)'}.")
        st.caption(f"Scope: {connection['scope'] or '—'} · connected {when(connection['connected_at'], tz)}")
        result = connection["last_import_result"] or {}
        st.markdown(f"**Last import:** {when(connection['last_import_at'], tz)}")
        if result:
            problem = f" — {result['error']}" if result.get("error") else ""
            st.caption(
                f"{len(result.get('imported_days', []))} days imported,"
                f" {len(result.get('skipped_days', []))} skipped{problem}"
            )

        today = datetime.now(tz).date()
        chosen = st.date_input(
            "Days to import", value=(today - timedelta(days=6), today), max_value=today, key="wakatime_import_days"
        )
        first_day, last_day = (chosen[0], chosen[-1]) if isinstance(chosen, tuple | list) and chosen else (today, today)
        if st.button("Import now", key="wakatime_import", disabled=connection["status"] != "connected"):
            bar = st.progress(0.0, text="Asking WakaTime…")
            with reported_errors():
                outcome_of_import = importer.import_range(
                    db,
                    principal,
                    first_day,
                    last_day,
                    client,
                    rt.cipher,
                    progress=lambda done_days, total, day: bar.progress(done_days / total, text=f"Imported {day}"),
                )
                for skipped in outcome_of_import.skipped_days:
                    st.warning(f"{skipped['day']} skipped: {skipped['reason']}")
                if outcome_of_import.error:
                    st.error(outcome_of_import.error)
                else:
                    st.success(f"Imported {len(outcome_of_import.imported_days)} days from WakaTime.")
        st.caption("A daily import also runs on the server while you are connected.")

        if st.button("Disconnect WakaTime", key="wakatime_disconnect", help="Revokes our access at WakaTime."):
            with reported_errors():
                answer = connections.disconnect(db, principal, client, rt.cipher)
                note = "" if answer["revoked_at_wakatime"] else " (WakaTime could not be told; revoke it there too)"
                done(f"WakaTime disconnected{note}")

st.header("ActivityWatch")
st.caption(
    "The sync client sends what ActivityWatch records on your computer to this server, as you:"
    f" `python -m timetracker.sync login --server {settings.api_base_url}` (you log in in the browser),"
    " then `python -m timetracker.sync run`. Team admins can instead generate a config for each developer"
    " on the ActivityWatch page."
)
st.page_link("components/activitywatch_team.py", label="ActivityWatch page", icon=":material/monitoring:")

st.header("Editor plugins")
st.caption(
    "Any WakaTime plugin (VS Code, JetBrains, Vim, …) can send its heartbeats to this server instead of"
    " wakatime.com. Durations join heartbeats less than your timeout apart."
)
api_url = settings.api_base_url + paths.WAKATIME_COMPAT
show_secrets_once("wakatime_key:")
plugin_settings = keys.settings_of(db, principal)
if plugin_settings["key_hint"]:
    made = when(plugin_settings["key_created_at"], tz)
    st.markdown(f"Your WakaTime key ends in `{plugin_settings['key_hint']}` (made {made}).")
else:
    st.info("No WakaTime key yet. Create one, then put it in ~/.wakatime.cfg as shown.")
label = "Replace key" if plugin_settings["key_hint"] else "Create WakaTime key"
if st.button(label, key="wakatime_new_key", help="A new key stops the old one at once."):
    with reported_errors():
        key, _ = keys.issue_key(db, principal)
        config = f"[settings]\napi_url = {api_url}\napi_key = {key}"
        hold_secret("wakatime_key:cfg", "Put this in ~/.wakatime.cfg (your key is in it)", config)
        done("Created a WakaTime key")
st.markdown("Set-up: edit `~/.wakatime.cfg` (or `%USERPROFILE%\\.wakatime.cfg` on Windows) to read:")
st.code(f"[settings]\napi_url = {api_url}\napi_key = <your WakaTime key>", language="ini")
st.caption("Restart the editor; today's total appears in its status bar once heartbeats arrive.")

with st.form("heartbeat_timeout"):
    minutes = st.number_input(
        "Timeout (minutes)",
        min_value=1,
        max_value=240,
        value=int(plugin_settings["timeout_minutes"]),
        help="Gaps between heartbeats shorter than this count as coding time (WakaTime's default is 15).",
        key="heartbeat_timeout_minutes",
    )
    if st.form_submit_button("Save timeout"):
        with reported_errors():
            keys.set_timeout(db, principal, int(minutes))
            done(f"Timeout set to {int(minutes)} minutes")

imports_panel(db, settings, principal, tz)
