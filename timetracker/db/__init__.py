"""One way into the database: `Database.as_user(claims)` and `Database.as_service()`."""

from timetracker.db.pool import Database, DatabaseUnavailable, open_database

__all__ = ["Database", "DatabaseUnavailable", "open_database"]
