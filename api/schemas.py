"""Request and response bodies of the JSON API (wire formats, kept apart from the core)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints, WithJsonSchema

from timetracker.nfc import attempts
from timetracker.nfc.payload import DEVICE_ID_PATTERN
from timetracker.storable import NoNul, StorableDatetime
from timetracker.timer.machine import EventType

# Stripped before the length check, so a blank name is a 422 here rather than a CHECK
# violation (a 500) in the database.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), NoNul]
# A time as Python's isoformat writes it ("+00:00", where pydantic writes "Z"): the answers
# that were plain dicts before they had a model wrote it so, and their readers keep getting that.
IsoDatetime = Annotated[
    datetime,
    PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]


class DeviceCreate(BaseModel):
    device_id: str = Field(pattern=DEVICE_ID_PATTERN, examples=["NFC_ABC123"])
    name: Name


class Device(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: UUID
    device_id: str
    name: str
    key_hint: str
    created_at: datetime
    rotated_at: datetime | None = None
    revoked_at: datetime | None = None
    last_seen_at: datetime | None = None


class DeviceWithKey(Device):
    device_key: str = Field(description="Shown once. Store it in the reader's firmware; only a digest is kept.")


class DeviceAttempt(BaseModel):
    device_id: str
    attempted_at: datetime
    status: int = Field(description="The HTTP status the reader got (200 for a batch with some items refused)")
    reason: attempts.Reason
    message: str
    details: list[dict[str, Any]] = Field(
        description="For an invalid payload: the fields named, [{index?, field, message}] (never a value sent)"
    )
    items: int | None = Field(None, description="A batch: how many items it held")
    refused: int | None = Field(None, description="A batch: how many items were refused")


class TagsPut(BaseModel):
    labels: dict[str, Name] = Field(
        description="tag id -> label", examples=[{"dd 54 2a 83": "Project Apollo", "04 a2 19 7f": "Office"}]
    )


class Tag(BaseModel):
    tag_id: str
    label: str
    updated_at: datetime


class TokenCreate(BaseModel):
    name: Name


class ApiToken(BaseModel):
    id: UUID
    name: str
    token_hint: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class ApiTokenWithSecret(ApiToken):
    token: str = Field(description="Shown once. Send as Authorization: Bearer <token>.")


class Profile(BaseModel):
    id: UUID
    email: str | None = Field(description="None for an account without one (a phone sign-up on Supabase Auth)")
    display_name: str
    timezone: str
    source_precedence: list[str] = Field(
        description="Which source a second several sources cover is attributed to, first wins"
    )
    open_interval_cap_hours: int = Field(description="A tag left in a reader stops counting after this long")
    share_notes: bool = Field(description="Whether your team admins may read your notes and reasons")


class ProfileUpdate(BaseModel):
    display_name: Annotated[str, Field(max_length=100), NoNul] | None = None
    timezone: str | None = Field(default=None, examples=["Europe/Berlin"])
    source_precedence: list[Annotated[str, Field(max_length=32)]] | None = Field(
        default=None,
        max_length=16,
        examples=[["manual", "timer", "wakatime", "activitywatch", "nfc"]],
        description="Sources, each at most once, most specific first (one left out keeps its default place)",
    )
    open_interval_cap_hours: int | None = Field(default=None, ge=1, le=24)
    share_notes: bool | None = None


class TeamCreate(BaseModel):
    name: Name


class Team(BaseModel):
    id: UUID
    name: str
    created_at: datetime
    role: Literal["owner", "admin", "member"] | None = None
    member_count: int | None = None


class TeamMember(BaseModel):
    user_id: UUID
    role: Literal["owner", "admin", "member"]
    email: str | None
    display_name: str | None
    added_at: datetime


class Invite(BaseModel):
    email: Annotated[str, Field(min_length=3, max_length=254, examples=["ana@example.com"]), NoNul]
    role: Literal["admin", "member"] = "member"


class InviteOutcome(BaseModel):
    outcome: Literal["invited", "already_member"] = Field(
        description="invited: pending until the person with that email accepts it (also if they have no account yet)"
    )
    invite_url: str | None = Field(
        default=None,
        description="The invitation link to hand over (shown once): it opens the dashboard's Teams page, where the"
        " invitee, logged in with the invited address, accepts with one click. Works once, until expires_at;"
        " a newer invitation to the same address replaces it.",
    )
    token: str | None = Field(
        default=None,
        description="The link's secret, for POST /api/v1/invitations/{team_id}/accept. Stored only as a digest.",
    )
    expires_at: datetime | None = None
    mailed: bool = Field(default=False, description="Whether the link was also mailed to the address (SMTP set up)")


class RoleChange(BaseModel):
    role: Literal["admin", "member"]


class Invitation(BaseModel):
    email: str
    role: str
    created_at: datetime
    link_expires_at: datetime | None = Field(default=None, description="When its link stops working (None: no link)")


class PendingInvitation(BaseModel):
    """An invitation to the caller, shown with who sent it so they can judge it."""

    team_id: UUID = Field(description="Also the invitation's id in /api/v1/invitations/{team_id}")
    team_name: str
    role: Literal["admin", "member"]
    created_at: datetime
    invited_by_email: str | None = None
    invited_by_name: str | None = None
    needs_link: bool = Field(
        default=True,
        description="Whether accepting takes the invitation link's token: yes unless the auth server confirmed your"
        " address by mail",
    )


class AcceptInvitation(BaseModel):
    token: Annotated[str, Field(min_length=1, max_length=200), NoNul] | None = Field(
        default=None,
        description="The invitation link's secret (`token` in the link). Without it, only an address the auth server"
        " confirmed by mail may accept.",
    )


class Accepted(BaseModel):
    team_id: UUID
    role: Literal["admin", "member"]


class TimePiece(BaseModel):
    day: date = Field(description="Local day in the viewer's timezone")
    source: str = Field(description="nfc, timer, activitywatch, wakatime, ...")
    label: str
    detail: str | None = None
    start: datetime
    end: datetime
    seconds: float
    status: str = Field(description="The source's own state, e.g. closed, open, orphan_removal")


class LabelTotal(BaseModel):
    source: str
    label: str
    seconds: float


class DayTime(BaseModel):
    day: date = Field(description="Local day in the viewer's timezone")
    tracked_seconds: float = Field(description="Every second some source covers, counted once, less exclusions")
    by_source: dict[str, float] = Field(
        description="Each source's own seconds that day (overlap within a source counted once); 0 for none"
    )
    edited: bool = Field(description="Whether time added by hand or an exclusion touches the day")
    corrected_seconds: float = Field(description="How much those corrections changed tracked_seconds")


class Segment(BaseModel):
    start: datetime
    end: datetime
    source: str = Field(description="The source this stretch is attributed to, by the person's precedence")
    label: str
    seconds: float
    project: str = Field(description="The project the rules give it (its path), or unassigned")
    project_id: UUID | None = Field(default=None, description="null when unassigned")


class TimeReport(BaseModel):
    user_id: UUID
    timezone: str
    start: date
    end: date
    tracked_seconds: float = Field(description="Counted once: the sum of the segments and of the days")
    days: list[DayTime] = Field(description="Every local day of the range, zeros included")
    segments: list[Segment] = Field(
        description="The attributed timeline: sorted, non-overlapping, cut at local midnight"
    )
    totals: list[LabelTotal] = Field(description="Attributed seconds per source and label, largest first")
    intervals: list[TimePiece] | None = Field(
        default=None, description="Each source's raw pieces per day; only with ?include=intervals"
    )


class SummaryGroup(BaseModel):
    key: str = Field(description="The project's name (its path), a day, a member's id or a source; or unassigned")
    name: str = Field(description="For people: the project path, the day, the member's name or the source")
    project_id: UUID | None = Field(default=None, description="For group_by=project; null for unassigned")
    color: str | None = None
    tracked_seconds: float


class MemberTime(BaseModel):
    user_id: UUID
    display_name: str
    role: Literal["owner", "admin", "member"]
    tracked_seconds: float = Field(description="Counted once, the same number as on the member's My time")
    days: list[DayTime]
    top_labels: list[LabelTotal] = Field(description="The member's largest attributed labels, any source")
    projects: list[SummaryGroup] = Field(
        default_factory=list, description="The member's time by project, counted once (unassigned included)"
    )


class TeamTime(BaseModel):
    team_id: UUID
    timezone: str = Field(description="The viewer's timezone; days run midnight to midnight there")
    start: date
    end: date
    tracked_seconds: float = Field(description="The members' tracked seconds added up")
    members: list[MemberTime] = Field(description="Every member who has accepted, owner and admins first")


class PresenceItem(BaseModel):
    user_id: UUID
    display_name: str
    source: Literal["nfc", "activitywatch", "timer"] = Field(
        description="nfc: a tag is in a reader; activitywatch: active in the last 5 minutes; timer: a session open"
    )
    label: str = Field(description="The tag's label, the app in front, or running/paused")
    detail: str = Field(description="The reader, the host, or the question")
    since: datetime = Field(description="Tag inserted at, last activity at, or session started at")


class EntryCreate(BaseModel):
    start: StorableDatetime = Field(examples=["2025-04-11T12:00:00+02:00"])
    end: StorableDatetime = Field(examples=["2025-04-11T13:00:00+02:00"])
    label: Name = Field(examples=["Paper review"])
    note: Annotated[str, Field(max_length=1000), NoNul] = ""
    project_id: UUID | None = Field(default=None, description="A project you can see (not archived)")


class EntryUpdate(BaseModel):
    start: StorableDatetime | None = None
    end: StorableDatetime | None = None
    label: Name | None = None
    note: Annotated[str, Field(max_length=1000), NoNul] | None = None
    project_id: UUID | None = Field(default=None, description="A project, or null for none; left as it is when absent")


class Entry(BaseModel):
    """Time added by hand: the `manual` source, first in the default precedence."""

    id: UUID
    start: datetime
    end: datetime
    label: str
    project_id: UUID | None = None
    note: str | None = Field(description="null when it is not yours and its owner does not share notes")
    created_at: datetime
    updated_at: datetime


class ExclusionCreate(BaseModel):
    start: StorableDatetime
    end: StorableDatetime
    reason: Annotated[str, Field(min_length=1, max_length=1000), NoNul] = Field(examples=["lunch, laptop left on"])


class ExclusionUpdate(BaseModel):
    start: StorableDatetime | None = None
    end: StorableDatetime | None = None
    reason: Annotated[str, Field(min_length=1, max_length=1000), NoNul] | None = None


class Exclusion(BaseModel):
    """A stretch that is not work: it counts for no source."""

    id: UUID
    start: datetime
    end: datetime
    reason: str | None = Field(description="null when it is not yours and its owner does not share notes")
    created_at: datetime
    updated_at: datetime


class Edit(BaseModel):
    kind: Literal["entry", "exclusion"]
    action: Literal["create", "update", "delete"]
    item_id: UUID
    at: datetime = Field(description="When the change was made")
    actor_id: UUID | None = Field(description="Who made it")
    start: datetime = Field(description="The stretch after the change (before it, for a delete)")
    end: datetime
    previous_start: datetime | None = None
    previous_end: datetime | None = None


# -- projects and the rules that name time

Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
RuleSource = Literal["nfc", "wakatime", "activitywatch", "imported"]
RuleField = Literal[
    "tag_id", "tag_label", "project", "branch", "language", "app", "title", "url", "domain", "client", "description"
]
Pattern = Annotated[str, StringConstraints(min_length=1, max_length=500), NoNul]


class ProjectCreate(BaseModel):
    name: Name = Field(examples=["Apollo"])
    color: Color | None = Field(default=None, examples=["#4c78a8"])
    parent_id: UUID | None = Field(default=None, description="A project of the same person or team")
    team_id: UUID | None = Field(default=None, description="A team you own or administer; absent: your own")
    archived: bool = False


class ProjectUpdate(BaseModel):
    name: Name | None = None
    color: Color | None = None
    parent_id: UUID | None = Field(default=None, description="null makes it a root; left as it is when absent")
    archived: bool | None = None


class Project(BaseModel):
    id: UUID
    name: str
    path: str | None = Field(default=None, description="Its names from the root, e.g. Work > Programming")
    color: str
    parent_id: UUID | None
    team_id: UUID | None = Field(description="null: a personal project")
    archived: bool
    created_at: datetime


class RuleCreate(BaseModel):
    project_id: UUID
    source: RuleSource
    field: RuleField
    match: Literal["exact", "regex"] = "exact"
    pattern: Pattern = Field(examples=["Firefox"])
    ignore_case: bool = False
    extra_field: Literal["branch", "language"] | None = Field(
        default=None, description="WakaTime only: a second, exact condition"
    )
    extra_pattern: Pattern | None = None
    position: int | None = Field(default=None, ge=0, le=100000, description="Lower applies first; absent: last")
    team_id: UUID | None = Field(default=None, description="A team you own or administer; absent: your own")


class RuleUpdate(BaseModel):
    project_id: UUID | None = None
    source: RuleSource | None = None
    field: RuleField | None = None
    match: Literal["exact", "regex"] | None = None
    pattern: Pattern | None = None
    ignore_case: bool | None = None
    extra_field: Literal["branch", "language"] | None = None
    extra_pattern: Pattern | None = None
    position: int | None = Field(default=None, ge=0, le=100000)


class Rule(BaseModel):
    id: UUID
    project_id: UUID
    team_id: UUID | None
    source: str
    field: str
    match: str
    pattern: str
    ignore_case: bool
    extra_field: str | None
    extra_pattern: str | None
    position: int
    created_at: datetime


class RulePreviewIn(BaseModel):
    project_id: UUID
    source: RuleSource
    field: RuleField
    match: Literal["exact", "regex"] = "exact"
    pattern: Pattern
    ignore_case: bool = False
    extra_field: Literal["branch", "language"] | None = None
    extra_pattern: Pattern | None = None
    team_id: UUID | None = Field(default=None, description="Preview over this team's members' time")


class PreviewMatch(BaseModel):
    value: str = Field(description="The value of the rule's field that matched")
    seconds: float


class RulePreview(BaseModel):
    start: datetime
    end: datetime
    matched_seconds: float = Field(description="Seconds of the source's time the rule matches")
    source_seconds: float = Field(description="Seconds of the source's time looked at")
    matches: list[PreviewMatch] = Field(description="The matched values, most time first (at most 20)")


class CategoriesImported(BaseModel):
    projects: int = Field(description="Projects created (existing ones of the same name are reused)")
    rules: int = Field(description="ActivityWatch rules added (on app and on title for each regex)")


class SummaryReport(BaseModel):
    start: date
    end: date
    group_by: Literal["project", "day", "member", "source"]
    team_id: UUID | None = None
    groups: list[SummaryGroup]
    tracked_seconds: float = Field(description="Counted once: the sum of the groups")


class FieldError(BaseModel):
    field: str = Field(description='The refused field, dotted ("data.title"); "(item)" for the item as a whole')
    message: str


class ItemOutcome(BaseModel):
    index: int = Field(description="The item's position in the batch (in its bucket, for ActivityWatch)")
    status: Literal["created", "updated", "duplicate", "invalid", "rejected"] = Field(
        description="created, updated (a merged heartbeat grew) or duplicate (already stored): stored, do not"
        " retry; invalid: the item can never be stored; rejected: valid, but not this sender's to send"
    )
    errors: list[FieldError] | None = Field(default=None, description="Why an invalid or rejected item was refused")


class BatchCounts(BaseModel):
    """How many items of a batch became what; the same for every source that pushes batches."""

    created: int
    updated: int
    duplicate: int
    invalid: int
    rejected: int


class DeviceBatchAnswer(BatchCounts):
    results: list[ItemOutcome]


class BucketOutcome(BaseModel):
    id: str | None = Field(description="The bucket's id, when it could be read")
    status: Literal["ok", "invalid"]
    errors: list[FieldError] | None = None
    results: list[ItemOutcome]


class ActivityWatchAnswer(BatchCounts):
    buckets: list[BucketOutcome]


class StoredDeviceEvent(BaseModel):
    status: Literal["created", "duplicate"]
    device_id: str
    event_type: str
    tag_id: str
    timestamp: str = Field(description="The event's time, ISO 8601")


# -- health ---------------------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: Literal["up", "down"]


# -- ActivityWatch ----------------------------------------------------------------------


class TopApp(BaseModel):
    app: str
    # int | float: the seconds come from jsonb, where a whole number reads back as an int.
    seconds: int | float


class DeveloperActivity(BaseModel):
    subject: str = Field(description="The member's id, or the developer id when it is linked to nobody")
    person_id: UUID | None = Field(description="The member the time belongs to (None: an unlinked developer id)")
    developer_ids: list[str]
    last_seen_at: IsoDatetime | None
    active_seconds_today: float | None = Field(description="Not-AFK time today; None without AFK data")
    active_seconds_week: float | None = Field(description="Not-AFK time this week; None without AFK data")
    display_name: str
    top_apps: list[TopApp] = Field(description="Window time while not AFK this week, most first")


class TeamActivity(BaseModel):
    team_id: UUID
    developers: list[DeveloperActivity]


class ActivityWatchTeamSummary(BaseModel):
    timezone: str = Field(description="The viewer's timezone, which days and weeks are counted in")
    teams: list[TeamActivity]


class Developer(BaseModel):
    team_id: UUID
    developer_id: str
    display_name: str
    user_id: UUID | None = Field(description="The member it is linked to, if any")
    created_at: IsoDatetime


# -- OAuth (sync client) ----------------------------------------------------------------


class OAuthToken(BaseModel):
    access_token: str = Field(description="A personal API token for the sync client")
    token_type: Literal["bearer"] = Field(default="bearer", description="Always bearer")
    token_id: UUID
    email: str | None


class OAuthError(BaseModel):
    """RFC 6749's error answer of the token endpoint (with our `message` as well)."""

    error: str = Field(description="e.g. invalid_grant, invalid_client, unsupported_grant_type")
    error_description: str
    message: str


