"""The subscriber's own pages: managing subscriptions, and one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brygga.actionplan.models import Subscriber, Subscription
from brygga.actionplan.services.structure import area_update
from brygga.actionplan.services.subscriptions import (
    subscription_cancel,
)
from brygga.actionplan.tests.subscriptions_factory import (
    Plan,
    confirm_url,
    make_plan,
    manage_url,
    subscribe,
    unsubscribe_all_url,
    unsubscribe_url,
)
from brygga.core.models import AuditEntry

pytestmark = pytest.mark.django_db

ANNA = "anna.foretagare@example.se"


@pytest.fixture
def plan() -> Plan:
    return make_plan()


# ---------------------------------------------------------------- managing


def test_it_shows_the_subscriptions_and_their_state(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,))
    subscribe(ANNA, programs=(plan.other_program,), confirmed=False)
    body = Client().get(manage_url(subscriber)).content.decode()
    assert ANNA in body
    assert plan.area.title in body and "Bekräftad" in body
    assert "Näringslivsstrategi Lerum" in body and "Väntar på bekräftelse" in body
    assert "Avsluta alla prenumerationer" in body


def _post(subscriber: Subscriber, **data: Any) -> Any:
    return Client().post(manage_url(subscriber), data, follow=True)


def test_it_saves_the_frequency(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,))
    response = _post(subscriber, action="frequency", frequency="weekly")
    assert response.status_code == 200
    assert "En sammanfattning i veckan" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.frequency == Subscriber.Frequency.WEEKLY
    assert subscriber.last_digest_at is not None
    entry = AuditEntry.objects.filter(subject_type="actionplan.subscriber").get()
    assert entry.changes == {"frequency": ["immediate", "weekly"]}

    bad = Client().post(manage_url(subscriber), {"action": "frequency", "frequency": "hourly"})
    assert bad.status_code == 200
    assert "Välj ett giltigt alternativ" in bad.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.frequency == Subscriber.Frequency.WEEKLY


def test_it_adds_a_published_area_or_program_without_another_confirmation(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,))
    page = Client().get(manage_url(subscriber)).content.decode()
    assert f'value="area:{plan.area.pk}"' not in page  # already followed
    assert f'value="area:{plan.far_area.pk}"' in page

    _post(subscriber, action="add", target=f"area:{plan.far_area.pk}")
    _post(subscriber, action="add", target=f"program:{plan.program.pk}")

    added = Subscription.objects.filter(subscriber=subscriber).exclude(area=plan.area)
    assert {(s.area_id, s.program_id) for s in added} == {
        (plan.far_area.pk, None),
        (None, plan.program.pk),
    }
    assert all(s.confirmed_at is not None for s in added)
    page = Client().get(manage_url(subscriber)).content.decode()
    # The program is followed as a whole now: neither it nor its areas are offered.
    assert f'value="area:{plan.other_area.pk}"' not in page


def test_it_refuses_to_add_what_is_not_published(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,))
    area_update(area=plan.other_area, data={"published": False})
    for target in (f"area:{plan.other_area.pk}", "area:99999", "program:x", "<script>"):
        response = Client().post(manage_url(subscriber), {"action": "add", "target": target})
        assert response.status_code == 200
        assert "Välj ett giltigt alternativ" in response.content.decode()
    assert Subscription.objects.count() == 1


def test_it_removes_one_subscription_and_the_address_with_the_last(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area, plan.other_area))
    first, second = Subscription.objects.order_by("id")

    response = _post(subscriber, action="remove", subscription=str(first.pk))
    assert "Du prenumererar inte längre på" in response.content.decode()
    assert list(Subscription.objects.all()) == [second]

    # Someone else's subscription id does nothing.
    other = subscribe("other@example.se", areas=(plan.area,))
    _post(subscriber, action="remove", subscription=str(other.subscriptions.get().pk))
    assert Subscription.objects.filter(subscriber=other).exists()

    response = _post(subscriber, action="remove", subscription=str(second.pk))
    assert "Du prenumererar inte längre" in response.content.decode()
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert Client().get(manage_url(subscriber)).status_code == 404


def test_it_ends_everything_and_deletes_the_address(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,), programs=(plan.other_program,))
    response = Client().post(manage_url(subscriber), {"action": "cancel_all"})
    assert response.status_code == 200
    assert "vi har raderat din e-postadress" in response.content.decode()
    assert not Subscriber.objects.filter(email=ANNA).exists()
    assert not Subscription.objects.exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).count() == 2


def test_it_requires_csrf_on_the_manage_page(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,))
    client = Client(enforce_csrf_checks=True)
    for action in ("cancel_all", "frequency"):
        response = client.post(manage_url(subscriber), {"action": action, "frequency": "weekly"})
        assert response.status_code == 403
    subscriber.refresh_from_db()
    assert subscriber.frequency == Subscriber.Frequency.IMMEDIATE


@pytest.mark.parametrize("extra", [0, 40])
def test_it_shows_the_manage_page_in_a_fixed_number_of_queries(
    plan: Plan, django_assert_num_queries: Any, extra: int
) -> None:
    from brygga.actionplan.services.structure import area_create

    subscriber = subscribe(ANNA, areas=(plan.area,), programs=(plan.other_program,))
    for i in range(extra):
        area = area_create(program=plan.program, title=f"Område {i}", published=True)
        if i % 2:
            subscribe(ANNA, areas=(area,))
    client = Client()
    # subscriber, its subscriptions (with areas and programs), programs, areas
    with django_assert_num_queries(4):
        assert client.get(manage_url(subscriber)).status_code == 200


# ---------------------------------------------------------------- unsubscribing


def test_it_asks_first_on_a_get_and_ends_the_subscription_on_a_bare_post(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area, plan.other_area))
    subscription = subscriber.subscriptions.get(area=plan.area)
    url = unsubscribe_url(subscription)

    page = Client().get(url)
    assert page.status_code == 200
    assert "Avsluta prenumerationen" in page.content.decode()
    assert 'name="csrfmiddlewaretoken"' not in page.content.decode()
    assert not page.cookies
    assert Subscription.objects.filter(pk=subscription.pk).exists()

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200  # RFC 8058: no redirect
    assert not response.cookies
    assert "Prenumerationen är avslutad" in response.content.decode()
    assert manage_url(subscriber) in response.content.decode()  # another one is left
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()

    # Again (a mailbox provider retrying): the same friendly answer, no error.
    again = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert again.status_code == 200
    assert "inte längre aktiv" in again.content.decode()
    missing = Client().get(url)
    assert missing.status_code == 404
    assert "inte längre aktiv" in missing.content.decode()


def test_it_deletes_the_address_with_its_last_subscription(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,))
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_url(subscriber.subscriptions.get()), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert "vi har raderat din e-postadress" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_it_ends_every_subscription_with_the_all_link(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,), programs=(plan.other_program,))
    url = unsubscribe_all_url(subscriber)
    page = Client().get(url)
    assert page.status_code == 200 and "Avsluta alla prenumerationer" in page.content.decode()
    assert Subscription.objects.count() == 2

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and not response.cookies
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    assert client.post(url, {}).status_code == 200
    assert Client().get(url).status_code == 404


def test_it_allows_a_head_request_without_unsubscribing(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,))
    subscription = subscriber.subscriptions.get()
    assert Client().head(unsubscribe_url(subscription)).status_code == 200
    assert Client().head(unsubscribe_all_url(subscriber)).status_code == 200
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_it_ends_a_subscription_that_was_never_confirmed(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,), confirmed=False)
    subscription_cancel(subscription=subscriber.subscriptions.get())
    assert not Subscriber.objects.exists()
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).get()
    assert entry.changes == {"confirmed": [False, None]}
    assert ANNA not in entry.subject_repr


def test_it_writes_nothing_in_a_get_of_any_token_page(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.area,), confirmed=False)
    subscription = subscriber.subscriptions.get()
    before = timezone.now() - dt.timedelta(seconds=1)
    with CaptureQueriesContext(connection) as queries:
        for url in (
            confirm_url(subscriber),
            manage_url(subscriber),
            unsubscribe_url(subscription),
            unsubscribe_all_url(subscriber),
        ):
            assert Client().get(url).status_code == 200
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert Subscription.objects.get().confirmed_at is None
    assert not AuditEntry.objects.filter(at__gt=before, action=AuditEntry.Action.DELETE).exists()


def test_it_ends_the_program_too_when_it_would_go_on_mailing_about_the_area(
    plan: Plan,
) -> None:
    subscriber = subscribe(
        ANNA, areas=(plan.area, plan.far_area), programs=(plan.program, plan.other_program)
    )
    area_subscription = subscriber.subscriptions.get(area=plan.area)
    url = unsubscribe_url(area_subscription)

    page = Client().get(url).content.decode()
    assert "Du prenumererar också på hela programmet ”Topp 50-2017”" in page

    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "hela programmet ”Topp 50-2017” är också avslutad" in response.content.decode()
    left = Subscription.objects.filter(subscriber=subscriber)
    # What does not mail about this area stays.
    assert {(s.area_id, s.program_id) for s in left} == {
        (plan.far_area.pk, None),
        (None, plan.other_program.pk),
    }


def test_it_ends_only_the_program_from_a_program_subscribers_link(plan: Plan) -> None:
    subscriber = subscribe(ANNA, areas=(plan.far_area,), programs=(plan.program,))
    program_subscription = subscriber.subscriptions.get(program=plan.program)
    Client().post(unsubscribe_url(program_subscription))
    assert [s.area for s in Subscription.objects.filter(subscriber=subscriber)] == [plan.far_area]
