"""Teams page and team time: nobody joins without accepting on this page, with the invitation's
link (shown once to the inviter) unless the address is confirmed by mail; an admin sees a
member's time, the member never sees the admin's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import charts_json, codes, show_dates, table
from tests.utils.devices import BASE_TIME, device_event, post_event, register_device
from tests.utils.teams import invite
from tests.utils.users import TestUser
from timetracker import profiles, teams
from timetracker.errors import Forbidden
from timetracker.reports import person_time
from timetracker.runtime import Runtime

DAY = BASE_TIME.date()


def record_hour(http: httpx.Client, user: TestUser, label: str) -> None:
    """One hour of NFC time on DAY under `label`, posted by the user's own reader."""
    device = register_device(http, user)
    http.put("/api/v1/tags", json={"labels": {"dd 54 2a 83": label}}, headers=user.headers).raise_for_status()
    post_event(http, device, device_event(device.device_id))
    post_event(http, device, device_event(device.device_id, 3600, event_type="tag_removed"))


def managed_team_keys(at: AppTest) -> list[str]:
    """The ids of the teams whose invite form the page shows (only to owners and admins)."""
    return [box.key.split(":", 1)[1] for box in at.text_input if box.key and box.key.startswith("invite_email:")]


def managed_team_key(at: AppTest) -> str:
    [key] = managed_team_keys(at)
    return key


def invite_links(at: AppTest) -> list[str]:
    """The invitation links the page shows (once) in code blocks."""
    return [value for value in codes(at) if "/?invitation=" in value]


def create_team_and_invite(at: AppTest, team_name: str, email: str) -> str:
    """Create a team and invite `email`; the invitation waits for their answer. The link shown."""
    at.switch_page("components/teams.py").run()
    at.text_input(key="new_team_name").input(team_name)
    at.button(key="FormSubmitter:new_team-Create team").click().run()
    assert [toast.value for toast in at.toast] == [f"Created {team_name}; you are its owner"]
    team_key = managed_team_key(at)
    at.text_input(key=f"invite_email:{team_key}").input(email)
    at.button(key=f"FormSubmitter:invite:{team_key}-Invite").click().run()
    assert not at.exception, at.exception
    assert [toast.value for toast in at.toast] == [
        f"Invited {email}: send them the link below. They join {team_name} once they accept"
    ]
    [link] = invite_links(at)
    return link


def open_link(at: AppTest, link: str) -> AppTest:
    """The invitee's dashboard opened at `link` (the browser goes to the link's address)."""
    at.query_params = {name: values[0] for name, values in parse_qs(urlsplit(link).query).items()}
    at.run()
    assert not at.exception, at.exception
    return at


def accept_opened_link(at: AppTest) -> list[str]:
    at.button(key="accept_opened_link").click().run()
    assert not at.exception, at.exception
    return [toast.value for toast in at.toast]


def answer_invitation(at: AppTest, answer: str) -> list[str]:
    """Press Accept or Decline on the only invitation on the invitee's Teams page; the toasts."""
    at.switch_page("components/teams.py").run()
    [button] = [b for b in at.button if b.key and b.key.startswith(f"{answer}_invitation:")]
    button.click().run()
    assert not at.exception, at.exception
    return [toast.value for toast in at.toast]


def form_team(dashboard: Callable[[TestUser], AppTest], lead: TestUser, team_name: str, member: TestUser) -> AppTest:
    """The lead's Teams page after `member` accepted the lead's invitation."""
    at = dashboard(lead)
    link = create_team_and_invite(at, team_name, member.email)
    assert accept_opened_link(open_link(dashboard(member), link)) == [f"You joined {team_name} as member"]
    at.run()
    return at


