"""OAuth 2.0 for our own public client (the sync client): authorization code + PKCE (S256)
+ state, loopback redirects only (RFC 8252). The token it issues is a personal API token.
"""

CLIENT_ID = "tracker-sync"
