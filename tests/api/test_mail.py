"""With SMTP set up: sign-ups are confirmed by mail (GoTrue without autoconfirm), invitations
are mailed with their link, and an address confirmed by mail is proof enough to accept an
invitation (and to claim a developer id) without the link. Against a real SMTP server on
loopback (aiosmtpd), reading the mail it received and following its link.

The session's own server has no SMTP (addresses confirmed at once, as before); `mail_app` is a
second server on the same database with SMTP_* pointing at the loopback server.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg
import pytest
from pydantic import SecretStr
from supabase_auth.errors import AuthApiError

from tests.utils.apps import RunningApp, running_app, variant
from tests.utils.auth_clients import auth_client
from tests.utils.mailbox import PASSWORD as SMTP_PASSWORD
from tests.utils.mailbox import PLAIN_AUTH_WARNING, Mailbox, body, link_in, smtp_server
from tests.utils.mailbox import USERNAME as SMTP_USERNAME
from tests.utils.net import free_port
from tests.utils.users import PASSWORD, TestUser, unique_email
from timetracker import teams
from timetracker.activitywatch import team as aw_team
from timetracker.config import Settings
from timetracker.runtime import Runtime

pytestmark = pytest.mark.filterwarnings(PLAIN_AUTH_WARNING)

DASHBOARD = "http://dashboard.example"
SENDER = "Time Tracker <time@example.com>"


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as server:
        yield server


def with_smtp(settings: Settings, mailbox: Mailbox, **overrides: object) -> Settings:
    port = free_port()
    smtp = {
        "api_port": port,
        "public_api_url": f"http://127.0.0.1:{port}",
        "public_dashboard_url": DASHBOARD,
        "smtp_host": mailbox.host,
        "smtp_port": mailbox.port,
        "smtp_username": SMTP_USERNAME,
        "smtp_password": SecretStr(SMTP_PASSWORD),
        "smtp_from": SENDER,
        "smtp_starttls": False,  # the loopback server speaks plain SMTP
    }
    return variant(settings, **{**smtp, **overrides})


@pytest.fixture(scope="module")
def mail_app(settings: Settings, mailbox: Mailbox) -> Iterator[RunningApp]:
    with running_app(with_smtp(settings, mailbox)) as app:
        yield app


def password_grant(url: str, email: str, password: str = PASSWORD) -> httpx.Response:
    return httpx.post(f"{url}/auth/v1/token?grant_type=password", json={"email": email, "password": password})


def follow(link: str) -> str:
    """Open a mailed link as a browser would; where it sends the browser."""
    response = httpx.get(link, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def signed_up_and_confirmed(app: RunningApp, mailbox: Mailbox, name: str) -> TestUser:
    """An account on `app` whose address is confirmed by following the mailed link."""
    email = unique_email(name)
    assert auth_client(app.url).sign_up({"email": email, "password": PASSWORD}).session is None
    assert follow(link_in(mailbox.last_to(email))) == f"{DASHBOARD}/?email_confirmation=confirmed"
    session = auth_client(app.url).sign_in_with_password({"email": email, "password": PASSWORD}).session
    principal = app.runtime.authenticator.from_access_token(session.access_token)
    return TestUser(email, PASSWORD, principal, session.access_token, session.refresh_token)


def test_a_sign_up_waits_for_its_mailed_link(mail_app: RunningApp, mailbox: Mailbox, access_log: list[str]) -> None:
    email = unique_email("mailed")
    signed_up = auth_client(mail_app.url).sign_up({"email": email, "password": PASSWORD})
    # GoTrue without autoconfirm: the user, unconfirmed, and no session.
    assert signed_up.session is None
    assert signed_up.user is not None and signed_up.user.email == email
    assert signed_up.user.email_confirmed_at is None

    refused = password_grant(mail_app.url, email)
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "email_not_confirmed",
        "error_code": "email_not_confirmed",
        "msg": "Email not confirmed",
        "message": "Email not confirmed",
    }
    with pytest.raises(AuthApiError) as caught:
        auth_client(mail_app.url).sign_in_with_password({"email": email, "password": PASSWORD})
    assert caught.value.code == "email_not_confirmed"

    [mail] = mailbox.to(email)
    assert (mail["From"], mail["Subject"]) == (SENDER, "Confirm your email address for Time Tracker")
    link = link_in(mail)
    assert link.startswith(f"{mail_app.url}/auth/v1/verify?type=signup&token=ttc_")
    token = parse_qs(urlsplit(link).query)["token"][0]

    target = follow(link)
    assert target == f"{DASHBOARD}/?email_confirmation=confirmed"  # and the token stays behind
    # The token travels in the link's query by design; the access log blanks it.
    assert [line for line in access_log if "/auth/v1/verify" in line]
    assert all(token not in line for line in access_log)
    assert any("token=[redacted]" in line for line in access_log)

    session = password_grant(mail_app.url, email)
    assert session.status_code == 200, session.text
    assert session.json()["user"]["email_confirmed_at"] is not None
    # The link worked once.
    assert follow(link) == f"{DASHBOARD}/?email_confirmation=invalid"


def test_signing_up_again_before_confirming_sets_the_password_and_sends_a_new_link(
    mail_app: RunningApp, mailbox: Mailbox
) -> None:
    """Whoever reads the mailbox decides: an address nobody confirmed cannot be squatted."""
    email = unique_email("again")
    for password in ("first password", "second password"):
        response = httpx.post(f"{mail_app.url}/auth/v1/signup", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        assert "access_token" not in response.json()
    first, second = mailbox.to(email)
    assert follow(link_in(first)) == f"{DASHBOARD}/?email_confirmation=invalid"
    assert follow(link_in(second)) == f"{DASHBOARD}/?email_confirmation=confirmed"
    assert password_grant(mail_app.url, email, "first password").json()["code"] == "invalid_credentials"
    assert password_grant(mail_app.url, email, "second password").status_code == 200
    # Confirmed: the address is taken.
    taken = httpx.post(f"{mail_app.url}/auth/v1/signup", json={"email": email, "password": "third password"})
    assert (taken.status_code, taken.json()["code"]) == (422, "user_already_exists")


def test_an_expired_confirmation_link_confirms_nothing(mail_app: RunningApp, mailbox: Mailbox) -> None:
    email = unique_email("late")
    auth_client(mail_app.url).sign_up({"email": email, "password": PASSWORD})
    with psycopg.connect(mail_app.runtime.db.admin_url, autocommit=True) as conn:
        conn.execute(
            "update internal.email_confirmations set created_at = now() - interval '2 days',"
            " expires_at = now() - interval '1 second' where email = %s",
            (email,),
        )
    assert follow(link_in(mailbox.last_to(email))) == f"{DASHBOARD}/?email_confirmation=expired"
    assert password_grant(mail_app.url, email).json()["code"] == "email_not_confirmed"


def test_a_sign_up_whose_mail_cannot_be_sent_creates_nothing(settings: Settings, mailbox: Mailbox) -> None:
    # The server answers a wrong login by going quiet: a short timeout says so sooner.
    wrong_login = with_smtp(settings, mailbox, smtp_password=SecretStr("not it"), smtp_timeout_seconds=2.0)
    email = unique_email("unsent")
    with running_app(wrong_login) as app:
        response = httpx.post(f"{app.url}/auth/v1/signup", json={"email": email, "password": PASSWORD}, timeout=30)
        assert response.status_code == 500
        assert response.json()["msg"] == "Error sending confirmation email"
        assert "not it" not in response.text
        assert password_grant(app.url, email).json()["code"] == "invalid_credentials"
    assert mailbox.to(email) == []


def test_invitations_are_mailed_with_their_link(
    mail_app: RunningApp, mailbox: Mailbox, alice: TestUser, bob: TestUser
) -> None:
    http = httpx.Client(base_url=mail_app.url, timeout=30)
    team = http.post("/api/v1/teams", json={"name": "Mailed\ncrew"}, headers=alice.headers).json()["id"]
    answer = http.post(f"/api/v1/teams/{team}/members", json={"email": bob.email}, headers=alice.headers).json()
    assert (answer["outcome"], answer["mailed"]) == ("invited", True)

    mail = mailbox.last_to(bob.email)
    # Who asks (name and address), and the team's name on one line.
    assert mail["Subject"] == f"{alice.email.split('@')[0]} ({alice.email}) invites you to Mailed crew on Time Tracker"
    assert bob.email in body(mail) and "works once" in body(mail)
    link = link_in(mail)
    assert link == answer["invite_url"]
    assert link.startswith(f"{DASHBOARD}/?invitation={team}&token=tti_")

    # Bob's address was confirmed without mail (the session's server has no SMTP): the link it is.
    assert http.post(f"/api/v1/invitations/{team}/accept", headers=bob.headers).status_code == 403
    token = parse_qs(urlsplit(link).query)["token"][0]
    accepted = http.post(f"/api/v1/invitations/{team}/accept", json={"token": token}, headers=bob.headers)
    assert (accepted.status_code, accepted.json()["role"]) == (200, "member"), accepted.text


def test_an_address_confirmed_by_mail_accepts_without_the_link(
    mail_app: RunningApp, mailbox: Mailbox, http: httpx.Client, alice: TestUser
) -> None:
    newcomer = signed_up_and_confirmed(mail_app, mailbox, "proven")
    team = http.post("/api/v1/teams", json={"name": "Proven"}, headers=alice.headers).json()["id"]
    invited = http.post(f"/api/v1/teams/{team}/members", json={"email": newcomer.email}, headers=alice.headers)
    assert invited.json()["outcome"] == "invited"
    [pending] = http.get("/api/v1/invitations", headers=newcomer.headers).json()
    assert (pending["team_id"], pending["needs_link"]) == (team, False)
    accepted = http.post(f"/api/v1/invitations/{team}/accept", headers=newcomer.headers)
    assert (accepted.status_code, accepted.json()) == (200, {"team_id": team, "role": "member"}), accepted.text


def test_an_address_confirmed_by_mail_claims_its_developer_id(
    mail_app: RunningApp, mailbox: Mailbox, runtime: Runtime
) -> None:
    """Proof without anyone's link: the owner of a team claims the id made from their address."""
    owner = signed_up_and_confirmed(mail_app, mailbox, "claimer")
    team_id = teams.create(runtime.db, owner.principal, "Own")["id"]
    dev = aw_team.register(runtime.db, owner.principal, team_id, "Claimer", owner.email)["developer_id"]
    aw_team.claim(runtime.db, owner.principal, team_id, dev)
    assert aw_team.developers(runtime.db, owner.principal, team_id)[0]["user_id"] == owner.id