# -- WakaTime ---------------------------------------------------------------------------


class WakaTimeConnection(BaseModel):
    wakatime_uid: str | None
    scope: str
    expires_at: IsoDatetime | None
    status: Literal["connected", "reconnect_needed"]
    connected_at: IsoDatetime
    updated_at: IsoDatetime
    last_import_at: IsoDatetime | None
    last_import_result: dict[str, Any] | None


class WakaTimeConnectionState(BaseModel):
    connection: WakaTimeConnection | None = Field(description="None when not connected")


class WakaTimeDisconnected(BaseModel):
    disconnected: bool = Field(description="Whether there was a connection to delete")
    revoked_at_wakatime: bool


class SkippedDay(BaseModel):
    day: str
    reason: str


class WakaTimeImport(BaseModel):
    imported_days: list[str]
    skipped_days: list[SkippedDay]
    error: str | None
    reconnect_needed: bool


class HeartbeatSettings(BaseModel):
    key_hint: str | None = Field(description="The plugin key's last characters (never the key)")
    key_created_at: IsoDatetime | None
    timeout_minutes: int
    updated_at: IsoDatetime | None = Field(default=None, description="Absent until something is set")


class PluginKey(HeartbeatSettings):
    api_key: str = Field(description="Shown once: the plugin's api_key")
    api_url: str = Field(description="The plugin's api_url")