def test_admin_sees_member_time_and_member_does_not_see_admin_time(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, bob: TestUser, http: httpx.Client, runtime: Runtime
) -> None:
    record_hour(http, alice, "Alice's secret project")
    record_hour(http, bob, "Bob's project")

    owner = form_team(dashboard, alice, "Apollo", bob)
    members = table(owner, "role")
    assert members[["email", "role"]].to_dict("records") == [
        {"email": alice.email, "role": "owner"},
        {"email": bob.email, "role": "member"},
    ]

    owner.switch_page("components/my_time.py").run()
    whose = owner.selectbox(key="whose_time")
    bob_name = profiles.get(runtime.db, bob.principal)["display_name"]
    assert whose.options == ["Me", f"{bob_name} · {bob.email} (Apollo)"]
    whose.set_value(str(bob.id)).run()
    show_dates(owner, DAY, DAY)
    assert "Bob's project" in charts_json(owner)
    assert "Alice's secret project" not in charts_json(owner)
    # The per-source panels read the viewer's own data, so they are not drawn under Bob's time.
    assert any("show only your own time" in caption.value for caption in owner.caption)
    assert "Coding time" not in [header.value for header in owner.subheader]
    assert table(owner, "all dates").loc[0].to_dict() == {
        "label": "Bob's project",
        "source": "NFC",
        "all dates": "1:00",
    }

    member = dashboard(bob)
    assert "whose_time" not in [box.key for box in member.selectbox]
    show_dates(member, DAY, DAY)
    assert "Alice's secret project" not in charts_json(member)
    # And not by asking the core directly either.
    window = (DAY - timedelta(days=1), DAY + timedelta(days=1))
    with pytest.raises(Forbidden):
        person_time.read(runtime.db, bob.principal, *window, ZoneInfo("UTC"), owner_id=alice.id)


def test_owner_changes_a_role_and_removes_a_member(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, bob: TestUser
) -> None:
    at = form_team(dashboard, alice, "Gemini", bob)
    team_key = managed_team_key(at)

    at.selectbox(key=f"member_role:{team_key}").select("admin")
    at.button(key=f"set_role:{team_key}").click().run()
    assert table(at, "role").set_index("email").loc[bob.email, "role"] == "admin"

    assert at.button(key=f"remove:{team_key}").disabled
    at.checkbox(key=f"remove_confirm:{team_key}").check().run()
    at.button(key=f"remove:{team_key}").click().run()
    assert [toast.value for toast in at.toast] == [f"Removed {bob.email} from Gemini"]
    assert table(at, "role")["email"].tolist() == [alice.email]
    at.switch_page("components/my_time.py").run()
    assert "whose_time" not in [box.key for box in at.selectbox]


def test_a_member_cannot_manage_the_team(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, bob: TestUser
) -> None:
    form_team(dashboard, alice, "Mercury", bob)
    at = dashboard(bob)
    at.switch_page("components/teams.py").run()
    assert table(at, "role")["role"].tolist() == ["owner", "member"]
    assert managed_team_keys(at) == []


def test_a_lead_sees_each_members_time_this_week(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, bob: TestUser, http: httpx.Client, runtime: Runtime
) -> None:
    # Bob's hour ends an hour ago; the lead's timezone is one where that hour is inside this local week
    # (in UTC it is not on a Monday before 02:00; then it is in UTC+12, where it is already later).
    now = datetime.now(UTC)
    lead_zone = next(
        zone
        for zone in ("UTC", "Etc/GMT-12")
        if not (now.astimezone(ZoneInfo(zone)).weekday() == 0 and now.astimezone(ZoneInfo(zone)).hour < 2)
    )
    profiles.update(runtime.db, alice.principal, timezone=lead_zone)
    device = register_device(http, bob)
    start = (now - timedelta(hours=2) - BASE_TIME).total_seconds()
    post_event(http, device, device_event(device.device_id, start))
    post_event(http, device, device_event(device.device_id, start + 3600, event_type="tag_removed"))

    lead = form_team(dashboard, alice, "Vostok", bob)
    week = table(lead, "role").set_index("email")["this week"]
    assert week.to_dict() == {alice.email: "0:00", bob.email: "1:00"}

    member = dashboard(bob)
    member.switch_page("components/teams.py").run()
    assert "this week" not in table(member, "role").columns


def test_an_invitation_waits_for_the_invitee_and_can_be_declined(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, bob: TestUser, http: httpx.Client
) -> None:
    record_hour(http, bob, "Bob's private project")
    owner = dashboard(alice)
    create_team_and_invite(owner, "Voskhod", bob.email)
    # Invited is not joined: the owner sees neither bob in the team nor his time.
    assert table(owner, "role")["email"].tolist() == [alice.email]
    owner.switch_page("components/my_time.py").run()
    assert "whose_time" not in [box.key for box in owner.selectbox]

    invitee = dashboard(bob)
    invitee.switch_page("components/teams.py").run()
    prompt = " ".join(block.value for block in invitee.markdown)
    assert "Voskhod" in prompt and alice.email in prompt and "see all of your time" in prompt
    assert answer_invitation(invitee, "decline") == ["Declined the invitation to Voskhod"]
    assert not [b for b in invitee.button if b.key and b.key.startswith("accept_invitation:")]

    owner.switch_page("components/teams.py").run()
    assert table(owner, "role")["email"].tolist() == [alice.email]


