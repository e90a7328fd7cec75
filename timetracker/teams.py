"""Teams: owners and admins see their members' time; members see only their own.

Joining is the invitee's choice, and the invitation must reach the right person: an address
alone proves nothing (the local auth server confirms every address at once when it has no
SMTP), so an invitation is accepted with its link, a single-use, expiring secret the inviter
hands over (or the server mails), or by an address the auth server confirmed by mail. The
rules live in SQL (policies, `internal.invite_to_team`, `internal.accept_invitation`,
`internal.accept_invitation_link`); these functions only ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode, urlsplit
from uuid import UUID

import psycopg
import structlog

from timetracker import credentials
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.emails import InvalidEmail, normalised_email
from timetracker.errors import Forbidden, Gone, InvalidInput, NotFound
from timetracker.mail import Mailer, MailError
from timetracker.storable import unstorable_text

Role = Literal["owner", "admin", "member"]
InviteOutcome = Literal["invited", "already_member"]

# Says what a leaked secret is (secret scanners, people): an invitation link's.
INVITATION_TOKEN_PREFIX = "tti_"  # noqa: S105 (a prefix, not a secret)
DEFAULT_LINK_VALIDITY = timedelta(hours=168)
# The invite URL's query: which invitation, and its secret.
LINK_TEAM_PARAMETER = "invitation"
LINK_TOKEN_PARAMETER = "token"  # noqa: S105 (a parameter name; the access log blanks its value)
MAX_TOKEN_LENGTH = 200

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Invited:
    """What inviting did. `token` is the link's secret: shown once, kept only as a digest."""

    outcome: InviteOutcome
    email: str
    token: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class SentInvitation:
    """An invitation as the inviter sees it: the link to hand over, and whether it was mailed."""

    outcome: InviteOutcome
    email: str
    url: str | None = None
    token: str | None = None
    expires_at: datetime | None = None
    mailed: bool = False


def create(db: Database, principal: Principal, name: str) -> dict[str, Any]:
    if not name.strip():
        raise InvalidInput("a team needs a name")
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            "insert into teams (name) values (%s) returning id, name, created_by, created_at", (name.strip(),)
        ).fetchone()


def list_mine(db: Database, principal: Principal) -> list[dict[str, Any]]:
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            "select t.id, t.name, t.created_at, m.role,"
            " (select count(*) from team_members c where c.team_id = t.id) as member_count"
            " from teams t join team_members m on m.team_id = t.id and m.user_id = %s order by t.name",
            (principal.user_id,),
        ).fetchall()


def members(db: Database, principal: Principal, team_id: UUID) -> list[dict[str, Any]]:
    with db.as_user(principal.db_claims) as conn:
        rows = conn.execute(
            "select m.user_id, m.role, m.added_at, p.email, p.display_name, p.timezone from team_members m"
            " left join tracker_profiles p on p.id = m.user_id where m.team_id = %s"
            " order by case m.role when 'owner' then 0 when 'admin' then 1 else 2 end, p.display_name",
            (team_id,),
        ).fetchall()
    if not rows:
        raise NotFound("no such team, or you are not in it")
    return rows


def managed_people(db: Database, principal: Principal) -> list[dict[str, Any]]:
    """The people whose time `principal` may read besides their own, by the database's own rule
    (`internal.managed_user_ids()`: members of the teams they own or administer), each once with
    the name of a team that makes them so."""
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            "select distinct on (m.user_id) m.user_id, p.email, p.display_name, t.name as team_name"
            " from team_members m join teams t on t.id = m.team_id"
            " left join tracker_profiles p on p.id = m.user_id"
            " join team_members mine on mine.team_id = m.team_id and mine.user_id = auth.uid()"
            "  and mine.role in ('owner', 'admin')"
            " where m.user_id in (select internal.managed_user_ids()) and m.user_id <> auth.uid()"
            " order by m.user_id, t.name"
        ).fetchall()


def invitations(db: Database, principal: Principal, team_id: UUID) -> list[dict[str, Any]]:
    """Pending invitations of a team (admins), with when each one's link stops working."""
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            "select i.email, i.role, i.created_at, l.expires_at as link_expires_at from team_invitations i"
            " left join invitation_links l on l.team_id = i.team_id and l.email = i.email and l.used_at is null"
            " where i.team_id = %s order by i.created_at",
            (team_id,),
        ).fetchall()


