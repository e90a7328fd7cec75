"""Where the API's doors for devices, plugins, browsers and clients are, written once.

The API's routers mount these, and the dashboard, the generated configs and the sync client
build their URLs from them, so a path cannot change in one place and not the other. Only the
standard library here: the sync client, installed on its own, imports it too.
"""

from __future__ import annotations

# NFC readers: one event, or a batch replayed after being offline.
DEVICE_EVENT = "/api/webhook/device-event"
DEVICE_EVENTS = "/api/webhook/device-events"
# The ActivityWatch sync client's webhook.
ACTIVITYWATCH = "/api/v1/activitywatch"
ACTIVITYWATCH_WEBHOOK = f"{ACTIVITYWATCH}/webhook"
# Editor plugins set `api_url` to this (WakaTime's own API, under our prefix).
WAKATIME_COMPAT = "/api/compat/wakatime/v1"
# The Integrations page sends the browser here to start connecting WakaTime...
WAKATIME_AUTHORIZE = "/integrations/wakatime/authorize"
# ...and WakaTime sends it back here after its consent page.
WAKATIME_CALLBACK = "/integrations/wakatime/callback"
# The timer widget, as a userscript a browser extension installs and updates from.
WIDGET = "/widget/timer.user.js"
# History from other trackers (Toggl Track, Clockify): a file, or Toggl's API.
IMPORTS = "/api/v1/imports"
# The dashboard page trades its handoff code here for the login cookie, and clears it.
BROWSER_SESSIONS = "/api/v1/browser-sessions"
BROWSER_SESSIONS_END = "/api/v1/browser-sessions/end"
