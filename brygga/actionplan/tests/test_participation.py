"""Comments and ideas from the public: the form, the e-mail with its link, the button
that publishes, pre-moderation, what the public pages then show, and the limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse

from brygga.accounts.models import User
from brygga.actionplan.models import Comment, Contribution, Idea
from brygga.actionplan.services.participation import (
    comment_submit,
    contribution_hide,
    contribution_reply,
    idea_submit,
    token_hash,
)
from brygga.actionplan.services.structure import activity_update, area_update
from brygga.actionplan.tests.participation_factory import (
    DASH,
    Plan,
    age,
    comment_data,
    comment_sent_url,
    idea_data,
    idea_sent_url,
    make_plan,
    published_comment,
    subject,
    verify_url_in,
    with_token,
)
from brygga.core.models import OutboxMessage
from brygga.core.outbox_delivery import outbox_deliver_due
from brygga.core.testing.smtp import SmtpServer
from brygga.register.tests.corrections_factory import use_own_cache

State = Contribution.State
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache(settings: Any, tmp_path: Path) -> None:
    use_own_cache(settings, tmp_path)


@pytest.fixture
def plan() -> Plan:
    return make_plan()


@pytest.fixture
def premoderated() -> Plan:
    return make_plan(title="Näringslivsstrategi Lerum", premoderate=True)


def page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def submit(url: str, data: dict[str, str], capture: Any, *, client: Client | None = None) -> Any:
    with capture(execute=True):
        response = (client or Client()).post(url, data)
    outbox_deliver_due()
    return response


# ---------------------------------------------------------------- a comment, start to end


def test_it_publishes_a_comment_only_after_the_button_behind_the_mailed_link(
    plan: Plan, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://brygga.example.se"
    form_page = page(plan.comment_url)
    assert plan.activity.title in form_page
    assert 'name="kommentar-text"' in form_page

    text = "Bra initiativ! Bjud gärna in oss på Mariefreds Båtvarv."
    response = submit(plan.comment_url, comment_data(text=text), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == comment_sent_url(plan.activity)
    sent = page(response["Location"])
    assert "Kolla din e-post" in sent and "7 dagar" in sent

    comment = Comment.objects.get()
    assert comment.state == State.UNVERIFIED and comment.name == "Sara Lind"
    assert text not in page(plan.activity_url)

    # One e-mail in three parts, with an absolute link whose token only the mail holds.
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "sara.lind@batvarv.example.se"
    assert subject(message) == f"Bekräfta din kommentar {DASH} Strängnäs kommun"
    url = verify_url_in(message)
    assert url.startswith("https://brygga.example.se/bekrafta/kommentar/")
    body = SmtpServer.body(message, "plain")
    assert "Företagsbesök med politiker" in body and "7 dagar" in body
    assert "Strängnäs kommun" in body
    token = urlparse(url).path.rstrip("/").rsplit("/", 1)[1]
    assert comment.token_hash == token_hash(token) != token
    # The body holding the link is emptied once sent.
    assert OutboxMessage.objects.get().body_text == ""

    # A GET (a mail scanner, say) shows the button and publishes nothing.
    client = Client()
    confirm = client.get(urlparse(url).path)
    assert confirm.status_code == 200
    assert "Publicera min kommentar" in confirm.content.decode()
    comment.refresh_from_db()
    assert comment.state == State.UNVERIFIED
    assert text not in page(plan.activity_url)

    done = client.post(urlparse(url).path, follow=True)
    assert done.status_code == 200
    content = done.content.decode()
    assert "Din kommentar är publicerad" in content
    assert f"{plan.activity_url}#kommentar-{comment.pk}" in content
    comment.refresh_from_db()
    assert comment.state == State.PUBLISHED
    assert comment.verified_at is not None and comment.published_at is not None
    assert text in page(plan.activity_url)

    # A second click changes nothing and says so.
    again = client.post(urlparse(url).path, follow=True).content.decode()
    assert "redan bekräftat" in again
    assert Comment.objects.get().published_at == comment.published_at


def test_it_publishes_an_idea_on_the_area_page_after_confirmation(
    plan: Plan, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    form_page = page(plan.idea_url)
    assert "Dela en idé" in form_page and plan.area.title in form_page

    response = submit(plan.idea_url, idea_data(), django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == idea_sent_url(plan.area)
    assert "Kolla din e-post" in page(response["Location"])
    idea = Idea.objects.get()
    assert idea.state == State.UNVERIFIED and idea.status == Idea.Status.RECEIVED
    assert "Företagarlunch varje kvartal" not in page(plan.area_url)

    [message] = smtp_server.messages
    assert subject(message) == f"Bekräfta din idé {DASH} Strängnäs kommun"
    assert plan.area.title in SmtpServer.body(message, "plain")
    assert plan.area.title in SmtpServer.body(message, "html")
    path = urlparse(verify_url_in(message)).path
    assert path.startswith("/bekrafta/ide/")

    client = Client()
    assert "Publicera min idé" in client.get(path).content.decode()
    assert Idea.objects.get().state == State.UNVERIFIED
    done = client.post(path, follow=True).content.decode()
    assert "Din idé är publicerad" in done
    assert f"{plan.area_url}#ide-{idea.pk}" in done
    assert "Företagarlunch varje kvartal" in page(plan.area_url)
    assert "redan bekräftat" in client.post(path, follow=True).content.decode()


# ---------------------------------------------------------------- pre-moderation


def test_it_holds_a_confirmed_comment_for_review_until_staff_publish_it(
    premoderated: Plan,
    developer: User,
    client_for: Any,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    text = "Kan ni ordna besöken på kvällstid?"
    submit(premoderated.comment_url, comment_data(text=text), django_capture_on_commit_callbacks)
    path = urlparse(verify_url_in(smtp_server.messages[0])).path
    client = Client()
    assert "läses av näringslivskontoret" in page(premoderated.comment_url)
    assert "Publicera min kommentar" in client.get(path).content.decode()
    done = client.post(path, follow=True).content.decode()
    assert "väntar på granskning" in done
    comment = Comment.objects.get()
    assert comment.state == State.PENDING and comment.published_at is None
    assert text not in page(premoderated.activity_url)

    staff = client_for(developer)
    queue = staff.get(reverse("actionplan:staff_moderation")).content.decode()
    assert "Kan ni ordna besöken" in queue
    url = reverse("actionplan:staff_comment", kwargs={"pk": comment.pk})
    response = staff.post(url, {"action": "publicera"}, follow=True)
    assert "Kommentaren är publicerad." in response.content.decode()
    comment.refresh_from_db()
    assert comment.state == State.PUBLISHED and comment.moderated_by == developer
    assert text in page(premoderated.activity_url)


def test_it_holds_a_confirmed_idea_for_review_in_a_premoderated_program(
    premoderated: Plan, developer: User, client_for: Any
) -> None:
    idea = idea_submit(
        area=premoderated.area,
        name="Omar Haddad",
        email="omar@kafe.example.se",
        title="Lokalt leverantörsregister",
        text="Så att kommunen hittar oss.",
    )
    path = with_token(idea, "kand-token-ide")
    assert "väntar på granskning" in Client().post(path, follow=True).content.decode()
    assert "Lokalt leverantörsregister" not in page(premoderated.area_url)
    client_for(developer).post(
        reverse("actionplan:staff_idea", kwargs={"pk": idea.pk}), {"action": "publicera"}
    )
    assert "Lokalt leverantörsregister" in page(premoderated.area_url)


# ---------------------------------------------------------------- hidden, answered


def test_it_shows_the_reason_in_place_of_a_hidden_comment(
    plan: Plan, developer: User, client_for: Any
) -> None:
    comment = published_comment(plan.activity, text="Ring Kalle på 070-123 45 67, han vet.")
    response = client_for(developer).post(
        reverse("actionplan:staff_comment", kwargs={"pk": comment.pk}),
        {"action": "dolj", "dolj-reason": "Innehöll personuppgifter"},
        follow=True,
    )
    assert "Kommentaren är dold." in response.content.decode()
    public = page(plan.activity_url)
    assert "070-123 45 67" not in public
    assert "Innehöll personuppgifter" in public
    comment.refresh_from_db()
    assert comment.state == State.HIDDEN and comment.hidden_reason == "Innehöll personuppgifter"


def test_it_shows_the_municipalitys_reply_under_a_comment(
    plan: Plan, developer: User, client_for: Any
) -> None:
    comment = published_comment(plan.activity)
    client_for(developer).post(
        reverse("actionplan:staff_comment", kwargs={"pk": comment.pk}),
        {"action": "svara", "svar-text": "Tack! Vi hör av oss inför nästa besöksrunda."},
    )
    public = page(plan.activity_url)
    assert "Bra initiativ!" in public
    assert "Tack! Vi hör av oss inför nästa besöksrunda." in public


def test_it_shows_the_reason_in_place_of_a_hidden_idea_and_the_reply_to_another(
    plan: Plan, developer: User
) -> None:
    from brygga.actionplan.tests.participation_factory import published_idea

    hidden = published_idea(plan.area, title="Reklam för min firma", text="Köp våra däck!")
    answered = published_idea(plan.area, title="Gemensam företagsportal")
    contribution_hide(contribution=hidden, reason="Reklam", actor=developer)
    contribution_reply(contribution=answered, text="Bra idé, vi tittar på den.", actor=developer)
    public = page(plan.area_url)
    assert "Köp våra däck!" not in public
    assert "Reklam" in public
    assert "Gemensam företagsportal" in public
    assert "Bra idé, vi tittar på den." in public


# ---------------------------------------------------------------- links that do not work


def test_it_answers_410_to_an_expired_link_and_publishes_nothing(plan: Plan, settings: Any) -> None:
    comment = comment_submit(
        activity=plan.activity, name="Sara", email="sara@example.se", text="Sent ute."
    )
    path = with_token(comment, "gammal-token")
    age(comment, settings.BRYGGA_VERIFY_LINK_DAYS + 0.1)
    for response in (Client().get(path), Client().post(path)):
        assert response.status_code == 410
        content = response.content.decode()
        assert "Länken har slutat gälla" in content
        assert "Skriv en ny kommentar" in content
    comment.refresh_from_db()
    assert comment.state == State.UNVERIFIED
    assert "Sent ute." not in page(plan.activity_url)


def test_it_answers_410_to_an_expired_idea_link(plan: Plan, settings: Any) -> None:
    idea = idea_submit(area=plan.area, name="Omar", email="o@example.se", title="Sent", text="x")
    path = with_token(idea, "gammal-ide")
    age(idea, settings.BRYGGA_VERIFY_LINK_DAYS + 1)
    response = Client().post(path)
    assert response.status_code == 410
    assert "Dela idén igen" in response.content.decode()
    assert Idea.objects.get().state == State.UNVERIFIED


def test_a_link_still_works_just_before_it_expires(plan: Plan, settings: Any) -> None:
    comment = comment_submit(activity=plan.activity, name="Sara", email="s@example.se", text="Ok")
    path = with_token(comment, "nastan-gammal")
    age(comment, settings.BRYGGA_VERIFY_LINK_DAYS - 0.01)
    assert Client().post(path).status_code == 302
    assert Comment.objects.get().state == State.PUBLISHED


def test_a_confirmed_link_still_shows_its_state_after_the_link_time(
    plan: Plan, settings: Any
) -> None:
    comment = published_comment(plan.activity)
    path = with_token(comment, "bekraftad-for-lange-sedan")
    age(comment, settings.BRYGGA_VERIFY_LINK_DAYS + 30)
    response = Client().get(path)
    assert response.status_code == 200
    assert "Din kommentar är publicerad" in response.content.decode()


@pytest.mark.parametrize("name", ["actionplan:comment_verify", "actionplan:idea_verify"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_an_unknown_link_with_a_swedish_404_page(
    plan: Plan, name: str, method: str
) -> None:
    published_comment(plan.activity)
    url = reverse(name, kwargs={"token": "finns-inte-alls"})
    response = getattr(Client(), method)(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert "Länken fungerar inte" in content
    assert '<html lang="sv">' in content


def test_a_comment_link_does_not_confirm_an_idea(plan: Plan) -> None:
    idea = idea_submit(area=plan.area, name="Omar", email="o@example.se", title="T", text="x")
    with_token(idea, "ide-token")
    url = reverse("actionplan:comment_verify", kwargs={"token": "ide-token"})
    assert Client().post(url).status_code == 404
    assert Idea.objects.get().state == State.UNVERIFIED


# ---------------------------------------------------------------- what may be commented


def test_it_does_not_take_comments_on_unpublished_activities_or_ideas_in_draft_areas(
    plan: Plan, developer: User
) -> None:
    activity_update(activity=plan.other, data={"published": False}, actor=developer)
    url = reverse(
        "actionplan:comment_create",
        kwargs={"program": plan.program.slug, "area": plan.area.slug, "activity": plan.other.slug},
    )
    assert Client().get(url).status_code == 404
    assert Client().post(url, comment_data()).status_code == 404
    assert Client().get(url + "skickad/").status_code == 404

    area_update(area=plan.area, data={"published": False}, actor=developer)
    assert Client().get(plan.idea_url).status_code == 404
    assert Client().post(plan.idea_url, idea_data()).status_code == 404
    assert Client().get(plan.comment_url).status_code == 404
    assert not Comment.objects.exists() and not Idea.objects.exists()


def test_it_answers_404_for_a_draft_program() -> None:
    draft = make_plan(title="Utkast", published=False)
    assert Client().get(draft.comment_url).status_code == 404
    assert Client().get(draft.idea_url).status_code == 404


# ---------------------------------------------------------------- bad input, bots, floods


def test_it_explains_every_missing_field_in_swedish_and_stores_nothing(
    plan: Plan, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    empty = {k: "" for k in comment_data()}
    response = submit(plan.comment_url, empty, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("Det här fältet är obligatoriskt.") == 3
    assert "Kommentaren skickades inte" in content
    assert plan.activity.title in content

    response = submit(
        plan.idea_url, {k: " " for k in idea_data()}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert response.content.decode().count("Det här fältet är obligatoriskt.") == 4
    assert not Comment.objects.exists() and not Idea.objects.exists()
    assert smtp_server.messages == []


def test_it_keeps_what_was_typed_when_the_form_comes_back(plan: Plan) -> None:
    response = Client().post(plan.comment_url, comment_data(email="inte-en-adress"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ange en giltig mejladress." in content
    assert "Bjud gärna in oss på Mariefreds Båtvarv." in content


def test_it_stores_and_sends_nothing_when_the_honeypot_is_filled(
    plan: Plan, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    response = submit(
        plan.comment_url,
        comment_data(website="http://spam.example"),
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert response["Location"] == comment_sent_url(plan.activity)
    response = submit(plan.idea_url, idea_data(website="köp"), django_capture_on_commit_callbacks)
    assert response["Location"] == idea_sent_url(plan.area)
    assert not Comment.objects.exists() and not Idea.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert smtp_server.messages == []


def test_it_limits_submissions_per_ip_with_the_429_page(
    plan: Plan, settings: Any, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    settings.BRYGGA_PUBLIC_RATE_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.7")
    for i in range(3):
        data = comment_data(email=f"person{i}@example.se")
        assert (
            submit(
                plan.comment_url, data, django_capture_on_commit_callbacks, client=client
            ).status_code
            == 302
        )
    # Ideas count towards the same limit.
    response = submit(plan.idea_url, idea_data(), django_capture_on_commit_callbacks, client=client)
    assert response.status_code == 429
    assert "För många försök" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert Comment.objects.count() == 3 and not Idea.objects.exists()
    assert len(smtp_server.messages) == 3
    # Another visitor is not affected.
    other = Client(REMOTE_ADDR="203.0.113.8").post(plan.comment_url, comment_data())
    assert other.status_code == 302


def test_it_limits_submissions_per_address_across_ips(
    plan: Plan, settings: Any, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    settings.BRYGGA_PUBLIC_RATE_LIMIT = 2
    for ip in ("192.0.2.1", "192.0.2.2"):
        response = submit(
            plan.comment_url,
            comment_data(email="offer@example.se"),
            django_capture_on_commit_callbacks,
            client=Client(REMOTE_ADDR=ip),
        )
        assert response.status_code == 302
    # The same address in other letters, on the idea form, from a third IP.
    response = submit(
        plan.idea_url,
        idea_data(email="Offer@Example.se"),
        django_capture_on_commit_callbacks,
        client=Client(REMOTE_ADDR="192.0.2.3"),
    )
    assert response.status_code == 429
    assert Comment.objects.count() == 2 and not Idea.objects.exists()
    assert [m["To"] for m in smtp_server.messages] == ["offer@example.se"] * 2


def test_it_requires_csrf_on_the_public_forms(plan: Plan) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(plan.comment_url, comment_data()).status_code == 403
    assert client.post(plan.idea_url, idea_data()).status_code == 403
    comment = comment_submit(activity=plan.activity, name="S", email="s@example.se", text="x")
    assert client.post(with_token(comment, "csrf-token")).status_code == 403
    assert Comment.objects.get().state == State.UNVERIFIED
