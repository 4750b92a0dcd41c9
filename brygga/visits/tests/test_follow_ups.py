"""Follow-ups: "Mina uppföljningar" (overdue first and marked, then open, then recently
closed), the overdue list, editing (the office all of it, the owner the date, the
status and the outcome), "Markera som klar", and the reminder e-mail through the
outbox end to end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from brygga.accounts.models import User
from brygga.core.models import AuditEntry
from brygga.core.outbox_delivery import outbox_deliver_due
from brygga.core.testing.smtp import SmtpServer
from brygga.register.tests.companies_factory import make_companies, make_company
from brygga.visits.models import FollowUp, Visit
from brygga.visits.services.followups import follow_up_update, follow_ups_remind_due
from brygga.visits.tests.factories import make_follow_up, make_visit

pytestmark = pytest.mark.django_db

MINE = reverse("visits:my_follow_ups")
OVERDUE = reverse("visits:overdue_follow_ups")


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


@pytest.fixture
def visit() -> Visit:
    return make_visit(
        [make_company("Mariefreds Bygg AB"), make_company("Kafé Ugglan")],
        date=dt.date(2026, 2, 10),
    )


def close(follow_up: FollowUp, *, days_ago: int) -> None:
    follow_up_update(follow_up=follow_up, data={"status": FollowUp.Status.DONE})
    FollowUp.objects.filter(pk=follow_up.pk).update(
        done_at=timezone.now() - dt.timedelta(days=days_ago)
    )


# ---------------------------------------------------------------- my follow-ups


def test_mine_lists_overdue_first_then_open_then_recently_closed(
    client_for: Any, developer: User, admin_user: User, visit: Visit
) -> None:
    later = make_follow_up(visit, owner=developer, due_on=days(10), title="Senare")
    soon = make_follow_up(visit, owner=developer, due_on=today(), title="I dag")
    late = make_follow_up(visit, owner=developer, due_on=days(-3), title="Sen")
    later_still = make_follow_up(visit, owner=developer, due_on=days(-20), title="Mycket sen")
    closed = make_follow_up(visit, owner=developer, due_on=days(-5), title="Klar nyss")
    close(closed, days_ago=2)
    long_ago = make_follow_up(visit, owner=developer, due_on=days(-90), title="Klar länge sedan")
    close(long_ago, days_ago=60)
    make_follow_up(visit, owner=admin_user, due_on=days(-3), title="Någon annans")

    response = client_for(developer).get(MINE)
    assert response.status_code == 200
    mine = response.context["mine"]
    assert mine.overdue == [later_still, late]
    assert mine.upcoming == [soon, later]
    assert mine.closed == [closed]
    html = response.content.decode()
    assert (
        html.index("Mycket sen")
        < html.index(">Sen<")
        < html.index("I dag")
        < html.index("Senare")
        < html.index("Klar nyss")
    )
    assert html.count('class="overdue"') == 2
    assert '<span class="badge badge-overdue">Försenad 3\xa0dagar</span>' in html
    assert "Någon annans" not in html and "Klar länge sedan" not in html
    assert "Kafé Ugglan, Mariefreds Bygg AB" in html
    assert html.count("Markera som klar") == 4


@pytest.mark.parametrize("n", [1, 30])
def test_mine_reads_in_constant_queries(
    client_for: Any, developer: User, django_assert_num_queries: Any, n: int
) -> None:
    companies = make_companies(n)
    for i, company in enumerate(companies):
        visit = make_visit([company])
        make_follow_up(visit, owner=developer, due_on=days(i - n // 2))
        close(make_follow_up(visit, owner=developer, due_on=days(-1)), days_ago=1)
    client = client_for(developer)
    # session, user, follow-ups with visits, kinds and owners, their companies.
    with django_assert_num_queries(4):
        response = client.get(MINE)
    mine = response.context["mine"]
    assert len(mine.overdue) + len(mine.upcoming) == n and len(mine.closed) == n


def test_a_case_officer_sees_their_own_without_links_to_the_visits(
    client_for: Any, case_officer: User, visit: Visit
) -> None:
    make_follow_up(visit, owner=case_officer, due_on=days(-1), title="Svara om bygglovet")
    html = client_for(case_officer).get(MINE).content.decode()
    assert "Svara om bygglovet" in html and "Markera som klar" in html
    assert reverse("visits:visit_detail", kwargs={"pk": visit.pk}) not in html
    assert "Besök 2026-02-10" in html


# ---------------------------------------------------------------- the overdue list


def test_the_overdue_list_shows_every_open_follow_up_past_due(
    client_for: Any, developer: User, admin_user: User, case_officer: User, visit: Visit
) -> None:
    oldest = make_follow_up(visit, owner=admin_user, due_on=days(-30), title="Äldst")
    late = make_follow_up(visit, owner=case_officer, due_on=days(-1), title="Sen")
    make_follow_up(visit, owner=developer, due_on=today(), title="I dag")
    closed = make_follow_up(visit, owner=developer, due_on=days(-9), title="Avslutad")
    close(closed, days_ago=1)
    response = client_for(developer).get(OVERDUE)
    assert list(response.context["page_obj"]) == [oldest, late]
    html = response.content.decode()
    assert "Anna Admin" in html and "Hanna Handläggare" in html
    assert "2 öppna uppföljningar har passerat sitt datum." in html


@pytest.mark.parametrize("n", [1, 30])
def test_the_overdue_list_reads_in_constant_queries(
    client_for: Any, developer: User, django_assert_num_queries: Any, n: int
) -> None:
    for company in make_companies(n):
        make_follow_up(make_visit([company]), owner=developer, due_on=days(-2))
    client = client_for(developer)
    # session, user, count, page of follow-ups with visits and owners, their companies.
    with django_assert_num_queries(5):
        response = client.get(OVERDUE)
    assert len(response.context["page_obj"]) == n


# ---------------------------------------------------------------- mark done and edit


def test_mark_done_closes_it_and_goes_back(client_for: Any, developer: User, visit: Visit) -> None:
    follow_up = make_follow_up(visit, owner=developer, due_on=days(-1))
    url = reverse("visits:follow_up_done", kwargs={"pk": follow_up.pk})
    client = client_for(developer)
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": OVERDUE})
    assert response.status_code == 302 and response["Location"] == OVERDUE
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.DONE and follow_up.done_at is not None
    entry = AuditEntry.objects.get(subject_type="visits.followup", action="update")
    assert entry.actor == developer and entry.changes["status"] == ["open", "done"]
    # A second click changes nothing and says so.
    response = client.post(url, follow=True)
    assert "Uppföljningen var redan avslutad." in response.content.decode()
    assert AuditEntry.objects.filter(subject_type="visits.followup", action="update").count() == 1


def test_mark_done_never_follows_a_next_off_the_site(
    client_for: Any, developer: User, visit: Visit
) -> None:
    follow_up = make_follow_up(visit, owner=developer, due_on=days(1))
    response = client_for(developer).post(
        reverse("visits:follow_up_done", kwargs={"pk": follow_up.pk}),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == MINE


def test_the_office_edits_everything(
    client_for: Any, developer: User, admin_user: User, visit: Visit
) -> None:
    follow_up = make_follow_up(visit, owner=developer, due_on=days(3), title="Ring")
    url = reverse("visits:follow_up_edit", kwargs={"pk": follow_up.pk})
    client = client_for(developer)
    page = client.get(url)
    assert set(page.context["form"].fields) == {"title", "owner", "due_on", "status", "outcome"}
    response = client.post(
        url + "?next=" + OVERDUE,
        {
            "title": "Ring och maila",
            "owner": str(admin_user.pk),
            "due_on": f"{days(7):%Y-%m-%d}",
            "status": "cancelled",
            "outcome": "Företaget har flyttat.",
            "next": OVERDUE,
        },
    )
    assert response.status_code == 302 and response["Location"] == OVERDUE
    follow_up.refresh_from_db()
    assert (follow_up.title, follow_up.owner, follow_up.due_on, follow_up.status) == (
        "Ring och maila",
        admin_user,
        days(7),
        "cancelled",
    )
    assert follow_up.outcome == "Företaget har flyttat." and follow_up.done_at is not None
    # Reopening clears the closing time.
    client.post(
        url,
        {
            "title": "R",
            "owner": str(admin_user.pk),
            "due_on": "2026-05-01",
            "status": "open",
            "outcome": "",
        },
    )
    follow_up.refresh_from_db()
    assert follow_up.status == "open" and follow_up.done_at is None


def test_the_owner_moves_the_date_closes_and_notes_but_keeps_the_task(
    client_for: Any, case_officer: User, visit: Visit
) -> None:
    follow_up = make_follow_up(visit, owner=case_officer, due_on=days(-2), title="Svara")
    url = reverse("visits:follow_up_edit", kwargs={"pk": follow_up.pk})
    client = client_for(case_officer)
    page = client.get(url)
    assert page.status_code == 200
    assert set(page.context["form"].fields) == {"due_on", "status", "outcome"}
    response = client.post(
        url,
        {
            "title": "Inget att göra",
            "owner": "1",
            "due_on": f"{days(5):%Y-%m-%d}",
            "status": "done",
            "outcome": "Bygglovet beviljat.",
        },
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.title, follow_up.owner, follow_up.status) == ("Svara", case_officer, "done")
    assert follow_up.outcome == "Bygglovet beviljat." and follow_up.due_on == days(5)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"due_on": "2026-02-30"}, "due_on", "Ange ett datum som finns, till exempel 2026-03-20."),
        ({"status": "kanske"}, "status", None),
        ({"title": ""}, "title", "Skriv vad som ska göras."),
    ],
    ids=["impossible-date", "bad-status", "no-title"],
)
def test_bad_edits_are_explained(
    client_for: Any,
    developer: User,
    visit: Visit,
    data: dict[str, str],
    field: str,
    message: str | None,
) -> None:
    follow_up = make_follow_up(visit, owner=developer, due_on=days(3), title="Ring")
    payload = {
        "title": "Ring",
        "owner": str(developer.pk),
        "due_on": f"{days(3):%Y-%m-%d}",
        "status": "open",
        "outcome": "",
        **data,
    }
    response = client_for(developer).post(
        reverse("visits:follow_up_edit", kwargs={"pk": follow_up.pk}), payload
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors if message is None else errors == [message]
    follow_up.refresh_from_db()
    assert follow_up.title == "Ring" and follow_up.status == "open"


# ---------------------------------------------------------------- the reminder


def test_the_reminder_reaches_the_owner_once_per_due_date(
    smtp_server: SmtpServer, developer: User, admin_user: User, visit: Visit, settings: Any
) -> None:
    settings.SITE_URL = "https://brygga.example.se"
    follow_up = make_follow_up(
        visit, owner=developer, due_on=dt.date(2026, 3, 20), title="Boka möte med bygglov"
    )
    make_follow_up(visit, owner=admin_user, due_on=dt.date(2026, 3, 25), title="Inte än")

    assert follow_ups_remind_due(today=dt.date(2026, 3, 19)) == 0
    assert follow_ups_remind_due(today=dt.date(2026, 3, 20)) == 1
    outbox_deliver_due()
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == developer.email
    assert (
        str(message["Subject"])
        .strip()
        .startswith("Uppföljning ska vara klar i dag: Boka möte med bygglov")
    )
    text = SmtpServer.body(message, "plain")
    assert "Hej Nils!" in text and "Boka möte med bygglov" in text
    assert "Kafé Ugglan, Mariefreds Bygg AB" in text
    visit_url = "https://brygga.example.se" + reverse(
        "visits:visit_detail", kwargs={"pk": visit.pk}
    )
    assert visit_url in text and "https://brygga.example.se" + MINE in text
    assert f'href="{visit_url}"' in SmtpServer.body(message, "html")

    # The next hourly run, and the next day's: nothing new.
    assert follow_ups_remind_due(today=dt.date(2026, 3, 20)) == 0
    assert follow_ups_remind_due(today=dt.date(2026, 3, 22)) == 0
    outbox_deliver_due()
    assert len(smtp_server.messages) == 1

    # A new due date lets exactly one more go out when it comes, as overdue after it.
    follow_up_update(follow_up=follow_up, data={"due_on": dt.date(2026, 3, 27)})
    assert follow_ups_remind_due(today=dt.date(2026, 3, 26)) == 1  # the other one's
    assert follow_ups_remind_due(today=dt.date(2026, 3, 30)) == 1
    assert follow_ups_remind_due(today=dt.date(2026, 3, 31)) == 0
    outbox_deliver_due()
    assert len(smtp_server.messages) == 3
    mine = [m for m in smtp_server.messages if m["To"] == developer.email]
    assert len(mine) == 2
    assert str(mine[1]["Subject"]).strip() == "Försenad uppföljning: Boka möte med bygglov"
    assert "skulle ha varit klar 27 mars 2026" in SmtpServer.body(mine[1], "plain")


def test_a_closed_follow_up_is_never_reminded(
    smtp_server: SmtpServer, developer: User, visit: Visit
) -> None:
    follow_up = make_follow_up(visit, owner=developer, due_on=dt.date(2026, 3, 20))
    follow_up_update(follow_up=follow_up, data={"status": FollowUp.Status.DONE})
    assert follow_ups_remind_due(today=dt.date(2026, 3, 21)) == 0
    outbox_deliver_due()
    assert smtp_server.messages == []