def checked_email(email: str) -> str:
    """The address as stored, or InvalidInput: an invitation to an address nobody can sign up
    with would wait forever, and one with bidi or format characters would spoof the lists."""
    try:
        return normalised_email(email)
    except InvalidEmail as exc:
        raise InvalidInput(f"Not an email address: {exc}") from exc


def invite(
    db: Database,
    principal: Principal,
    team_id: UUID,
    email: str,
    role: Role = "member",
    *,
    link_valid_for: timedelta = DEFAULT_LINK_VALIDITY,
) -> Invited:
    """'invited' with a fresh link (pending until they accept; an older unused link stops
    working), or 'already_member'. Never joins anyone by itself."""
    email = checked_email(email)
    issued = credentials.issue(INVITATION_TOKEN_PREFIX)
    try:
        with db.as_user(principal.db_claims) as conn:
            outcome = conn.execute(
                "select internal.invite_to_team(%s, %s, %s, %s, %s) as outcome",
                (team_id, email, role, issued.digest, link_valid_for),
            ).fetchone()["outcome"]
            if outcome != "invited":
                return Invited(outcome, email)
            expires_at = conn.execute(
                "select expires_at from invitation_links where team_id = %s and email = %s and used_at is null",
                (team_id, email),
            ).fetchone()["expires_at"]
    except psycopg.errors.InsufficientPrivilege as exc:
        raise Forbidden("only a team owner or admin can invite") from exc
    except psycopg.errors.InvalidParameterValue as exc:
        raise InvalidInput("role must be admin or member, and a link valid for up to 90 days") from exc
    return Invited(outcome, email, issued.plaintext, expires_at)


def invite_url(dashboard_base_url: str, team_id: UUID, token: str) -> str:
    """Where the link takes the invitee: the dashboard, which keeps the link through a login and
    shows Teams, where accepting is one click. Its front page, not /teams: logged out, the
    dashboard has no Teams page and would answer "page not found"."""
    query = urlencode({LINK_TEAM_PARAMETER: str(team_id), LINK_TOKEN_PARAMETER: token})
    return f"{dashboard_base_url.rstrip('/')}/?{query}"


def link_parts(link: str) -> tuple[UUID, str]:
    """The team and the secret of an invite URL someone pasted; InvalidInput when it is not one."""
    query = parse_qs(urlsplit(link.strip()).query)
    teams_found, tokens_found = query.get(LINK_TEAM_PARAMETER, []), query.get(LINK_TOKEN_PARAMETER, [])
    try:
        if len(teams_found) != 1 or len(tokens_found) != 1:
            raise ValueError
        return UUID(teams_found[0]), tokens_found[0]
    except ValueError as exc:
        raise InvalidInput("That is not an invitation link: paste the whole link you were sent.") from exc


def invitation_mail(
    team_name: str, inviter: str, role: str, email: str, url: str, expires_at: datetime
) -> tuple[str, str]:
    """Subject and body of an invitation mail."""
    name = " ".join(team_name.split())
    subject = f"{inviter} invites you to {name} on Time Tracker"
    body = (
        f"{inviter} invites you to join the team {name} as {role} on Time Tracker.\n"
        "Once you accept, its owner and admins see all of your time.\n\n"
        f"To accept, log in (or sign up) with this address, {email}, and open this link:\n\n{url}\n\n"
        f"It works once, until {expires_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC. If you do not want to join, "
        "ignore this mail.\n"
    )
    return subject, body


def send_invitation(
    db: Database,
    principal: Principal,
    team_id: UUID,
    email: str,
    role: Role = "member",
    *,
    dashboard_base_url: str,
    link_valid_for: timedelta,
    mailer: Mailer | None,
) -> SentInvitation:
    """Invite, and hand back the link; with a mailer, also mail it to the address. A mail that
    cannot be sent does not undo the invitation: the inviter still has the link to pass on."""
    invited = invite(db, principal, team_id, email, role, link_valid_for=link_valid_for)
    if invited.token is None or invited.expires_at is None:
        return SentInvitation(invited.outcome, invited.email)
    url = invite_url(dashboard_base_url, team_id, invited.token)
    mailed = False
    if mailer is not None:
        team_name, inviter = _team_and_inviter(db, principal, team_id)
        subject, body = invitation_mail(team_name, inviter, role, invited.email, url, invited.expires_at)
        try:
            mailer.send(invited.email, subject, body)
            mailed = True
        except MailError:
            log.warning("teams.invitation_not_mailed", team_id=str(team_id))
    return SentInvitation(invited.outcome, invited.email, url, invited.token, invited.expires_at, mailed)


