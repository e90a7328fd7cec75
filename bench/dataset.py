"""A realistic team dataset for benchmarks that read: generated here, loaded with COPY.

    .venv/bin/python bench/dataset.py [--scale 1.0] [--seed 1] [--data-dir DIR | --dsn URL]
                                      [--start 2025-01-06] [--weeks 26] [--keep-running]

At scale 1: 1,000 people in 20 teams of 50, 26 weeks of working days (Mon-Fri, about 8 h
with a lunch gap, each person with their own hours and jitter), about 10 M rows. Per team
one heavy person (ActivityWatch window switching every ~20 s: ~33k events a month, ~5k
WakaTime heartbeats a month), eight medium ones (ActivityWatch at a calmer pace, some with
heartbeats or imported WakaTime durations) and light ones (NFC and the timer only).
Everyone has an NFC reader (4 events a working day) and most use the timer a few times a
week. `--scale` scales people and teams (at least 1 team and 2 people): 0.02 is 20 people
in one team and loads in well under a minute.

Every account is a real one: `auth.users` rows shaped like the local sign-up's (the
profile comes from the same trigger), all with the password `PASSWORD`, so benchmarks can
log in as any member through the app's auth.

The same `--seed` gives the same rows. With `--data-dir` the embedded database in that
folder keeps the dataset; running again with the same scale, seed and dates finds it and
generates nothing. Benchmarks call `ensure(data_dir, scale, seed)` (or `load(dsn, ...)`
on a database of their own) and get a `DatasetInfo`: teams, owners, a heavy person, the
shared password, the days covered and every member's identity.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import bcrypt
import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timetracker import credentials
from timetracker.activitywatch.developer_ids import developer_id, email_hash, name_part
from timetracker.auth.local_server import BCRYPT_ROUNDS
from timetracker.db import embedded, migrate
from timetracker.wakatime.heartbeats import Heartbeat
from timetracker.wakatime.wire import client_of

PEOPLE_AT_SCALE_1 = 1000
TEAMS_AT_SCALE_1 = 20
DEFAULT_SEED = 1
# A fixed period, so a dataset and every figure measured on it can be reproduced later;
# benchmarks pass `DatasetInfo.last_day` as "now" to views that default to today.
DEFAULT_START = date(2025, 1, 6)  # a Monday
DEFAULT_WEEKS = 26
PASSWORD = "dataset password 1"  # noqa: S105 (every generated account's, printed on purpose)
HEAVY_SHARE = 0.02
MEDIUM_SHARE = 0.16
ADMIN_SHARE = 0.04
HEARTBEAT_EVERY_MS = 120_000  # WakaTime plugins repeat a heartbeat for the same file every 2 minutes
IMPORT_JOIN_MS = 15 * 60_000  # WakaTime's default keystroke timeout joins heartbeats into durations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Anna Ben Clara David Elif Felix Greta Hannah Ivan Jana Jonas Karim Lea Lukas Maria Mehmet Mia Noah"
    " Olga Paul Quentin Rosa Sara Simon Tara Tim Ulrike Vera Wen Xenia Yusuf Zoe Amir Bea Chen Dora Emil"
    " Fatma Gustav Ines"
)
LAST_NAMES = _words(
    "Schmidt Müller Weber Fischer Wagner Becker Hoffmann Schulz Koch Richter Klein Wolf Schröder Neumann"
    " Braun Zimmermann Krüger Hartmann Lange Werner Kaya Nowak Rossi Dubois Silva Jensen Novak Popescu"
    " Smith Garcia"
)
TEAM_NAMES = _words(
    "Aurora Borealis Cobalt Delta Ember Fjord Granite Harbor Indigo Juniper Kestrel Lumen Meridian Nimbus"
    " Onyx Polaris Quartz Riverside Summit Tundra"
)
# Most of a team sits in its home zone, a few members elsewhere.
TIMEZONES = ("Europe/Berlin", "Europe/London", "Europe/Madrid", "America/New_York", "Asia/Kolkata", "Europe/Helsinki")
PROJECTS = (
    ("billing-api", "Python", (".py",)),
    ("web-dashboard", "TypeScript", (".ts", ".tsx")),
    ("mobile-app", "Kotlin", (".kt",)),
    ("data-pipeline", "Python", (".py",)),
    ("infra", "HCL", (".tf",)),
    ("search-service", "Go", (".go",)),
    ("design-system", "TypeScript", (".tsx",)),
    ("reporting", "SQL", (".sql",)),
)
FILE_STEMS = _words(
    "main handlers models views service client config utils test_api schema routes store auth cache worker"
)
BROWSER_PAGES = (
    "Pull requests · acme/{project} · GitHub",
    "Review: tighten retries · acme/{project} · GitHub",
    "Sprint board - Jira",
    "PostgreSQL: Documentation: COPY",
    "python - How to profile a generator? - Stack Overflow",
    "Google Calendar - Week",
    "Grafana - Service overview",
    "Confluence - Onboarding",
    "MDN Web Docs - Array.prototype.reduce()",
    "YouTube",
)
CHAT_CHANNELS = ("#general", "#{project}", "#incidents", "#random", "Direct message", "#deployments")
TAG_LABELS = ("Desk", "Office", "Lab", "Workshop", "Meeting room")
TAG_TYPE = "Mifare Classic (4-byte)"
OS_AGENTS = (("linux-6.8.0-48-generic-x86_64", "Linux"), ("darwin-24.1.0-arm64", "Darwin"))


# -- what benchmarks get back ---------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One generated person: an account (password `DatasetInfo.password`) in one team."""

    index: int
    user_id: UUID
    email: str
    display_name: str
    team_index: int
    team_id: UUID
    role: str  # owner | admin | member
    kind: str  # heavy | medium | light
    timezone: str
    host: str
    aw_sender: str | None  # "personal" (own API token), "developer" (team developer token), None: no ActivityWatch
    developer_id: str | None  # linked to this person when aw_sender is "developer"
    wakatime: str | None  # "heartbeats" (editor plugin), "imported" (from wakatime.com), None
    heartbeat_key: str | None  # the plugin key (a UUID v4) when wakatime is "heartbeats"
    uses_timer: bool
    device_id: str
    device_key: str
    tag_id: str


