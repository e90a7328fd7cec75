"""Log out: end the session on the auth server and forget everything this browser held."""

from __future__ import annotations

import streamlit as st

from components.auth_state import log_out

log_out()
st.rerun()
