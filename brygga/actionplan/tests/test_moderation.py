"""Staff moderation: who may, the queue, publishing, hiding, answering, and an idea's
public status with the e-mail to its proposer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from brygga.accounts.models import User
from brygga.actionplan.models import Comment, Contribution, Idea
from brygga.actionplan.services.participation import (
    comment_submit,
    contribution_hide,
    idea_set_status,
    idea_submit,
)
from brygga.actionplan.services.structure import activity_create
from brygga.actionplan.tests.factories import status
from brygga.actionplan.tests.participation_factory import (
    DASH,
    Plan,
    make_plan,
    published_comment,
    published_idea,
    subject,
    with_token,
)
from brygga.core.models import AuditEntry, OutboxMessage
from brygga.core.outbox_delivery import outbox_deliver_due
from brygga.core.testing.smtp import SmtpServer
from brygga.register.tests.corrections_factory import use_own_cache

State = Contribution.State
pytestmark = pytest.mark.django_db
QUEUE_URL = reverse("actionplan:staff_moderation")


@pytest.fixture(autouse=True)
def _own_cache(settings: Any, tmp_path: Path) -> None:
    use_own_cache(settings, tmp_path)


@pytest.fixture
def plan() -> Plan:
    return make_plan(premoderate=True)


@pytest.fixture
def comment(plan: Plan) -> Comment:
    return published_comment(plan.activity, text="Kan besöken ske på kvällstid?")


@pytest.fixture
def idea(plan: Plan) -> Idea:
    return published_idea(plan.area, title="Företagarlunch varje kvartal")


def comment_url(comment: Comment) -> str:
    return reverse("actionplan:staff_comment", kwargs={"pk": comment.pk})


def idea_url(idea: Idea) -> str:
    return reverse("actionplan:staff_idea", kwargs={"pk": idea.pk})


# ---------------------------------------------------------------- who may


def _urls(request: pytest.FixtureRequest) -> list[str]:
    return [
        QUEUE_URL,
        comment_url(request.getfixturevalue("comment")),
        idea_url(request.getfixturevalue("idea")),
    ]


@pytest.mark.parametrize("persona", ["developer", "admin_user"])
def test_the_office_may_moderate(
    request: pytest.FixtureRequest, client_for: Any, persona: str
) -> None:
    client = client_for(request.getfixturevalue(persona))
    for url in _urls(request):
        assert client.get(url).status_code == 200, url
    comment = request.getfixturevalue("comment")
    response = client.post(comment_url(comment), {"action": "publicera"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.state == State.PUBLISHED


@pytest.mark.parametrize("persona", ["reader", "case_officer"])
def test_readers_and_case_officers_may_not(
    request: pytest.FixtureRequest, client_for: Any, persona: str
) -> None:
    client = client_for(request.getfixturevalue(persona))
    for url in _urls(request):
        assert client.get(url).status_code == 403, url
    comment = request.getfixturevalue("comment")
    idea = request.getfixturevalue("idea")
    assert client.post(comment_url(comment), {"action": "publicera"}).status_code == 403
    data = {"action": "dolj", "dolj-reason": "Nej"}
    assert client.post(idea_url(idea), data).status_code == 403
    comment.refresh_from_db()
    idea.refresh_from_db()
    assert comment.state == State.PENDING and idea.state == State.PENDING


def test_anonymous_visitors_are_sent_to_the_login_page(
    request: pytest.FixtureRequest, client_for: Any
) -> None:
    client = client_for(None)
    for url in _urls(request):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == redirect_to_login(url)["Location"]
    comment = request.getfixturevalue("comment")
    assert client.post(comment_url(comment), {"action": "publicera"}).status_code == 302
    comment.refresh_from_db()
    assert comment.state == State.PENDING


def test_it_answers_404_for_a_comment_or_idea_that_does_not_exist(
    client_for: Any, developer: User
) -> None:
    client = client_for(developer)
    assert client.get(reverse("actionplan:staff_comment", kwargs={"pk": 999})).status_code == 404
    assert client.get(reverse("actionplan:staff_idea", kwargs={"pk": 999})).status_code == 404


# ---------------------------------------------------------------- the queue


def _fill(plan: Plan, actor: User, n: int) -> None:
    """``n`` of each: pending comments and ideas, published, hidden and unconfirmed ones."""
    for i in range(n):
        published_comment(plan.activity, text=f"Väntande kommentar {i}", email=f"k{i}@example.se")
        published_idea(plan.area, title=f"Väntande idé {i}", email=f"i{i}@example.se")
        hidden = published_comment(plan.other, text=f"Dold {i}", email=f"d{i}@example.se")
        contribution_hide(contribution=hidden, reason="Reklam", actor=actor)
        comment_submit(activity=plan.activity, name="X", email=f"u{i}@example.se", text="obekr")
    public = make_plan(title=f"Öppet program {n}")
    for i in range(n):
        published_comment(public.activity, text=f"Publicerad {i}", email=f"p{i}@example.se")


@pytest.mark.parametrize("n", [2, 120])
def test_the_queue_takes_a_fixed_number_of_queries(
    plan: Plan,
    developer: User,
    client_for: Any,
    django_assert_num_queries: Any,
    n: int,
) -> None:
    _fill(plan, developer, n)
    client = client_for(developer)
    with django_assert_num_queries(8):  # session, user, 4 lists, 2 counts
        response = client.get(QUEUE_URL)
    assert response.status_code == 200


def test_the_queue_lists_what_waits_first_with_counts(
    plan: Plan, developer: User, client_for: Any
) -> None:
    _fill(plan, developer, 3)
    content = client_for(developer).get(QUEUE_URL).content.decode()
    pending = content.index("Väntar på granskning</h2>")
    recent = content.index("Senast publicerade och dolda</h2>")
    assert pending < content.index("Väntande kommentar 0") < recent
    assert pending < content.index("Väntande idé 2") < recent
    assert recent < content.index("Dold 1")
    assert recent < content.index("Publicerad 2")
    assert "obekr" not in content
    # Counts: comments pending 3, published 3, hidden 3, unconfirmed 3; ideas pending 3.
    assert '<th scope="row">Kommentarer</th><td>3</td><td>3</td><td>3</td><td>3</td>' in content
    assert '<th scope="row">Idéer</th><td>3</td><td>0</td><td>0</td><td>0</td>' in content


def test_the_queue_says_when_nothing_waits(developer: User, client_for: Any) -> None:
    content = client_for(developer).get(QUEUE_URL).content.decode()
    assert "Inget väntar på granskning." in content


# ---------------------------------------------------------------- moderating one


def test_staff_see_the_authors_name_and_address(
    comment: Comment, developer: User, client_for: Any
) -> None:
    content = client_for(developer).get(comment_url(comment)).content.decode()
    assert "Sara Lind" in content
    assert "sara.lind@batvarv.example.se" in content
    assert "Kan besöken ske på kvällstid?" in content


def test_publishing_is_logged_with_who_did_it(
    comment: Comment, developer: User, client_for: Any
) -> None:
    response = client_for(developer).post(comment_url(comment), {"action": "publicera"})
    assert response.status_code == 302 and response["Location"] == comment_url(comment)
    entry = AuditEntry.objects.filter(subject_id=str(comment.pk), via="moderation").get()
    assert entry.actor == developer and entry.parent_id == str(comment.activity_id)
    assert entry.changes["state"] == ["pending", "published"]


def test_hiding_needs_a_reason(comment: Comment, developer: User, client_for: Any) -> None:
    client = client_for(developer)
    response = client.post(comment_url(comment), {"action": "dolj", "dolj-reason": "  \u200b "})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Skriv varför inlägget döljs" in content
    assert "Inlägget är inte dolt" in content
    comment.refresh_from_db()
    assert comment.state == State.PENDING

    response = client.post(comment_url(comment), {"action": "dolj", "dolj-reason": "x" * 501})
    assert response.status_code == 200
    assert "500 tecken" in response.content.decode()
    comment.refresh_from_db()
    assert comment.state == State.PENDING


def test_a_hidden_comment_can_be_given_another_reason_and_published_again(
    comment: Comment, developer: User, client_for: Any
) -> None:
    client = client_for(developer)
    client.post(comment_url(comment), {"action": "dolj", "dolj-reason": "Reklam"})
    response = client.post(
        comment_url(comment), {"action": "dolj", "dolj-reason": "Innehöll ett telefonnummer"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_reason == "Innehöll ett telefonnummer"
    client.post(comment_url(comment), {"action": "publicera"})
    comment.refresh_from_db()
    assert comment.state == State.PUBLISHED and comment.hidden_reason == ""


def test_a_reply_can_be_written_changed_and_removed(
    comment: Comment, developer: User, client_for: Any
) -> None:
    client = client_for(developer)
    response = client.post(
        comment_url(comment), {"action": "svara", "svar-text": "Ja, det går bra."}, follow=True
    )
    assert "Svaret är publicerat." in response.content.decode()
    comment.refresh_from_db()
    assert comment.reply_text == "Ja, det går bra." and comment.reply_by == developer
    client.post(comment_url(comment), {"action": "svara", "svar-text": "Ja, från mars."})
    comment.refresh_from_db()
    assert comment.reply_text == "Ja, från mars."
    response = client.post(comment_url(comment), {"action": "svara", "svar-text": ""}, follow=True)
    assert "Svaret är borttaget." in response.content.decode()
    comment.refresh_from_db()
    assert comment.reply_text == "" and comment.reply_by is None and comment.reply_at is None


def test_an_unconfirmed_comment_cannot_be_published(
    plan: Plan, developer: User, client_for: Any
) -> None:
    unconfirmed = comment_submit(
        activity=plan.activity, name="Sara", email="s@example.se", text="Hej"
    )
    client = client_for(developer)
    page = client.get(comment_url(unconfirmed)).content.decode()
    assert "Inte bekräftad" in page and 'value="publicera"' not in page
    response = client.post(comment_url(unconfirmed), {"action": "publicera"})
    assert response.status_code == 200
    assert "inte bekräftat sin e-postadress" in response.content.decode()
    unconfirmed.refresh_from_db()
    assert unconfirmed.state == State.UNVERIFIED


def test_an_unknown_action_changes_nothing(
    comment: Comment, developer: User, client_for: Any
) -> None:
    response = client_for(developer).post(comment_url(comment), {"action": "radera"})
    assert response.status_code == 200
    assert "Välj något att göra" in response.content.decode()
    assert Comment.objects.get().state == State.PENDING


# ---------------------------------------------------------------- an idea's status


def set_status(client: Any, idea: Idea, **data: Any) -> Any:
    payload = {"action": "status", "status-status": "", "status-activity": "", "status-reason": ""}
    payload.update({f"status-{k}": v for k, v in data.items()})
    return client.post(idea_url(idea), payload, follow=True)


def status_mails(smtp_server: SmtpServer) -> list[Any]:
    """The e-mails about an idea's status (the verification mails of the set-up aside)."""
    return [m for m in smtp_server.messages if subject(m).startswith("Din idé:")]


