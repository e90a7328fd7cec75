"""History from other trackers: a Toggl Track or Clockify CSV export, or Toggl's API."""

from dataclasses import asdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse

from api.deps import CurrentUser, DbDep, SettingsDep
from api.schemas import ImportOutcome, ImportPreview
from timetracker import paths
from timetracker.errors import InvalidInput
from timetracker.imports import importing, toggl_api

router = APIRouter(tags=["imports"])

WHAT_IS_ANSWERED = {
    201: {"model": ImportOutcome, "description": "Imported"},
    200: {"model": ImportPreview, "description": "dry_run: what the import would do; nothing was written"},
    413: {"description": "Too large"},
}


@router.post(
    paths.IMPORTS,
    status_code=201,
    response_model=None,
    responses=WHAT_IS_ANSWERED,
    summary="Import history from Toggl Track or Clockify (a CSV export, or Toggl's API)",
    description="Each entry is stored once: importing the same export again adds nothing. A file with a line"
    " that cannot be read is refused whole (422, naming the lines). With `dry_run=true` the answer is a preview"
    " and nothing is written. For `toggl_api` no file is sent: the Toggl API token (used for this request only,"
    " never stored) and the days, read from the token's default workspace unless one is named.",
)
def import_history(
    user: CurrentUser,
    db: DbDep,
    settings: SettingsDep,
    format: Annotated[importing.Format, Form(description="What is imported")],
    file: Annotated[UploadFile | None, File(description="The CSV export (toggl_csv, clockify_csv)")] = None,
    timezone: Annotated[
        str | None, Form(max_length=64, description="The zone of the file's times; default: your profile's")
    ] = None,
    dry_run: Annotated[bool, Form(description="Preview only: nothing is written")] = False,
    api_token: Annotated[str | None, Form(max_length=200, description="Your Toggl API token (toggl_api)")] = None,
    workspace_id: Annotated[int | None, Form(ge=1, description="A Toggl workspace; default: the token's")] = None,
    start: Annotated[date | None, Form(description="First day (toggl_api)")] = None,
    end: Annotated[date | None, Form(description="Last day (toggl_api)")] = None,
) -> JSONResponse:
    if format == "toggl_api":
        if not api_token or start is None or end is None:
            raise InvalidInput("toggl_api needs api_token, start and end")
        parsed = toggl_api.entries(settings, toggl_api.TogglRequest(api_token, start, end, workspace_id))
    else:
        if file is None:
            raise InvalidInput(f"{format} needs the exported file in the field `file`")
        # One byte over the limit is enough to refuse it: a larger file is never read whole.
        data = file.file.read(settings.import_max_bytes + 1)
        parsed = importing.read_file(settings, format, data, importing.zone(db, user, timezone))
    if dry_run:
        seen = importing.preview(db, user, parsed)
        return JSONResponse(ImportPreview(**asdict(seen), new=seen.new).model_dump(mode="json"), status_code=200)
    outcome = importing.store(db, user, parsed)
    return JSONResponse(ImportOutcome(**asdict(outcome)).model_dump(mode="json"), status_code=201)