def test_the_invitation_link_is_shown_once_and_opening_it_makes_accepting_one_click(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, bob: TestUser
) -> None:
    owner = dashboard(alice)
    link = create_team_and_invite(owner, "Soyuz", bob.email)
    assert link.startswith("http://localhost:8501/?invitation=")
    assert any("stored only as a hash" in warning.value for warning in owner.warning)
    owner.button(key=f"dismiss:invite_link:{managed_team_key(owner)}").click().run()
    assert invite_links(owner) == []  # shown once, like every secret
    assert "link until" in " ".join(caption.value for caption in owner.caption)

    invitee = open_link(dashboard(bob), link)
    # Whichever page the link landed on, the invitee is on Teams, and the secret left the address bar.
    assert invitee.title[0].value == "Teams"
    assert "token" not in invitee.query_params and "invitation" not in invitee.query_params
    assert "Soyuz" in " ".join(block.value for block in invitee.markdown)
    assert accept_opened_link(invitee) == ["You joined Soyuz as member"]
    assert table(invitee, "role")["email"].tolist() == [alice.email, bob.email]
    assert [button.key for button in invitee.button if button.key == "accept_opened_link"] == []


def test_without_the_link_an_unconfirmed_address_cannot_accept(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, bob: TestUser
) -> None:
    """Bob's address was confirmed at once, without mail: it is no proof, so no Accept button."""
    create_team_and_invite(dashboard(alice), "Salyut", bob.email)
    invitee = dashboard(bob)
    invitee.switch_page("components/teams.py").run()
    assert "Salyut" in " ".join(block.value for block in invitee.markdown)
    assert not [b for b in invitee.button if b.key and b.key.startswith("accept_invitation:")]
    assert any("open the invitation link you were sent" in caption.value for caption in invitee.caption)


def test_a_pasted_link_opens_the_invitation(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, bob: TestUser
) -> None:
    link = create_team_and_invite(dashboard(alice), "Mir", bob.email)
    invitee = dashboard(bob)
    invitee.switch_page("components/teams.py").run()
    invitee.text_input(key="invitation_link_pasted").input("not a link")
    invitee.button(key="FormSubmitter:paste_invitation_link-Open link").click().run()
    assert [error.value for error in invitee.error] == [
        "That is not an invitation link: paste the whole link you were sent."
    ]
    invitee.text_input(key="invitation_link_pasted").input(link)
    invitee.button(key="FormSubmitter:paste_invitation_link-Open link").click().run()
    assert accept_opened_link(invitee) == ["You joined Mir as member"]


def test_a_link_opened_logged_out_is_kept_through_the_login(
    logged_out_app: AppTest, runtime: Runtime, alice: TestUser, bob: TestUser
) -> None:
    team_id = teams.create(runtime.db, alice.principal, "Vega")["id"]
    token = invite(runtime.db, alice, team_id, bob.email, "admin")
    at = logged_out_app
    at.query_params = {"invitation": str(team_id), "token": token}
    at.run()
    assert any("You opened an invitation link" in info.value for info in at.info)
    at.text_input(key="log_in_email").input(bob.email)
    at.text_input(key="log_in_password").input(bob.password)
    at.button(key="FormSubmitter:log_in-Log in").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Teams"
    assert accept_opened_link(at) == ["You joined Vega as admin"]


def test_a_link_for_another_address_says_so(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, bob: TestUser, user_factory: Callable[..., TestUser]
) -> None:
    link = create_team_and_invite(dashboard(alice), "Zond", bob.email)
    carol = user_factory("carol")
    at = open_link(dashboard(carol), link)
    assert any(f"is not for {carol.email}" in warning.value for warning in at.warning)
    assert [button.key for button in at.button if button.key == "accept_opened_link"] == []
    # Taken to Teams once: the other pages stay reachable while the link waits there.
    at.switch_page("components/my_time.py").run()
    assert at.title[0].value == "My time"
    at.switch_page("components/teams.py").run()
    assert any(f"is not for {carol.email}" in warning.value for warning in at.warning)
    at.button(key="set_aside_opened_link").click().run()
    assert not at.warning
