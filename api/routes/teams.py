from datetime import UTC, datetime, timedelta
from uuid import UUID

from fastapi import APIRouter

from api.deps import CurrentUser, DbDep, RecentLoginOrApiToken, RuntimeDep
from api.routes.projects import summary_groups
from api.routes.time import FirstDay, LastDay, day_times, label_totals, viewer_days
from api.schemas import (
    Accepted,
    AcceptInvitation,
    Invitation,
    Invite,
    InviteOutcome,
    MemberTime,
    PendingInvitation,
    PresenceItem,
    RoleChange,
    Team,
    TeamCreate,
    TeamMember,
    TeamTime,
)
from timetracker import teams
from timetracker.reports import summary, team_time

teams_router = APIRouter(prefix="/api/v1/teams", tags=["teams"])
# The invitee's side: invitations to the email you are logged in with, to accept or decline.
invitations_router = APIRouter(prefix="/api/v1/invitations", tags=["teams"])


@teams_router.post("", status_code=201, response_model=Team, summary="Create a team you own")
def create_team(body: TeamCreate, user: RecentLoginOrApiToken, db: DbDep) -> Team:
    return Team(**teams.create(db, user, body.name), role="owner", member_count=1)


@teams_router.get("", response_model=list[Team], summary="Teams you belong to, with your role")
def list_teams(user: CurrentUser, db: DbDep) -> list[Team]:
    return [Team(**row) for row in teams.list_mine(db, user)]


@teams_router.get("/{team_id}/members", response_model=list[TeamMember], summary="Members of a team you are in")
def list_members(team_id: UUID, user: CurrentUser, db: DbDep) -> list[TeamMember]:
    return [TeamMember(**row) for row in teams.members(db, user, team_id)]


@teams_router.post(
    "/{team_id}/members", status_code=201, response_model=InviteOutcome, summary="Invite by email (joins on accepting)"
)
def invite_member(team_id: UUID, body: Invite, user: RecentLoginOrApiToken, runtime: RuntimeDep) -> InviteOutcome:
    sent = teams.send_invitation(
        runtime.db,
        user,
        team_id,
        body.email,
        body.role,
        dashboard_base_url=runtime.settings.dashboard_base_url,
        link_valid_for=timedelta(hours=runtime.settings.invitation_ttl_hours),
        mailer=runtime.mailer,
    )
    return InviteOutcome(
        outcome=sent.outcome, invite_url=sent.url, token=sent.token, expires_at=sent.expires_at, mailed=sent.mailed
    )


@teams_router.patch("/{team_id}/members/{user_id}", status_code=204, summary="Make a member admin or member")
def change_role(team_id: UUID, user_id: UUID, body: RoleChange, user: RecentLoginOrApiToken, db: DbDep) -> None:
    teams.set_role(db, user, team_id, user_id, body.role)


@teams_router.delete("/{team_id}/members/{user_id}", status_code=204, summary="Remove a member (or leave)")
def remove_member(team_id: UUID, user_id: UUID, user: CurrentUser, db: DbDep) -> None:
    teams.remove_member(db, user, team_id, user_id)


@teams_router.get("/{team_id}/invitations", response_model=list[Invitation], summary="Pending invitations (admins)")
def list_invitations(team_id: UUID, user: CurrentUser, db: DbDep) -> list[Invitation]:
    return [Invitation(**row) for row in teams.invitations(db, user, team_id)]


@teams_router.get("/{team_id}/time", response_model=TeamTime, summary="Each member's time, counted once (admins)")
def get_team_time(
    team_id: UUID,
    user: CurrentUser,
    db: DbDep,
    start: FirstDay = None,
    end: LastDay = None,
) -> TeamTime:
    tz, start, end = viewer_days(db, user, start, end)
    members = team_time.team_time(db, user, team_id, start, end, tz)
    return TeamTime(
        team_id=team_id,
        timezone=tz.key,
        start=start,
        end=end,
        tracked_seconds=sum(m.time.tracked_seconds for m in members),
        members=[
            MemberTime(
                user_id=m.member.user_id,
                display_name=m.member.display_name,
                role=m.member.role,
                tracked_seconds=m.time.tracked_seconds,
                days=day_times(m.time),
                top_labels=label_totals(m.top_labels()),
                projects=summary_groups(summary.person_groups(m.time, "project")),
            )
            for m in members
        ],
    )


@teams_router.get("/{team_id}/presence", response_model=list[PresenceItem], summary="Who is in now (admins)")
def get_presence(team_id: UUID, user: CurrentUser, db: DbDep) -> list[PresenceItem]:
    return [PresenceItem(**vars(item)) for item in team_time.presence(db, user, team_id, datetime.now(UTC))]


@invitations_router.get("", response_model=list[PendingInvitation], summary="Invitations waiting for you")
def my_invitations(user: CurrentUser, db: DbDep) -> list[PendingInvitation]:
    pending = teams.my_invitations(db, user)
    needs_link = bool(pending) and not teams.email_is_proven(db, user)
    return [PendingInvitation(**row, needs_link=needs_link) for row in pending]


@invitations_router.post(
    "/{team_id}/accept", response_model=Accepted, summary="Accept with the invitation link's token: join the team"
)
def accept_invitation(
    team_id: UUID, user: RecentLoginOrApiToken, db: DbDep, body: AcceptInvitation | None = None
) -> Accepted:
    return Accepted(team_id=team_id, role=teams.accept(db, user, team_id, body.token if body else None))


@invitations_router.delete("/{team_id}", status_code=204, summary="Decline an invitation")
def decline_invitation(team_id: UUID, user: CurrentUser, db: DbDep) -> None:
    teams.decline(db, user, team_id)


# One router for api.main to include, as before.
router = APIRouter()
router.include_router(teams_router)
router.include_router(invitations_router)
