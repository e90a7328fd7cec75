"""WakaTime: coding time from wakatime.com (OAuth import) and from editor plugins (heartbeats).

`wire` is the plugins' protocol (WakaTime API v1 as clients speak it); everything else is the
domain: heartbeats, keys, durations, the OAuth connection and the import.
"""
