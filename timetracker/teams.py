"""Teams: owners and admins see their members' time; members see only their own.

Joining is the invitee's choice: an invitation waits until the person with that email
accepts it. The rules live in SQL (policies, `internal.invite_to_team`,
`internal.accept_invitation`); these functions only ask.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

import psycopg

from timetracker.auth.local_server import EMAIL_PATTERN
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import Forbidden, InvalidInput, NotFound
from timetracker.storable import unstorable_text

Role = Literal["owner", "admin", "member"]
InviteOutcome = Literal["invited", "already_member"]


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
            " left join profiles p on p.id = m.user_id where m.team_id = %s"
            " order by case m.role when 'owner' then 0 when 'admin' then 1 else 2 end, p.display_name",
            (team_id,),
        ).fetchall()
    if not rows:
        raise NotFound("no such team, or you are not in it")
    return rows


def invitations(db: Database, principal: Principal, team_id: UUID) -> list[dict[str, Any]]:
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            "select email, role, created_at from team_invitations where team_id = %s order by created_at", (team_id,)
        ).fetchall()


def invite(db: Database, principal: Principal, team_id: UUID, email: str, role: Role = "member") -> InviteOutcome:
    """'invited' (pending until they accept), or 'already_member'. Never joins anyone by itself."""
    email = email.strip()
    # The same rule sign-up applies: an invitation to an address nobody can sign up with
    # would wait forever (and "@x" would break the table's CHECK, a 500; text Postgres cannot hold, psycopg's).
    if unstorable_text(email) or not EMAIL_PATTERN.match(email.lower()):
        raise InvalidInput(f"{email!r} is not an email address")
    try:
        with db.as_user(principal.db_claims) as conn:
            return conn.execute(
                "select internal.invite_to_team(%s, %s, %s) as outcome", (team_id, email, role)
            ).fetchone()["outcome"]
    except psycopg.errors.InsufficientPrivilege as exc:
        raise Forbidden("only a team owner or admin can invite") from exc
    except psycopg.errors.InvalidParameterValue as exc:
        raise InvalidInput("role must be admin or member") from exc


def my_invitations(db: Database, principal: Principal) -> list[dict[str, Any]]:
    """Invitations waiting for the caller (to the email they are logged in with), oldest first."""
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            "select i.team_id, t.name as team_name, i.role, i.created_at,"
            " p.email as invited_by_email, p.display_name as invited_by_name"
            " from team_invitations i join teams t on t.id = i.team_id"
            " left join profiles p on p.id = i.invited_by"
            " where i.email = internal.my_email() order by i.created_at, t.name"
        ).fetchall()


def accept(db: Database, principal: Principal, team_id: UUID) -> Role:
    """Join the team the caller was invited to, with the role in the invitation."""
    try:
        with db.as_user(principal.db_claims) as conn:
            return conn.execute("select internal.accept_invitation(%s) as role", (team_id,)).fetchone()["role"]
    except psycopg.errors.NoDataFound as exc:
        raise NotFound("no pending invitation to this team for you") from exc


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