def _team_and_inviter(db: Database, principal: Principal, team_id: UUID) -> tuple[str, str]:
    with db.as_user(principal.db_claims) as conn:
        row = conn.execute(
            "select t.name, p.email, p.display_name from teams t, tracker_profiles p where t.id = %s and p.id = %s",
            (team_id, principal.user_id),
        ).fetchone()
    name = (row["display_name"] or "").strip()
    inviter = f"{name} ({row['email']})" if name and name != row["email"] else row["email"]
    return row["name"], inviter


def email_is_proven(db: Database, principal: Principal) -> bool:
    """Whether the auth server confirmed the caller's address by mail (then invitations to it
    are accepted without their link)."""
    with db.as_user(principal.db_claims) as conn:
        return conn.execute("select internal.my_email_is_proven() as proven").fetchone()["proven"]


def my_invitations(db: Database, principal: Principal) -> list[dict[str, Any]]:
    """Invitations waiting for the caller (to the email they are logged in with), oldest first."""
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            "select i.team_id, t.name as team_name, i.role, i.created_at,"
            " p.email as invited_by_email, p.display_name as invited_by_name"
            " from team_invitations i join teams t on t.id = i.team_id"
            " left join tracker_profiles p on p.id = i.invited_by"
            " where i.email = internal.my_email() order by i.created_at, t.name"
        ).fetchall()


def accept(db: Database, principal: Principal, team_id: UUID, token: str | None = None) -> Role:
    """Join the team the caller was invited to, with the role in the invitation: with the
    invitation's link (`token`), or without it when the caller's address is proven."""
    if token is None:
        return _accept_by_address(db, principal, team_id)
    token = token.strip()
    if not token or len(token) > MAX_TOKEN_LENGTH or unstorable_text(token):
        raise InvalidInput("That is not an invitation link's token.")
    with db.as_user(principal.db_claims) as conn:
        row = conn.execute(
            "select outcome, joined_role from internal.accept_invitation_link(%s, %s)",
            (team_id, credentials.digest(token)),
        ).fetchone()
    if row["outcome"] == "joined":
        return row["joined_role"]
    if row["outcome"] == "used":
        raise Gone("This invitation link has already been used.", code="invitation_link_used")
    if row["outcome"] == "expired":
        raise Gone(
            "This invitation link has expired: ask the team's owner or an admin to invite you again.",
            code="invitation_link_expired",
        )
    raise NotFound(
        "This invitation link is not valid for the address you are logged in with: log in with the address"
        " it was sent to. (A link stops working when a newer one is made, or the invitation is withdrawn.)"
    )


def _accept_by_address(db: Database, principal: Principal, team_id: UUID) -> Role:
    try:
        with db.as_user(principal.db_claims) as conn:
            return conn.execute("select internal.accept_invitation(%s) as role", (team_id,)).fetchone()["role"]
    except psycopg.errors.NoDataFound as exc:
        raise NotFound("no pending invitation to this team for you") from exc
    except psycopg.errors.InsufficientPrivilege as exc:
        raise Forbidden(
            "Accepting needs the invitation link you were sent: your address is not confirmed by mail,"
            " so it alone does not show the invitation is yours.",
            code="invitation_link_required",
        ) from exc


def decline(db: Database, principal: Principal, team_id: UUID) -> None:
    """Refuse an invitation; the team's admins may invite again later."""
    with db.as_user(principal.db_claims) as conn:
        cur = conn.execute(
            "delete from team_invitations where team_id = %s and email = internal.my_email()", (team_id,)
        )
    if cur.rowcount != 1:
        raise NotFound("no pending invitation to this team for you")


def set_role(db: Database, principal: Principal, team_id: UUID, user_id: UUID, role: Role) -> None:
    if role == "owner":
        raise InvalidInput("ownership cannot be handed over here")
    with db.as_user(principal.db_claims) as conn:
        cur = conn.execute(
            "update team_members set role = %s where team_id = %s and user_id = %s", (role, team_id, user_id)
        )
    if cur.rowcount != 1:
        raise Forbidden("only a team owner or admin can change a member's role (not the owner's)")


def remove_member(db: Database, principal: Principal, team_id: UUID, user_id: UUID) -> None:
    with db.as_user(principal.db_claims) as conn:
        cur = conn.execute("delete from team_members where team_id = %s and user_id = %s", (team_id, user_id))
    if cur.rowcount != 1:
        raise Forbidden("you cannot remove this member")