def deliver(capture: Any, action: Any) -> Any:
    with capture(execute=True):
        result = action()
    outbox_deliver_due()
    return result


def test_each_status_reaches_the_public_and_the_proposer(
    plan: Plan,
    developer: User,
    client_for: Any,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.SITE_URL = "https://brygga.example.se"
    idea = published_idea(plan.area, title="Företagarlunch varje kvartal", name="Omar Haddad")
    client = client_for(developer)
    client.post(idea_url(idea), {"action": "publicera"})

    response = deliver(
        django_capture_on_commit_callbacks,
        lambda: set_status(client, idea, status="considering"),
    )
    assert "Idén har nu statusen ”Under behandling”" in response.content.decode()
    assert len(status_mails(smtp_server)) == 1
    message = status_mails(smtp_server)[0]
    assert message["To"] == "omar@kafe.example.se"
    assert subject(message) == f"Din idé: Under behandling {DASH} Strängnäs kommun"
    text = SmtpServer.body(message, "plain")
    assert "Hej Omar Haddad!" in text and "Företagarlunch varje kvartal" in text
    assert f"https://brygga.example.se{plan.area_url}#ide-{idea.pk}" in text
    assert f"{plan.area_url}#ide-{idea.pk}" in SmtpServer.body(message, "html")
    area_page = client_for(None).get(plan.area_url).content.decode()
    assert "Under behandling" in area_page

    # Became an activity: linked both ways on the public pages, and in the e-mail.
    response = deliver(
        django_capture_on_commit_callbacks,
        lambda: set_status(client, idea, status="activity", activity=str(plan.other.pk)),
    )
    assert "Blev en aktivitet" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == Idea.Status.ACTIVITY and idea.activity == plan.other
    message = status_mails(smtp_server)[1]
    assert subject(message) == f"Din idé: Blev en aktivitet {DASH} Strängnäs kommun"
    activity_link = f"https://brygga.example.se{plan.other.get_absolute_url()}"
    assert activity_link in SmtpServer.body(message, "plain")
    assert activity_link in SmtpServer.body(message, "html")
    area_page = client_for(None).get(plan.area_url).content.decode()
    assert f'href="{plan.other.get_absolute_url()}"' in area_page
    activity_page = client_for(None).get(plan.other.get_absolute_url()).content.decode()
    assert "Företagarlunch varje kvartal" in activity_page

    # Declined needs a reason; without one nothing changes and nobody is mailed.
    response = deliver(
        django_capture_on_commit_callbacks, lambda: set_status(client, idea, status="declined")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Skriv varför idén inte genomförs" in content
    assert "Statusen är inte ändrad" in content
    idea.refresh_from_db()
    assert idea.status == Idea.Status.ACTIVITY
    assert len(status_mails(smtp_server)) == 2

    reason = "Kommunen har redan frukostmöten varje månad."
    deliver(
        django_capture_on_commit_callbacks,
        lambda: set_status(client, idea, status="declined", reason=reason),
    )
    idea.refresh_from_db()
    assert idea.status == Idea.Status.DECLINED and idea.activity is None
    message = status_mails(smtp_server)[2]
    assert subject(message) == f"Din idé: Genomförs inte {DASH} Strängnäs kommun"
    assert reason in SmtpServer.body(message, "plain")
    assert reason in SmtpServer.body(message, "html")
    area_page = client_for(None).get(plan.area_url).content.decode()
    assert "Genomförs inte" in area_page and reason in area_page

    # The same again: nothing changes, no e-mail.
    response = deliver(
        django_capture_on_commit_callbacks,
        lambda: set_status(client, idea, status="declined", reason=reason),
    )
    assert "Inget ändrades." in response.content.decode()
    assert len(status_mails(smtp_server)) == 3

    # Back to received: a fourth e-mail.
    deliver(django_capture_on_commit_callbacks, lambda: set_status(client, idea, status="received"))
    idea.refresh_from_db()
    assert idea.status == Idea.Status.RECEIVED
    assert subject(status_mails(smtp_server)[3]) == f"Din idé: Mottagen {DASH} Strängnäs kommun"
    assert OutboxMessage.objects.filter(kind="actionplan.idea_status").count() == 4


def test_a_changed_motivation_alone_sends_no_email(
    idea: Idea,
    developer: User,
    client_for: Any,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(developer)
    deliver(
        django_capture_on_commit_callbacks, lambda: set_status(client, idea, status="considering")
    )
    response = deliver(
        django_capture_on_commit_callbacks,
        lambda: set_status(client, idea, status="considering", reason="Vi återkommer i maj."),
    )
    assert "Motiveringen är ändrad." in response.content.decode()
    idea.refresh_from_db()
    assert idea.status_reason == "Vi återkommer i maj."
    assert len(status_mails(smtp_server)) == 1


def test_became_an_activity_needs_an_activity_of_the_same_program(
    plan: Plan, idea: Idea, developer: User, client_for: Any
) -> None:
    client = client_for(developer)
    response = set_status(client, idea, status="activity")
    assert "Välj aktiviteten som idén blev." in response.content.decode()

    elsewhere = make_plan(title="Ett annat program")
    response = set_status(client, idea, status="activity", activity=str(elsewhere.activity.pk))
    assert response.status_code == 200
    assert "Välj en aktivitet i programmet." in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == Idea.Status.RECEIVED and idea.activity is None
    with pytest.raises(Exception, match="annat program"):
        idea_set_status(
            idea=idea, status=Idea.Status.ACTIVITY, activity=elsewhere.activity, actor=developer
        )
    idea.refresh_from_db()
    assert idea.status == Idea.Status.RECEIVED


def test_the_status_form_offers_the_programs_activities_marking_drafts(
    plan: Plan, idea: Idea, developer: User, client_for: Any
) -> None:
    activity_create(
        area=plan.area, title="Näringslivsråd", status=status("planned"), published=False
    )
    make_plan(title="Ett annat program")
    content = client_for(developer).get(idea_url(idea)).content.decode()
    assert "Företagsbesök med politiker" in content
    assert "Näringslivsråd (inte publicerad)" in content
    assert content.count("Företagsbesök med politiker</option>") == 1


def test_an_unconfirmed_proposer_gets_no_status_email(
    plan: Plan,
    developer: User,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    idea = idea_submit(area=plan.area, name="O", email="o@example.se", title="T", text="x")
    with_token(idea, "aldrig-klickad")
    deliver(
        django_capture_on_commit_callbacks,
        lambda: idea_set_status(idea=idea, status=Idea.Status.CONSIDERING, actor=developer),
    )
    assert not OutboxMessage.objects.filter(kind="actionplan.idea_status").exists()
    assert status_mails(smtp_server) == []
    assert [subject(m) for m in smtp_server.messages] == [
        f"Bekräfta din idé {DASH} Strängnäs kommun"
    ]