def test_with_supabase_auth_a_confirmed_address_accepts_without_the_link(
    settings: Settings, mail_app: RunningApp, mailbox: Mailbox, http: httpx.Client, alice: TestUser, bob: TestUser
) -> None:
    """SUPABASE_URL set: the mail app plays the Supabase project (confirmations on), sharing the
    database as Supabase's auth.users does. Its email_confirmed_at is proof; the local auth
    server's confirmation without mail (bob's) is not."""
    confirmed = signed_up_and_confirmed(mail_app, mailbox, "supa")
    team = http.post("/api/v1/teams", json={"name": "Supa"}, headers=alice.headers).json()["id"]
    for person in (confirmed, bob):
        http.post(f"/api/v1/teams/{team}/members", json={"email": person.email}, headers=alice.headers)
    # Tokens are taken only from the project they name as issuer: bob logs in there too.
    bob_there = auth_client(mail_app.url).sign_in_with_password({"email": bob.email, "password": bob.password})
    assert bob_there.session is not None
    with running_app(variant(settings, supabase_url=mail_app.url)) as supabase_app:
        accept = f"{supabase_app.url}/api/v1/invitations/{team}/accept"
        refused = httpx.post(accept, headers={"Authorization": f"Bearer {bob_there.session.access_token}"})
        assert (refused.status_code, refused.json()["error"]) == (403, "invitation_link_required")
        accepted = httpx.post(accept, headers=confirmed.headers)
        assert (accepted.status_code, accepted.json()["role"]) == (200, "member"), accepted.text
