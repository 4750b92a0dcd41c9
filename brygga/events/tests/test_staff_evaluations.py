"""Evaluation results: per meeting, the meetings with answers, and per kind over time;
and the managed list of kinds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from brygga.accounts.models import User
from brygga.events.forms.staff import EventForm
from brygga.events.models import Evaluation, Event, EventKind, Registration
from brygga.events.services.evaluations import evaluation_submit
from brygga.events.services.events import event_cancel
from brygga.events.services.registrations import registration_set_attended
from brygga.events.tests.factories import local, make_event, make_past, make_registration

pytestmark = pytest.mark.django_db

RESULTS = reverse("events:staff_evaluations")


@pytest.fixture
def reader_client(reader: User, client_for: Callable[[User | None], Client]) -> Client:
    return client_for(reader)


def _held(
    scores: list[tuple[int, int, str]], *, at: dt.datetime | None = None, **fields: Any
) -> Event:
    """A meeting that took place, with one attendee's answer per score."""
    event = make_event(**fields)
    people = [
        make_registration(event, name=f"Person {i}", email=f"p{i}-{event.pk}@example.se")
        for i in range(len(scores))
    ]
    people = [registration_set_attended(registration=p, attended=True) for p in people]
    if at is None:
        make_past(event)
        people = [Registration.objects.get(pk=p.pk) for p in people]
        for person, (overall, dialogue, comment) in zip(people, scores, strict=True):
            evaluation_submit(
                registration=person, overall=overall, dialogue_time=dialogue, comment=comment
            )
    else:
        Event.objects.filter(pk=event.pk).update(starts_at=at, ends_at=at + dt.timedelta(hours=1))
        Evaluation.objects.bulk_create(
            Evaluation(registration=p, event=event, overall=o, dialogue_time=d, comment=c)
            for p, (o, d, c) in zip(people, scores, strict=True)
        )
    event.refresh_from_db()
    return event


def test_the_results_of_one_meeting(reader_client: Client) -> None:
    event = _held([(5, 2, "Bra frukost!"), (4, 3, ""), (4, 3, "För kort tid för frågor.")])
    response = reader_client.get(RESULTS, {"event": event.pk})
    results = response.context["results"]
    assert results.answers == 3
    assert round(results.avg_overall, 2) == 4.33
    assert round(results.avg_dialogue, 2) == 2.67
    spread = {row.value: (row.overall, row.dialogue_time) for row in results.distribution}
    assert spread == {1: (0, 0), 2: (0, 1), 3: (0, 2), 4: (2, 0), 5: (1, 0)}
    assert [e.comment for e in results.comments] == ["Bra frukost!", "För kort tid för frågor."]
    html = response.content.decode()
    assert "Bra frukost!" in html and "4,3" in html
    # The meeting's page links here.
    detail = reader_client.get(reverse("events:staff_detail", kwargs={"pk": event.pk}))
    assert f"{RESULTS}?event={event.pk}" in detail.content.decode()


def test_a_meeting_without_answers_says_so(reader_client: Client) -> None:
    event = make_event()
    html = reader_client.get(RESULTS, {"event": event.pk}).content.decode()
    assert "Ingen har svarat" in html


