"""FastAPI front door (port 8000): `uvicorn webhook_server:app`.

Only wiring: settings and logging in, the app out. Routes live in `api/routes/`,
everything they do in the `timetracker` core.
"""

from api.main import create_app
from timetracker.config import get_settings
from timetracker.logging_setup import configure_logging

settings = get_settings()
configure_logging(settings.log_level, json_logs=settings.environment == "production")
app = create_app(settings)
