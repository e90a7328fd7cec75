"""Placeholder until the page lands."""

import streamlit as st

from components.auth_state import current_principal

current_principal()
st.title("webhook_test")
st.info("Coming soon.")