@dataclass(frozen=True)
class DatasetInfo:
    scale: float
    seed: int
    first_day: date
    last_day: date
    password: str
    team_ids: tuple[UUID, ...]
    members: tuple[Member, ...]
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def owners(self) -> list[Member]:
        """The owner of each team, in team order."""
        return [m for m in self.members if m.role == "owner"]

    @property
    def owner_ids(self) -> list[UUID]:
        return [m.user_id for m in self.owners]

    @property
    def heavy(self) -> Member:
        """The first team's heavy person: every kind of data, ActivityWatch under their own id."""
        return next(m for m in self.members if m.kind == "heavy" and m.aw_sender == "personal")

    @property
    def developer(self) -> Member | None:
        """A person whose ActivityWatch rows arrive under a team developer id linked to them."""
        return next((m for m in self.members if m.aw_sender == "developer"), None)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=str)

    @classmethod
    def from_json(cls, text: str | dict[str, Any]) -> DatasetInfo:
        raw = json.loads(text) if isinstance(text, str) else text
        members = tuple(
            Member(**{**m, "user_id": UUID(m["user_id"]), "team_id": UUID(m["team_id"])}) for m in raw["members"]
        )
        return cls(
            scale=raw["scale"],
            seed=raw["seed"],
            first_day=date.fromisoformat(raw["first_day"]),
            last_day=date.fromisoformat(raw["last_day"]),
            password=raw["password"],
            team_ids=tuple(UUID(t) for t in raw["team_ids"]),
            members=members,
            rows=raw.get("rows", {}),
            seconds=raw.get("seconds", 0.0),
        )


class DatasetMismatch(RuntimeError):
    """The database already holds a dataset of another scale, seed or period, or one whose
    migrations have been edited since (its indexes and columns are no longer the schema's)."""


# -- the people -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """One kind of window a person looks at: its `data` (COPY-escaped JSON) and, for the
    editor, what the WakaTime plugin reports about the file."""

    data: str
    project: str | None = None
    language: str | None = None
    entity: str | None = None


@dataclass(frozen=True)
class Habits:
    """How one person works; never stored, always derived again from the seed."""

    arrival_minute: float
    work_minutes: float
    extra_window_ms: float  # mean window length above the 5 s minimum
    windows: tuple[Window, ...]
    app_first: np.ndarray  # index of each app's first window in `windows`
    app_count: np.ndarray
    app_weights: np.ndarray
    editor_app: int
    file_switch: float  # chance the next editor window shows another file
    user_agent: str
    editor: str | None
    operating_system: str | None
    target_pace_minutes: float


@dataclass(frozen=True)
class DayPlan:
    """One working day of one person, in UTC epoch milliseconds."""

    day: date
    arrive: int
    aw_on: int
    lunch_start: int
    lunch_end: int
    aw_off: int
    leave: int
    forgot_lunch_removal: bool


def _uuid(rng: random.Random) -> UUID:
    return UUID(int=rng.getrandbits(128), version=4)


def _derived_key(seed: int, purpose: str, index: int) -> bytes:
    return hashlib.sha256(f"{seed}:{purpose}:{index}".encode()).digest()


def _copy_text(value: str) -> str:
    """A value in COPY's text format (the generated text never holds NUL)."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _json(value: dict[str, Any]) -> str:
    return _copy_text(json.dumps(value, ensure_ascii=False))