# -- the local Supabase Auth (GoTrue) subset ---------------------------------------------


class GoTrueUser(BaseModel):
    id: UUID
    aud: Literal["authenticated"] = "authenticated"
    role: Literal["authenticated"] = "authenticated"
    email: str
    email_confirmed_at: IsoDatetime | None
    confirmed_at: IsoDatetime | None
    phone: str = Field(default="", description="Always empty: accounts here have an email, not a phone")
    last_sign_in_at: IsoDatetime | None
    app_metadata: dict[str, Any]
    user_metadata: dict[str, Any]
    identities: list[dict[str, Any]] = Field(default_factory=list, description="Always empty: no social logins")
    created_at: IsoDatetime
    updated_at: IsoDatetime
    is_anonymous: Literal[False] = False


class GoTrueSession(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = Field(default="bearer", description="Always bearer")
    expires_in: int
    expires_at: int
    refresh_token: str
    user: GoTrueUser


# -- the timer widget -------------------------------------------------------------------


class TimerAnswer(BaseModel):
    """What an event did: the session, its closed questions, and the question in progress."""

    session_id: UUID = Field(description="The session's public id")
    event: EventType
    event_id: str = Field(description="The client's event_id, or TYPE@timestamp when none was sent")
    timestamp: datetime
    replayed: bool = Field(description="True when this answers a retry of an event already applied")
    session_active: bool
    total_questions: int = Field(description="Closed questions in the session (zero-length ghosts left out)")
    last_question_seconds: float | None = Field(description="Active seconds of the last closed non-ghost question")
    last_question_time: str | None = Field(description="The same as MM:SS", examples=["04:10"])
    current_question: int | None = Field(description="Index of the question in progress (null: session ended)")
    question_started_at: datetime | None
    paused: bool
    pause_accumulated_seconds: float = Field(description="Finished pauses of the question in progress")
    pause_started_at: datetime | None = Field(description="Start of an unfinished pause")
    target_pace_seconds: float


class QuestionOut(BaseModel):
    index: int
    started_at: datetime
    ended_at: datetime
    raw_seconds: float
    active_seconds: float = Field(description="Raw seconds minus paused seconds")
    paused_seconds: float
    time: str = Field(description="Active time as MM:SS")
    pace: float = Field(description="Active seconds over the target (1.0 = on target, lower is faster)")
    over_target: bool


class SessionSummary(BaseModel):
    session_id: UUID
    started_at: datetime
    ended_at: datetime | None
    active: bool
    target_pace_minutes: float
    target_pace_seconds: float
    target_time: str
    total_questions: int = Field(description="Questions shown (zero-length ghosts left out)")
    total_active_seconds: float
    total_raw_seconds: float
    total_active_time: str = Field(description="HH:MM")
    total_raw_time: str = Field(description="HH:MM")
    average_seconds: float | None
    average_time: str | None = Field(description="MM:SS")
    pace_score: float | None = Field(description="Target time over time taken, in percent (100 = on target)")
    questions: list[QuestionOut]
    project_id: UUID | None = Field(default=None, description="The project its time counts for (null: unassigned)")


class HourBucket(BaseModel):
    hour: int = Field(description="Local hour the questions started in, 0-23")
    questions: int
    active_seconds: float


class DailySummary(BaseModel):
    day: date
    timezone: str
    total_questions: int
    total_active_seconds: float
    total_active_time: str = Field(description="HH:MM")
    average_seconds: float | None = Field(description="Weighted by questions across the day's sessions")
    average_time: str | None
    pace_score: float | None
    sessions: list[SessionSummary]
    hours: list[HourBucket] = Field(description="24 buckets, one per local hour")


# -- the WakaTime-compatible API, in WakaTime's own shapes ---------------------------------


class HeartbeatData(BaseModel):
    id: str = Field(description="What makes two heartbeats the same one (a hash)")
    entity: str
    type: str
    category: str
    time: float = Field(description="Unix seconds")
    project: str | None
    branch: str | None
    language: str | None
    is_write: bool
    editor: str | None
    operating_system: str | None
    machine: str | None


class HeartbeatStored(BaseModel):
    data: HeartbeatData


class HeartbeatRefused(BaseModel):
    error: str = Field(description='Why this heartbeat can never be stored, e.g. "time: in the future"')


class HeartbeatsAnswer(BaseModel):
    responses: list[tuple[HeartbeatStored | HeartbeatRefused, int]] = Field(
        description="One [body, status] per heartbeat, in order: 201 stored (a duplicate too), 400 refused"
    )


class CodingTotal(BaseModel):
    decimal: str = Field(examples=["2.08"])
    digital: str = Field(examples=["2:05"])
    hours: int
    minutes: int
    text: str = Field(examples=["2 hrs 5 mins"])
    total_seconds: float


class NamedCategoryTotal(CodingTotal):
    name: str


class NamedTotal(NamedCategoryTotal):
    percent: float


class StatusbarRange(BaseModel):
    date: str
    start: str
    end: str
    text: str
    timezone: str


class StatusbarData(BaseModel):
    grand_total: CodingTotal
    projects: list[NamedTotal]
    languages: list[NamedTotal]
    editors: list[NamedTotal]
    categories: list[NamedCategoryTotal]
    range: StatusbarRange


class StatusbarToday(BaseModel):
    cached_at: str
    data: StatusbarData


# -- imports from other trackers


class ImportOutcome(BaseModel):
    created: int = Field(description="Entries stored")
    duplicate: int = Field(description="Entries already stored (an earlier import), or twice in this one")
    invalid: int = Field(
        description="Rows left out because they hold no time to store: of zero length, or (from Toggl's API)"
        " still running or longer than 24 hours"
    )


class ImportedProject(BaseModel):
    name: str = Field(description="The other tracker's project; empty for entries without one")
    entries: int
    seconds: float


class ImportPreview(BaseModel):
    rows: int = Field(description="Entries read")
    new: int = Field(description="Entries an import would store")
    duplicate: int = Field(description="Entries it would skip: already stored, or twice in this import")
    invalid: int = Field(description="Rows left out (see ImportOutcome.invalid)")
    first_start: datetime | None = None
    last_end: datetime | None = None
    seconds: float = Field(description="The entries' time, overlaps and duplicates included")
    projects: list[ImportedProject] = Field(description="Per project, the most time first")