def test_results_per_kind_by_year_and_half_year(reader_client: Client) -> None:
    _held([(5, 5, ""), (3, 3, "")], at=local(2025, 3, 12, 8))  # frukostmöte, spring 2025
    _held([(4, 2, "")], at=local(2025, 9, 10, 8))  # frukostmöte, autumn 2025
    _held([], at=local(2025, 10, 1, 8))  # held, nobody answered
    _held([(2, 1, "")], at=local(2024, 5, 2, 9), kind_key="dialogmote")
    cancelled = _held([], at=local(2025, 4, 1, 8))
    event_cancel(event=cancelled)

    def rows(per: str) -> list[tuple[Any, ...]]:
        response = reader_client.get(RESULTS, {"per": per})
        return [
            (
                r.kind.key,
                r.year,
                r.half,
                r.events,
                r.answers,
                r.avg_overall and round(r.avg_overall, 2),
                r.avg_dialogue and round(r.avg_dialogue, 2),
            )
            for r in response.context["by_kind"]
        ]

    assert rows("ar") == [
        ("frukostmote", 2025, None, 3, 3, 4.0, 3.33),
        ("dialogmote", 2024, None, 1, 1, 2.0, 1.0),
    ]
    assert rows("halvar") == [
        ("frukostmote", 2025, 2, 2, 1, 4.0, 2.0),
        ("frukostmote", 2025, 1, 1, 2, 4.0, 4.0),
        ("dialogmote", 2024, 1, 1, 1, 2.0, 1.0),
    ]
    html = reader_client.get(RESULTS, {"per": "halvar"}).content.decode()
    assert "jul\N{EN DASH}dec 2025" in html


def test_the_overview_reads_a_fixed_number_of_queries(
    reader_client: Client, django_assert_num_queries: Any
) -> None:
    _held([(5, 5, "")], at=local(2025, 3, 12, 8))
    reader_client.get(RESULTS)
    with django_assert_num_queries(6) as few:
        reader_client.get(RESULTS)
    _held([(4, 4, "")], at=local(2024, 3, 12, 8), kind_key="dialogmote")
    _held([(3, 4, "")], at=local(2025, 9, 12, 8), kind_key="lunchmote")
    with django_assert_num_queries(len(few.captured_queries)):
        reader_client.get(RESULTS)
    event = _held([(3, 4, "x"), (2, 2, "y")], at=local(2025, 9, 12, 8))
    with django_assert_num_queries(6):  # session, user, event, questions, aggregate, comments
        reader_client.get(RESULTS, {"event": event.pk})


# ---------------------------------------------------------------- kinds


@pytest.fixture
def office(developer: User, client_for: Callable[[User | None], Client]) -> Client:
    return client_for(developer)


def test_a_kind_is_added_renamed_and_retired(office: Client) -> None:
    response = office.post(
        reverse("events:staff_kind_add"), {"label": "Företagsfrukost Åker", "active": "on"}
    )
    assert response.status_code == 302
    added = EventKind.objects.get(label="Företagsfrukost Åker")
    assert (added.key, added.active, added.position) == ("foretagsfrukost-aker", True, 0)
    edit = reverse("events:staff_kind_edit", kwargs={"pk": added.pk})
    office.post(edit, {"label": "Frukost i Åker", "position": "3", "active": "on"})
    added.refresh_from_db()
    assert (added.label, added.key, added.position) == ("Frukost i Åker", "foretagsfrukost-aker", 3)
    office.post(edit, {"label": "Frukost i Åker", "position": "3"})
    added.refresh_from_db()
    assert not added.active
    assert added not in EventForm().fields["kind"].queryset  # type: ignore[attr-defined]
    listed = office.get(reverse("events:staff_kinds")).content.decode()
    assert "Frukost i Åker" in listed and "Ur bruk" in listed


def test_a_meeting_keeps_its_retired_kind(office: Client) -> None:
    event = make_event(kind_key="workshop")
    EventKind.objects.filter(key="workshop").update(active=False)
    form = EventForm(event=event)
    assert event.kind in form.fields["kind"].queryset  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"label": "Frukostmöte"}, "label", "används redan"),
        ({"label": "Nytt", "key": "frukostmote"}, "key", "används redan"),
        ({"label": "Nytt", "key": "inte ok"}, "key", ""),
        ({"label": ""}, "label", "Ange en benämning."),
        ({"label": "!!!"}, "key", "Ange en nyckel"),
    ],
)
def test_a_bad_kind_is_explained_and_nothing_is_written(
    office: Client, data: dict[str, str], field: str, message: str
) -> None:
    before = EventKind.objects.count()
    response = office.post(reverse("events:staff_kind_add"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert EventKind.objects.count() == before