def people_and_teams(scale: float) -> tuple[int, int]:
    people = max(2, round(PEOPLE_AT_SCALE_1 * scale))
    teams = max(1, min(round(TEAMS_AT_SCALE_1 * scale), people // 2))
    return people, teams


def working_days(start: date, weeks: int) -> list[date]:
    monday = start - timedelta(days=start.weekday())
    return [monday + timedelta(days=7 * w + d) for w in range(weeks) for d in range(5)]


def build_members(scale: float, seed: int) -> tuple[list[UUID], list[Member]]:
    rng = random.Random(f"{seed}:people")
    people, team_count = people_and_teams(scale)
    team_ids = [_uuid(rng) for _ in range(team_count)]
    sizes = [people // team_count + (1 if t < people % team_count else 0) for t in range(team_count)]
    members: list[Member] = []
    for team_index, size in enumerate(sizes):
        home = TIMEZONES[team_index % len(TIMEZONES)]
        heavy = max(1, round(size * HEAVY_SHARE))
        medium = min(size - 1 - heavy, max(0, round(size * MEDIUM_SHARE) - 1))
        others = ["heavy"] * heavy + ["medium"] * medium + ["light"] * (size - 1 - heavy - medium)
        rng.shuffle(others)
        kinds = ["medium", *others]  # the owner, a team lead, tracks their own screen time too
        admins = min(size - 1, max(1 if size >= 3 else 0, round(size * ADMIN_SHARE)))
        # ActivityWatch users alternate between their own token and a team developer token,
        # heavy people first, so the first team's heavy person sends under their own id.
        aw_order = sorted((p for p in range(size) if kinds[p] != "light"), key=lambda p: (kinds[p] != "heavy", p))
        sender = {p: ("personal" if i % 2 == 0 else "developer") for i, p in enumerate(aw_order)}
        medium_seen = 0
        for position in range(size):
            index = len(members)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            name = f"{first} {last}"
            email = f"{name_part(first)}.{name_part(last)}.{index:04d}@example.com"
            kind = kinds[position]
            wakatime: str | None = None
            if kind == "heavy":
                wakatime = "heartbeats"
            elif kind == "medium":
                wakatime = ("heartbeats", "imported", None)[medium_seen % 3]
                medium_seen += 1
            aw_sender = sender.get(position)
            user_id = _uuid(rng)
            heartbeat_key = str(UUID(bytes=_derived_key(seed, "heartbeat", index)[:16], version=4))
            tag_bytes = _derived_key(seed, "tag", index)[:4]
            members.append(
                Member(
                    index=index,
                    user_id=user_id,
                    email=email,
                    display_name=name,
                    team_index=team_index,
                    team_id=team_ids[team_index],
                    role="owner" if position == 0 else "admin" if position <= admins else "member",
                    kind=kind,
                    timezone=home if rng.random() < 0.85 else rng.choice(TIMEZONES),
                    host=f"laptop-{index}",
                    aw_sender=aw_sender,
                    developer_id=developer_id(name, email) if aw_sender == "developer" else None,
                    wakatime=wakatime,
                    heartbeat_key=heartbeat_key if wakatime == "heartbeats" else None,
                    uses_timer=kind == "heavy" or rng.random() < 0.5,
                    device_id=f"NFC_{index:05d}",
                    device_key=credentials.DEVICE_KEY_PREFIX + _derived_key(seed, "device", index).hex(),
                    tag_id=" ".join(f"{b:02x}" for b in tag_bytes),
                )
            )
    return team_ids, members


def habits_of(member: Member, seed: int) -> Habits:
    rng = random.Random(f"{seed}:habits:{member.index}")
    projects = rng.sample(PROJECTS, 3 if member.kind == "heavy" else 2)
    uses_pycharm = rng.random() < 0.25
    os_agent, _ = rng.choice(OS_AGENTS)
    cli = f"wakatime/v1.102.1 ({os_agent}) go1.23.2"
    if uses_pycharm:
        editor_name, user_agent = "jetbrains-pycharm", f"{cli} PyCharm/2024.3 PyCharm-wakatime/15.0.1"
    else:
        editor_name, user_agent = "Code", f"{cli} vscode/1.95.3 vscode-wakatime/24.8.0"
    editor, operating_system = client_of(user_agent)
    user = member.email.split(".")[0]
    apps: list[tuple[str, float, list[Window]]] = []
    editor_windows = []
    for project, language, extensions in projects:
        for stem in rng.sample(FILE_STEMS, 12):
            file = f"{stem}{rng.choice(extensions)}"
            entity = f"/home/{user}/src/{project}/{file}"
            title = f"{project} – {file}" if uses_pycharm else f"{file} - {project} - Visual Studio Code"
            data = _json({"app": editor_name, "title": title})
            editor_windows.append(Window(data, project=project, language=language, entity=entity))
    names = [p[0] for p in projects]
    apps.append((editor_name, 0.30, editor_windows))
    pages = [page.format(project=rng.choice(names)) for page in BROWSER_PAGES]
    browser = [Window(_json({"app": "Firefox", "title": f"{p} — Mozilla Firefox"})) for p in pages]
    apps.append(("Firefox", 0.22, browser))
    terminals = [f"{user}@{member.host}: ~/src/{n}" for n in names] + [f"{user}@{member.host}: ~"]
    apps.append(("Terminal", 0.14, [Window(_json({"app": "gnome-terminal-server", "title": t})) for t in terminals]))
    chats = [c.format(project=rng.choice(names)) for c in CHAT_CHANNELS]
    apps.append(("Slack", 0.17, [Window(_json({"app": "Slack", "title": f"{c} - Acme - Slack"})) for c in chats]))
    apps.append(("Thunderbird", 0.08, [Window(_json({"app": "Thunderbird", "title": "Inbox - Mozilla Thunderbird"}))]))
    apps.append(("zoom", 0.05, [Window(_json({"app": "zoom", "title": "Zoom Meeting"}))]))
    apps.append(("Files", 0.04, [Window(_json({"app": "Nautilus", "title": f"src/{n}"})) for n in names]))
    windows = tuple(w for _, _, ws in apps for w in ws)
    counts = np.array([len(ws) for _, _, ws in apps])
    weights = np.array([w for _, w, _ in apps])
    extra_ms = rng.uniform(12_000, 14_000) if member.kind == "heavy" else rng.uniform(130_000, 180_000)
    return Habits(
        arrival_minute=min(max(rng.gauss(8.5 * 60, 40), 7 * 60), 10.5 * 60),
        work_minutes=rng.gauss(480, 25),
        extra_window_ms=extra_ms,
        windows=windows,
        app_first=np.concatenate(([0], np.cumsum(counts)[:-1])),
        app_count=counts,
        app_weights=weights / weights.sum(),
        editor_app=0,
        file_switch=0.3,
        user_agent=user_agent,
        editor=editor,
        operating_system=operating_system,
        target_pace_minutes=rng.choice((5.5, 5.5, 4.0, 8.0, 10.0)),
    )


class _Midnights:
    """Local midnight of a day in a zone, as UTC epoch ms (working days never change DST)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, date], int] = {}

    def __call__(self, tz: str, day: date) -> int:
        key = (tz, day)
        if key not in self.cache:
            self.cache[key] = int(datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz)).timestamp() * 1000)
        return self.cache[key]


def day_plans(member: Member, habits: Habits, days: list[date], seed: int, midnight: _Midnights) -> list[DayPlan]:
    rng = random.Random(f"{seed}:days:{member.index}")
    vacation_start = rng.randrange(len(days))
    vacation = set(range(vacation_start, vacation_start + rng.choice((5, 5, 10))))
    plans = []
    for i, day in enumerate(days):
        if i in vacation or rng.random() < 0.02:  # holidays and sick days
            continue
        base = midnight(member.timezone, day)
        arrive = habits.arrival_minute + rng.gauss(0, 15)
        lunch_start = arrive + rng.uniform(200, 270)
        lunch_end = lunch_start + rng.uniform(30, 60)
        leave = arrive + habits.work_minutes + (lunch_end - lunch_start) + rng.gauss(0, 20)
        ms = [base + int(minute * 60_000) + rng.randrange(60_000) for minute in (arrive, lunch_start, lunch_end, leave)]
        plans.append(
            DayPlan(
                day=day,
                arrive=ms[0],
                aw_on=ms[0] + rng.randrange(120_000, 360_000),
                lunch_start=ms[1],
                lunch_end=ms[2],
                aw_off=ms[3] - rng.randrange(120_000, 300_000),
                leave=ms[3],
                forgot_lunch_removal=rng.random() < 0.01,
            )
        )
    return plans


def windows_of_day(rng: np.random.Generator, habits: Habits, plan: DayPlan) -> tuple[list[int], list[int], list[int]]:
    """Contiguous window events (start ms, duration ms, index into habits.windows) for the
    two blocks of a day; the lunch gap has none (the screen is locked)."""
    starts, durations, chosen = [], [], []
    mean_ms = 5_000 + habits.extra_window_ms
    for block_start, block_end in ((plan.aw_on, plan.lunch_start), (plan.lunch_end, plan.aw_off)):
        length = block_end - block_start
        if length <= 0:
            continue
        drawn = np.empty(0, dtype=np.int64)
        while drawn.sum() < length:
            more = int(length / mean_ms * 1.2) + 16
            extra = np.minimum(rng.exponential(habits.extra_window_ms, more), 295_000)
            drawn = np.concatenate((drawn, (5_000 + extra).astype(np.int64)))
        ends = np.cumsum(drawn)
        count = int(np.searchsorted(ends, length)) + 1
        drawn = drawn[:count]
        drawn[-1] -= ends[count - 1] - length  # the last window ends with the block
        block_starts = block_start + ends[:count] - drawn[:count]
        apps = rng.choice(len(habits.app_weights), size=count, p=habits.app_weights)
        picks = habits.app_first[apps] + (rng.random(count) * habits.app_count[apps]).astype(np.int64)
        # The editor stays on one file for a while: most editor windows repeat the last file.
        editor = np.flatnonzero(apps == habits.editor_app)
        if editor.size:
            switch = rng.random(editor.size) < habits.file_switch
            switch[0] = True
            last = np.maximum.accumulate(np.where(switch, np.arange(editor.size), 0))
            picks[editor] = picks[editor][last]
        starts += block_starts.tolist()
        durations += drawn.tolist()
        chosen += picks.tolist()
    return starts, durations, chosen


def afk_of_day(rng: np.random.Generator, plan: DayPlan) -> list[tuple[int, int, bool]]:
    """(start ms, duration ms, afk) covering aw_on..aw_off: stretches at the keyboard,
    short breaks, and lunch away."""
    spans: list[tuple[int, int, bool]] = []
    for block_start, block_end, then_lunch in (
        (plan.aw_on, plan.lunch_start, True),
        (plan.lunch_end, plan.aw_off, False),
    ):
        at, away = block_start, False
        while at < block_end:
            length = int(rng.uniform(3, 12) * 60_000) if away else int(min(max(rng.exponential(45), 5), 180) * 60_000)
            length = min(length, block_end - at)
            spans.append((at, length, away))
            at, away = at + length, not away
        if then_lunch and plan.lunch_end > plan.lunch_start:
            spans.append((plan.lunch_start, plan.lunch_end - plan.lunch_start, True))
    merged: list[tuple[int, int, bool]] = []
    for start, length, away in spans:
        if merged and merged[-1][2] == away and merged[-1][0] + merged[-1][1] == start:
            merged[-1] = (merged[-1][0], merged[-1][1] + length, away)
        elif length > 0:
            merged.append((start, length, away))
    return merged


class _Clock:
    """Epoch ms as COPY timestamptz text, fast: the date part is cached."""

    def __init__(self) -> None:
        self.dates: dict[int, str] = {}

    def _date(self, day: int) -> str:
        text = self.dates.get(day)
        if text is None:
            text = self.dates[day] = (date(1970, 1, 1) + timedelta(days=day)).isoformat()
        return text

    def text(self, ms: int) -> str:
        day, rest = divmod(ms, 86_400_000)
        seconds, milli = divmod(rest, 1000)
        minutes, second = divmod(seconds, 60)
        hour, minute = divmod(minutes, 60)
        return f"{self._date(day)} {hour:02d}:{minute:02d}:{second:02d}.{milli:03d}+00"

    def iso_z(self, ms: int) -> str:
        """As the NFC reader writes it: 2025-04-11T15:23:42.000Z."""
        return self.text(ms)[:-3].replace(" ", "T") + "Z"


def _seconds(ms: int) -> str:
    return f"{ms // 1000}.{ms % 1000:03d}"


# -- the plan: people, habits, days ---------------------------------------------------------


@dataclass
class Plan:
    scale: float
    seed: int
    days: list[date]
    team_ids: list[UUID]
    members: list[Member]
    habits: list[Habits]
    plans: list[list[DayPlan]]
    clock: _Clock = field(default_factory=_Clock)

    @classmethod
    def build(cls, scale: float, seed: int, start: date, weeks: int) -> Plan:
        days = working_days(start, weeks)
        team_ids, members = build_members(scale, seed)
        habits = [habits_of(m, seed) for m in members]
        midnight = _Midnights()
        plans = [day_plans(m, h, days, seed, midnight) for m, h in zip(members, habits, strict=True)]
        return cls(scale, seed, days, team_ids, members, habits, plans)

    def rng(self, member: Member, stream: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, member.index, int.from_bytes(stream.encode()[:8], "big")])

    def account_created(self, member: Member) -> int:
        first = int(datetime.combine(self.days[0], datetime.min.time(), UTC).timestamp() * 1000)
        return first - (10 + member.index % 50) * 86_400_000 - member.index * 60_000


# -- rows, as COPY text chunks (text, row count) ----------------------------------------------

Chunks = Iterator[tuple[str, int]]


def user_rows(plan: Plan, password_hash: str) -> Chunks:
    for m in plan.members:
        created = plan.clock.text(plan.account_created(m))
        # As the local sign-up writes them: confirmed at once, no metadata from the dashboard.
        yield f"{m.user_id}\t{m.email}\t{password_hash}\t{{}}\t{created}\t{created}\t{created}\t{created}\n", 1


def profile_rows(plan: Plan) -> Chunks:
    for m in plan.members:
        created = plan.clock.text(plan.account_created(m))
        yield f"{m.user_id}\t{_copy_text(m.display_name)}\t{m.timezone}\t{created}\n", 1


def team_rows(plan: Plan) -> Chunks:
    for m in plan.members:
        if m.role == "owner":
            round_, name = divmod(m.team_index, len(TEAM_NAMES))
            name = f"Team {TEAM_NAMES[name]}" + (f" {round_ + 1}" if round_ else "")
            created = plan.clock.text(plan.account_created(m) + 3_600_000)
            yield f"{m.team_id}\t{name}\t{m.user_id}\t{created}\n", 1


def member_rows(plan: Plan) -> Chunks:
    for m in plan.members:
        if m.role != "owner":  # the owner's membership comes from the teams trigger
            added = plan.clock.text(plan.account_created(m) + 7_200_000)
            yield f"{m.team_id}\t{m.user_id}\t{m.role}\t{added}\n", 1


def developer_rows(plan: Plan) -> Chunks:
    for m in plan.members:
        if m.developer_id:
            created = plan.clock.text(plan.account_created(m) + 7_200_000)
            row = [str(m.team_id), m.developer_id, _copy_text(m.display_name), email_hash(m.email), str(m.user_id)]
            yield "\t".join([*row, created]) + "\n", 1


def device_rows(plan: Plan) -> Chunks:
    for m in plan.members:
        created = plan.clock.text(plan.account_created(m) + 86_400_000)
        digest, hint = credentials.digest(m.device_key), "…" + m.device_key[-4:]
        yield f"{m.user_id}\t{m.device_id}\tReader {m.device_id[4:]}\t{digest}\t{hint}\t{created}\n", 1


def tag_rows(plan: Plan) -> Chunks:
    for m in plan.members:
        label = TAG_LABELS[m.index % len(TAG_LABELS)]
        yield f"{m.user_id}\t{m.tag_id}\t{label}\t{plan.clock.text(plan.account_created(m) + 86_400_000)}\n", 1


def heartbeat_setting_rows(plan: Plan) -> Chunks:
    for m in plan.members:
        if m.heartbeat_key:
            created = plan.clock.text(plan.account_created(m) + 86_400_000)
            digest, hint = credentials.digest(m.heartbeat_key), "…" + m.heartbeat_key[-4:]
            yield f"{m.user_id}\t{digest}\t{hint}\t{created}\t15\t{created}\n", 1


def aw_rows(plan: Plan) -> Chunks:
    text = plan.clock.text
    for m, habits, days in zip(plan.members, plan.habits, plan.plans, strict=True):
        if m.aw_sender is None:
            continue
        owner, team, dev = (
            (str(m.user_id), "\\N", "\\N") if m.aw_sender == "personal" else ("\\N", str(m.team_id), m.developer_id)
        )
        sender = f"{owner}\t{team}\t{dev}\t{m.host}\t"
        window_prefix = f"{sender}aw-watcher-window_{m.host}\tcurrentwindow\taw-watcher-window\t"
        afk_prefix = f"{sender}aw-watcher-afk_{m.host}\tafkstatus\taw-watcher-afk\t"
        afk_data = {True: _json({"status": "afk"}), False: _json({"status": "not-afk"})}
        window_rng, afk_rng = plan.rng(m, "windows"), plan.rng(m, "afk")
        data = [w.data for w in habits.windows]
        for day in days:
            starts, durations, chosen = windows_of_day(window_rng, habits, day)
            lines = [
                f"{window_prefix}{text(s)}\t{_seconds(d)}\t{data[c]}\n"
                for s, d, c in zip(starts, durations, chosen, strict=True)
            ]
            spans = afk_of_day(afk_rng, day)
            lines += [f"{afk_prefix}{text(s)}\t{_seconds(d)}\t{afk_data[away]}\n" for s, d, away in spans]
            yield "".join(lines), len(lines)


def heartbeat_rows(plan: Plan) -> Chunks:
    """What the editor plugin sends while the editor window has focus: a heartbeat when the
    file changes or every 2 minutes on the same file, hashed exactly as the ingest does."""
    for m, habits, days in zip(plan.members, plan.habits, plan.plans, strict=True):
        if m.wakatime != "heartbeats":
            continue
        window_rng, extra_rng = plan.rng(m, "windows"), plan.rng(m, "heartbeats")
        head = f"{m.user_id}\t"
        for day in days:
            starts, durations, chosen = windows_of_day(window_rng, habits, day)
            times: list[tuple[int, Window]] = []
            last_at, last_window = -HEARTBEAT_EVERY_MS, None
            for start, duration, pick in zip(starts, durations, chosen, strict=True):
                window = habits.windows[pick]
                if window.entity is None:
                    continue
                if window is not last_window or start - last_at >= HEARTBEAT_EVERY_MS:
                    times.append((start, window))
                    last_at, last_window = start, window
                while last_at + HEARTBEAT_EVERY_MS < start + duration:
                    last_at += HEARTBEAT_EVERY_MS
                    times.append((last_at, window))
            writes = extra_rng.random(len(times)) < 0.25
            lines_in_file = extra_rng.integers(40, 900, len(times)).tolist()
            cursor = extra_rng.random(len(times)).tolist()
            out = []
            for (at, window), is_write, lines, where in zip(times, writes.tolist(), lines_in_file, cursor, strict=True):
                lineno = 1 + int(where * lines)
                heartbeat = Heartbeat(
                    time=datetime.fromtimestamp(at / 1000, tz=UTC),
                    entity=window.entity or "",
                    type="file",
                    category="coding",
                    project=window.project,
                    branch="main",
                    language=window.language,
                    is_write=is_write,
                    lines=lines,
                    lineno=lineno,
                    cursorpos=lineno * 31 % 2000,
                    editor=habits.editor,
                    operating_system=habits.operating_system,
                    machine=m.host,
                    user_agent=habits.user_agent,
                )
                out.append(
                    f"{head}{heartbeat.time.isoformat()}\t{_copy_text(heartbeat.entity)}\tfile\tcoding"
                    f"\t{window.project}\tmain\t{window.language}\t{'t' if is_write else 'f'}\t{lines}\t{lineno}"
                    f"\t{heartbeat.cursorpos}\t{{}}\t{habits.editor}\t{habits.operating_system}\t{m.host}"
                    f"\t{habits.user_agent}\t{heartbeat.hash}\n"
                )
            yield "".join(out), len(out)


def imported_rows(plan: Plan) -> tuple[list[str], list[str]]:
    """wakatime_durations and wakatime_day_totals lines of the people who import from
    wakatime.com: editor focus joined into durations per project and language."""
    durations: list[str] = []
    totals: list[str] = []
    text = plan.clock.text
    for m, habits, days in zip(plan.members, plan.habits, plan.plans, strict=True):
        if m.wakatime != "imported":
            continue
        window_rng = plan.rng(m, "windows")
        editor_name = {"vscode": "VS Code", "pycharm": "PyCharm"}.get(habits.editor or "", habits.editor or "Other")
        for day in days:
            starts, lengths, chosen = windows_of_day(window_rng, habits, day)
            runs: list[list[Any]] = []  # [project, language, start, end]
            for start, length, pick in zip(starts, lengths, chosen, strict=True):
                window = habits.windows[pick]
                if window.entity is None:
                    continue
                run = runs[-1] if runs else None
                if run and run[0] == window.project and run[1] == window.language and start - run[3] <= IMPORT_JOIN_MS:
                    run[3] = start + length
                else:
                    runs.append([window.project, window.language, start, start + length])
            sums: dict[tuple[str, str], float] = {}
            for project, language, start, end in runs:
                seconds = (end - start) / 1000
                durations.append(f"{m.user_id}\t{day.day}\t{text(start)}\t{project}\t{language}\t{seconds:.3f}\n")
                for dimension, name in (
                    ("project", project),
                    ("language", language),
                    ("editor", editor_name),
                    ("operating_system", habits.operating_system or "Other"),
                    ("category", "Coding"),
                ):
                    sums[(dimension, name)] = sums.get((dimension, name), 0.0) + seconds
            totals += [f"{m.user_id}\t{day.day}\t{dim}\t{name}\t{secs:.3f}\n" for (dim, name), secs in sums.items()]
    return durations, totals


def device_event_rows(plan: Plan) -> Chunks:
    """The badge goes on the reader on arrival, off for lunch, on again, off when leaving."""
    clock = plan.clock
    for m, days in zip(plan.members, plan.plans, strict=True):
        delay = random.Random(f"{plan.seed}:nfc:{m.index}")
        wifi = f"Connected to Office-WiFi (-{40 + m.index % 30} dBm)"
        head = f"{m.user_id}\t{m.device_id}\t"
        lines = []
        for day in days:
            moments = [
                ("tag_insert", day.arrive),
                ("tag_removed", day.lunch_start + 60_000),
                ("tag_insert", day.lunch_end - 60_000),
                ("tag_removed", day.leave),
            ]
            if day.forgot_lunch_removal:
                del moments[1]
            for kind, at in moments:
                present = kind == "tag_insert"
                payload = {
                    "timestamp": clock.iso_z(at),
                    "event_type": kind,
                    "tag_present": present,
                    "tag_id": m.tag_id,
                    "tag_type": TAG_TYPE,
                    "wifi_status": wifi,
                    "time_status": "Synced with NTP",
                    "device_id": m.device_id,
                }
                received = clock.text(at + delay.randrange(200, 3_000))
                lines.append(
                    f"{head}{kind}\t{m.tag_id}\t{'t' if present else 'f'}\t{clock.text(at)}\t{received}"
                    f"\t{_json(payload)}\n"
                )
        yield "".join(lines), len(lines)


@dataclass(frozen=True)
class TimerRows:
    sessions: list[str]
    questions: list[str]
    states: list[str]


def timer_rows(plan: Plan, first_id: int) -> TimerRows:
    """A few sessions a week for the people who use the timer, each a run of questions at
    about the person's target pace, some with a pause; every session is finished."""
    text = plan.clock.text
    sessions: list[str] = []
    questions: list[str] = []
    states: list[str] = []
    session_id = first_id
    for m, habits, days in zip(plan.members, plan.habits, plan.plans, strict=True):
        if not m.uses_timer:
            continue
        rng = random.Random(f"{plan.seed}:timer:{m.index}")
        weeks: dict[tuple[int, int], list[DayPlan]] = {}
        for day in days:
            weeks.setdefault(day.day.isocalendar()[:2], []).append(day)
        last_end: int | None = None
        for week_days in weeks.values():
            for day in sorted(rng.sample(week_days, min(len(week_days), rng.randint(1, 4))), key=lambda d: d.arrive):
                block_start, block_end = (
                    (day.aw_on, day.lunch_start) if rng.random() < 0.5 else (day.lunch_end, day.aw_off)
                )
                at = block_start + rng.randrange(max(1, (block_end - block_start) // 2))
                started = at
                public_id = UUID(int=rng.getrandbits(128), version=4)
                index, last_q = 0, None
                for _ in range(rng.randint(3, 12)):
                    raw_ms = max(20_000, int(rng.lognormvariate(0, 0.45) * habits.target_pace_minutes * 60_000))
                    if at + raw_ms > block_end and index:
                        break
                    paused_ms = min(raw_ms - 1_000, rng.randrange(30_000, 300_000)) if rng.random() < 0.12 else 0
                    index += 1
                    last_q = (at, paused_ms)
                    questions.append(
                        f"{session_id}\t{m.user_id}\t{index}\t{text(at)}\t{text(at + raw_ms)}\t{_seconds(raw_ms)}"
                        f"\t{_seconds(raw_ms - paused_ms)}\t{_seconds(paused_ms)}\t\\N\n"
                    )
                    at += raw_ms
                assert last_q is not None
                # As EXIT leaves a session: the last question's index, start and pause counters.
                sessions.append(
                    f"{session_id}\t{public_id}\t{m.user_id}\t{habits.target_pace_minutes}\t{text(started)}\t{text(at)}"
                    f"\t{index}\t{text(last_q[0])}\t{_seconds(last_q[1])}\t\\N\n"
                )
                session_id += 1
                last_end = at
        if last_end is not None:
            states.append(f"{m.user_id}\t\\N\t{text(last_end)}\n")
    return TimerRows(sessions, questions, states)


def _lines(lines: Iterable[str]) -> Chunks:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= 5_000:
            yield "".join(batch), len(batch)
            batch = []
    if batch:
        yield "".join(batch), len(batch)


# -- loading ----------------------------------------------------------------------------------


def password_hash(seed: int) -> str:
    """One bcrypt hash of PASSWORD for every account (bcrypt per account would take minutes),
    with a salt from the seed so the same seed gives the same rows."""
    alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    rng = random.Random(f"{seed}:salt")
    # The 22nd character carries only 2 bits of the 128-bit salt: pick one whose rest is zero.
    salt = "".join(rng.choice(alphabet) for _ in range(21)) + rng.choice(".Oeu")
    return bcrypt.hashpw(PASSWORD.encode(), f"$2b${BCRYPT_ROUNDS:02d}${salt}".encode()).decode()


MARKER = """
create schema if not exists bench;
revoke all on schema bench from public;
create table if not exists bench.dataset (
  only_one boolean primary key default true check (only_one),
  scale double precision not null,
  seed integer not null,
  first_day date not null,
  last_day date not null,
  info jsonb not null,
  created_at timestamptz not null default now()
)
"""

LOADED_TABLES = (
    "auth.users",
    "public.tracker_profiles",
    "public.teams",
    "public.team_members",
    "public.developers",
    "public.devices",
    "public.tags",
    "public.heartbeat_settings",
    "public.aw_events",
    "public.heartbeats",
    "public.wakatime_durations",
    "public.wakatime_day_totals",
    "public.device_events",
    "public.timer_sessions",
    "public.timer_questions",
    "public.timer_state",
)


# The tables that get millions of rows at scale 1.
BULK_TABLES = ("public.aw_events", "public.heartbeats", "public.device_events")
# (drop, create again) for the unique and foreign keys and the indexes of those tables but
# their primary keys; foreign keys last, after the indexes their checks can use.
SET_ASIDE = """
select drop_it, create_it from (
  select 'alter table ' || c.conrelid::regclass || ' drop constraint ' || quote_ident(c.conname) as drop_it,
         'alter table ' || c.conrelid::regclass || ' add constraint ' || quote_ident(c.conname) || ' '
           || pg_get_constraintdef(c.oid) as create_it,
         case c.contype when 'f' then 2 else 1 end as phase
  from pg_constraint c
  where c.conrelid = any(%(tables)s::regclass[]) and c.contype in ('u', 'f')
  union all
  select 'drop index ' || i.indexrelid::regclass, pg_get_indexdef(i.indexrelid), 1
  from pg_index i
  where i.indrelid = any(%(tables)s::regclass[]) and not i.indisprimary
    and not exists (select from pg_constraint c where c.conindid = i.indexrelid)
) s order by phase, create_it
"""


def stored_info(dsn: str) -> DatasetInfo | None:
    """The dataset already loaded into this database, if any."""
    with psycopg.connect(dsn) as conn:
        if _scalar(conn.cursor(), "select to_regclass('bench.dataset')") is None:
            return None
        row = conn.execute("select info from bench.dataset").fetchone()
    return DatasetInfo.from_json(row[0]) if row else None


def _edited_migrations(dsn: str) -> list[str]:
    """Applied migrations whose file has changed since (new ones are simply applied)."""
    current = {m.name: m.checksum for m in migrate.load()}
    with psycopg.connect(dsn) as conn:
        applied = conn.execute("select name, checksum from internal.schema_migrations order by name").fetchall()
    return [name for name, checksum in applied if name in current and current[name] != checksum]


def _scalar(cur: psycopg.Cursor[Any], query: str) -> Any:
    row = cur.execute(query).fetchone()
    assert row is not None
    return row[0]


def _copy(cur: psycopg.Cursor[Any], statement: str, chunks: Iterable[tuple[str, int]]) -> int:
    rows = 0
    with cur.copy(statement) as copy:
        for text, count in chunks:
            copy.write(text)
            rows += count
    return rows


def load(
    dsn: str,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    *,
    start: date = DEFAULT_START,
    weeks: int = DEFAULT_WEEKS,
    report: Callable[[str], None] = print,
) -> DatasetInfo:
    """Apply the migrations to the database at `dsn` (a superuser or BYPASSRLS owner) and
    load the dataset, unless this exact one is there already. Returns what was loaded.

    Raises DatasetMismatch if the database holds a dataset of another scale, seed or period.
    """
    migrate.apply_all(dsn)
    days = working_days(start, weeks)
    existing = stored_info(dsn)
    if existing is not None:
        wanted = (scale, seed, days[0], days[-1])
        if (existing.scale, existing.seed, existing.first_day, existing.last_day) != wanted:
            raise DatasetMismatch(
                f"the database already holds the dataset of scale {existing.scale}, seed {existing.seed},"
                f" {existing.first_day}..{existing.last_day}; load this one into another database or data dir"
            )
        edited = _edited_migrations(dsn)
        if edited:
            raise DatasetMismatch(
                f"migrations edited since the dataset was loaded: {', '.join(edited)}; the database no longer has"
                " the schema in sql/: load the dataset into a fresh database or data dir"
            )
        report(f"dataset already loaded (scale {scale}, seed {seed}): nothing to generate")
        return existing

    began = time.perf_counter()
    plan = Plan.build(scale, seed, start, weeks)
    timings: dict[str, tuple[int, float]] = {}
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        if not _scalar(cur, "select rolsuper or rolbypassrls from pg_roles where rolname = current_user"):
            raise PermissionError("loading needs a superuser or BYPASSRLS role: the tables FORCE row level security")
        # Off, not merely bypassed: were any policy to apply after all, COPY fails instead of
        # silently loading a filtered dataset.
        cur.execute("set local row_security = off")
        cur.execute(MARKER)

        def step(table: str, statement: str, chunks: Iterable[tuple[str, int]], made_by_triggers: int = 0) -> None:
            started = time.perf_counter()
            rows = _copy(cur, statement, chunks)
            seconds = time.perf_counter() - started
            timings[table] = (rows + made_by_triggers, seconds)
            rate = rows / seconds if seconds else 0
            report(f"  {table:<20} {rows:>11,} rows {seconds:>8.1f} s {rate:>10,.0f} rows/s")

        # Like pg_restore: rows first, then indexes and keys, each built once over the loaded
        # rows, several times cheaper than growing them a row at a time (and a foreign key
        # checked by one join instead of a trigger and a row lock per row). Rebuilding them
        # checks every unique and foreign key, so a generator bug still fails the load. The
        # definitions are read back from the catalog, whatever the migrations made them; it
        # all happens in this transaction, so a failed load leaves the schema as it was.
        cur.execute("set local maintenance_work_mem = '512MB'")
        set_aside = cur.execute(SET_ASIDE, {"tables": list(BULK_TABLES)}).fetchall()
        for drop, _ in set_aside:
            cur.execute(drop)

        report(f"generating scale {scale} (seed {seed}): {len(plan.members)} people in {len(plan.team_ids)} teams,")
        report(f"  {len(days)} working days {days[0]}..{days[-1]}")
        # Each account's profile comes from the sign-up trigger; name and zone as the profile page sets them.
        step(
            "auth.users",
            "copy auth.users (id, email, encrypted_password, raw_user_meta_data, email_confirmed_at,"
            " last_sign_in_at, created_at, updated_at) from stdin",
            user_rows(plan, password_hash(seed)),
        )
        cur.execute("create temp table dataset_profiles (id uuid, display_name text, timezone text, at timestamptz)")
        _copy(cur, "copy dataset_profiles from stdin", profile_rows(plan))
        cur.execute(
            "update public.tracker_profiles p set display_name = t.display_name, timezone = t.timezone,"
            " created_at = t.at, updated_at = t.at from dataset_profiles t where p.id = t.id"
        )
        cur.execute("drop table dataset_profiles")
        timings["profiles"] = (len(plan.members), 0.0)
        # The owner's membership comes from the teams trigger, as when a person creates a team.
        step("teams", "copy public.teams (id, name, created_by, created_at) from stdin", team_rows(plan))
        cur.execute(
            "update public.team_members m set added_at = t.created_at from public.teams t"
            " where m.team_id = t.id and m.user_id = t.created_by and t.id = any(%s)",
            (plan.team_ids,),
        )
        step(
            "team_members",
            "copy public.team_members (team_id, user_id, role, added_at) from stdin",
            member_rows(plan),
            made_by_triggers=len(plan.team_ids),
        )
        step(
            "developers",
            "copy public.developers (team_id, developer_id, display_name, email_sha256, user_id, created_at)"
            " from stdin",
            developer_rows(plan),
        )
        step(
            "devices",
            "copy public.devices (owner_id, device_id, name, key_hash, key_hint, created_at) from stdin",
            device_rows(plan),
        )
        step("tags", "copy public.tags (owner_id, tag_id, label, updated_at) from stdin", tag_rows(plan))
        step(
            "heartbeat_settings",
            "copy public.heartbeat_settings (owner_id, key_hash, key_hint, key_created_at, timeout_minutes,"
            " updated_at) from stdin",
            heartbeat_setting_rows(plan),
        )
        step(
            "aw_events",
            "copy public.aw_events (owner_id, team_id, developer_id, host, bucket_id, bucket_type, client,"
            " started_at, duration, data) from stdin",
            aw_rows(plan),
        )
        step(
            "heartbeats",
            "copy public.heartbeats (owner_id, time, entity, type, category, project, branch, language, is_write,"
            " lines, lineno, cursorpos, dependencies, editor, operating_system, machine, user_agent, hash)"
            " from stdin",
            heartbeat_rows(plan),
        )
        durations, totals = imported_rows(plan)
        step(
            "wakatime_durations",
            "copy public.wakatime_durations (owner_id, day, started_at, project, language, duration_seconds)"
            " from stdin",
            _lines(durations),
        )
        step(
            "wakatime_day_totals",
            "copy public.wakatime_day_totals (owner_id, day, dimension, name, seconds) from stdin",
            _lines(totals),
        )
        step(
            "device_events",
            "copy public.device_events (owner_id, device_id, event_type, tag_id, tag_present, occurred_at,"
            " received_at, payload) from stdin",
            device_event_rows(plan),
        )
        # Questions point at their sessions, so session ids are chosen here (COPY writes given
        # identity values) after any already in the table, and the sequence moved past them.
        timer = timer_rows(plan, _scalar(cur, "select coalesce(max(id), 0) + 1 from public.timer_sessions"))
        step(
            "timer_sessions",
            "copy public.timer_sessions (id, public_id, owner_id, target_pace_minutes, started_at, ended_at,"
            " current_index, question_started_at, pause_accumulated_seconds, pause_started_at) from stdin",
            _lines(timer.sessions),
        )
        cur.execute(
            "select setval(pg_get_serial_sequence('public.timer_sessions', 'id'),"
            " (select coalesce(max(id), 1) from public.timer_sessions))"
        )
        step(
            "timer_questions",
            "copy public.timer_questions (session_id, owner_id, question_index, started_at, ended_at, raw_seconds,"
            " active_seconds, pause_accumulated_seconds, pause_started_at) from stdin",
            _lines(timer.questions),
        )
        step(
            "timer_state",
            "copy public.timer_state (owner_id, active_session_id, last_event_at) from stdin",
            _lines(timer.states),
        )
        started = time.perf_counter()
        for _, create in set_aside:
            cur.execute(create)
        built = time.perf_counter() - started
        report(f"  {len(set_aside)} indexes and keys of {', '.join(BULK_TABLES)} built in {built:.1f} s")
        info = DatasetInfo(
            scale=scale,
            seed=seed,
            first_day=days[0],
            last_day=days[-1],
            password=PASSWORD,
            team_ids=tuple(plan.team_ids),
            members=tuple(plan.members),
            rows={table: rows for table, (rows, _) in timings.items()},
            seconds=time.perf_counter() - began,
        )
        cur.execute(
            "insert into bench.dataset (scale, seed, first_day, last_day, info) values (%s, %s, %s, %s, %s)",
            (scale, seed, days[0], days[-1], info.to_json()),
        )
    loaded = time.perf_counter() - began
    report(f"loaded {info.total_rows:,} rows in {loaded:.1f} s ({info.total_rows / loaded:,.0f} rows/s)")
    # VACUUM as well as ANALYZE: it sets hint bits and the visibility map now, so the first
    # benchmark run does not pay for them (and can use index-only scans) and autovacuum does
    # not start on these tables in the middle of a later measurement.
    started = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as conn:
        for table in LOADED_TABLES:
            conn.execute(f"vacuum (analyze) {table}")
    report(f"vacuum (analyze) in {time.perf_counter() - started:.1f} s")
    info = replace(info, seconds=time.perf_counter() - began)
    with psycopg.connect(dsn) as conn:
        conn.execute("update bench.dataset set info = %s", (info.to_json(),))
    return info


def ensure(
    data_dir: Path,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    *,
    start: date = DEFAULT_START,
    weeks: int = DEFAULT_WEEKS,
    report: Callable[[str], None] = print,
) -> tuple[str, DatasetInfo]:
    """The embedded database in `data_dir` (started if need be) holding this dataset,
    generated only the first time. Returns its superuser URL and the dataset. The server
    keeps running; `timetracker.db.embedded.stop(data_dir)` (or bench_env) stops it."""
    admin_url = embedded.ensure_running(data_dir)
    return admin_url, load(admin_url, scale, seed, start=start, weeks=weeks, report=report)


def print_summary(info: DatasetInfo) -> None:
    print(f"\ndataset: scale {info.scale}, seed {info.seed}, {info.first_day}..{info.last_day}")
    print(f"{'table':<28} {'rows':>12}")
    for table, rows in info.rows.items():
        print(f"{table:<28} {rows:>12,}")
    print(f"{'total':<28} {info.total_rows:>12,}")
    print(f"generated in {info.seconds:.1f} s ({info.total_rows / max(info.seconds, 1e-9):,.0f} rows/s overall)")
    heavy = info.heavy
    print(f"\n{len(info.members)} accounts, all with the password {info.password!r}")
    print(f"heavy person:  {heavy.email} ({heavy.user_id}), timezone {heavy.timezone}")
    for owner in info.owners[:3]:
        print(f"team owner:    {owner.email} (team {owner.team_id})")
    if len(info.owners) > 3:
        print(f"               ... and {len(info.owners) - 3} more owners")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 1,000 people in 20 teams")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--start", type=date.fromisoformat, default=DEFAULT_START, help="first week (a date in it)")
    parser.add_argument("--weeks", type=int, default=DEFAULT_WEEKS)
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--dsn", help="load into this database (superuser or BYPASSRLS owner)")
    target.add_argument("--data-dir", type=Path, help="embedded database kept in this folder between runs")
    parser.add_argument("--keep-running", action="store_true", help="leave the embedded server of --data-dir up")
    args = parser.parse_args()
    options = {"start": args.start, "weeks": args.weeks}
    if args.dsn:
        info = load(args.dsn, args.scale, args.seed, **options)
    elif args.data_dir:
        try:
            _, info = ensure(args.data_dir, args.scale, args.seed, **options)
        finally:
            if not args.keep_running:
                embedded.stop(args.data_dir)
    else:
        with tempfile.TemporaryDirectory(prefix="tt-dataset-") as tmp:
            try:
                _, info = ensure(Path(tmp), args.scale, args.seed, **options)
            finally:
                embedded.stop(Path(tmp))
    print_summary(info)


if __name__ == "__main__":
    main()
