"""The dashboard fixture of the UI tests, for the Timer page's tests."""

from tests.ui.conftest import dashboard  # noqa: F401 (a fixture, found by name)
