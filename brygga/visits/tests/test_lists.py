"""The managed lists (kinds of visit, feedback topics with their department) and the
yearly targets: add, edit, retire, set; clear messages and constant queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from brygga.accounts.models import Department, User
from brygga.core.models import AuditEntry
from brygga.register.tests.companies_factory import make_company
from brygga.visits.models import Topic, VisitKind, VisitTarget
from brygga.visits.services.targets import target_set
from brygga.visits.tests.factories import make_feedback, make_visit

pytestmark = pytest.mark.django_db

LISTS = reverse("visits:lists")
TARGETS = reverse("visits:targets")


# ---------------------------------------------------------------- the lists page


def test_the_lists_page_shows_kinds_and_topics_with_their_use(
    client_for: Any, developer: User, department_bygglov: Department
) -> None:
    Topic.objects.filter(key="tillstand").update(department=department_bygglov)
    VisitKind.objects.filter(key="massa").update(active=False)
    company = make_company("Bygg AB")
    make_visit([company], kind="lunch")
    visit = make_visit([company], kind="lunch")
    make_feedback(visit, "tillstand")
    response = client_for(developer).get(LISTS)
    assert response.status_code == 200
    kinds = dict((k.key, n) for k, n in response.context["kinds"])
    assert kinds["lunch"] == 2 and kinds["besok"] == 0
    html = response.content.decode()
    row = html[html.index("<code>tillstand</code>") :].split("</tr>")[0]
    assert "Bygglov" in row and "<td>1</td>" in row
    massa = html[html.index("<code>massa</code>") :].split("</tr>")[0]
    assert "Ur bruk" in massa
    assert reverse("visits:kind_add") in html and reverse("visits:topic_add") in html


@pytest.mark.parametrize("extra", [0, 30])
def test_the_lists_page_reads_in_constant_queries(
    client_for: Any, developer: User, django_assert_num_queries: Any, extra: int
) -> None:
    department = Department.objects.create(name="Miljö", slug="miljo")
    for i in range(extra):
        VisitKind.objects.create(key=f"k{i}", label=f"Typ {i}")
        Topic.objects.create(key=f"t{i}", label=f"Ämne {i}", department=department)
    client = client_for(developer)
    # session, user, visits per kind, kinds, topics with departments and counts.
    with django_assert_num_queries(5):
        response = client.get(LISTS)
    assert len(response.context["kinds"]) == 6 + extra


def test_a_reader_sees_the_lists_without_buttons(client_for: Any, reader: User) -> None:
    html = client_for(reader).get(LISTS).content.decode()
    assert "Upphandling" in html and reverse("visits:kind_add") not in html


# ---------------------------------------------------------------- kinds and topics


def test_a_kind_is_added_with_a_key_made_from_its_label(client_for: Any, developer: User) -> None:
    response = client_for(developer).post(
        reverse("visits:kind_add"),
        {"label": "Företagsfrukost på Åkers", "key": "", "position": "", "active": "on"},
    )
    assert response.status_code == 302 and response["Location"] == LISTS
    kind = VisitKind.objects.get(label="Företagsfrukost på Åkers")
    assert (kind.key, kind.position, kind.active) == ("foretagsfrukost-pa-akers", 0, True)
    assert AuditEntry.objects.filter(subject_type="visits.visitkind", action="create").exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"label": ""}, "label", None),
        ({"label": "Lunch"}, "label", "Benämningen ”Lunch” används redan. Välj en annan."),
        ({"label": "Ny", "key": "besok"}, "key", "Nyckeln ”besok” används redan. Välj en annan."),
        ({"label": "Besök!"}, "key", "Nyckeln ”besok” används redan. Välj en annan."),
        ({"label": "Ny", "key": "Inte en nyckel!"}, "key", None),
        ({"label": "!!!"}, "key", "Ange en nyckel med bokstäverna a till z."),
        ({"label": "Ny", "position": "-1"}, "position", None),
    ],
    ids=[
        "no-label",
        "label-taken",
        "key-taken",
        "made-key-taken",
        "bad-key",
        "no-letters",
        "negative-position",
    ],
)
def test_a_bad_kind_is_explained(
    client_for: Any, developer: User, data: dict[str, str], field: str, message: str | None
) -> None:
    payload = {"label": "", "key": "", "position": "", "active": "on", **data}
    response = client_for(developer).post(reverse("visits:kind_add"), payload)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors if message is None else errors == [message]
    assert VisitKind.objects.count() == 6


def test_a_kind_is_renamed_and_retired_but_keeps_its_key(client_for: Any, developer: User) -> None:
    kind = VisitKind.objects.get(key="massa")
    url = reverse("visits:kind_edit", kwargs={"pk": kind.pk})
    client = client_for(developer)
    assert "key" not in client.get(url).context["form"].fields
    response = client.post(url, {"label": "Mässa och utställning", "key": "ny", "position": "9"})
    assert response.status_code == 302
    kind.refresh_from_db()
    assert (kind.key, kind.label, kind.position, kind.active) == (
        "massa",
        "Mässa och utställning",
        9,
        False,
    )
    offered = client.get(reverse("visits:visit_create")).context["form"].fields["kind"].queryset
    assert kind not in offered


def test_a_topic_is_added_for_a_department_and_edited(
    client_for: Any, developer: User, department_bygglov: Department
) -> None:
    client = client_for(developer)
    response = client.post(
        reverse("visits:topic_add"),
        {
            "label": "Strandskydd",
            "key": "",
            "department": str(department_bygglov.pk),
            "position": "20",
            "active": "on",
        },
    )
    assert response.status_code == 302
    topic = Topic.objects.get(key="strandskydd")
    assert topic.department == department_bygglov and topic.position == 20
    url = reverse("visits:topic_edit", kwargs={"pk": topic.pk})
    assert client.get(url).context["form"]["department"].value() == department_bygglov.pk
    client.post(
        url,
        {"label": "Strandskydd och dispens", "department": "", "position": "20", "active": "on"},
    )
    topic.refresh_from_db()
    assert topic.label == "Strandskydd och dispens" and topic.department is None


def test_an_unknown_department_is_explained(client_for: Any, developer: User) -> None:
    response = client_for(developer).post(
        reverse("visits:topic_add"), {"label": "Nytt", "department": "999", "active": "on"}
    )
    assert response.status_code == 200 and response.context["form"].errors["department"]


# ---------------------------------------------------------------- targets


def test_targets_are_listed_with_the_held_visits_of_their_year(
    client_for: Any, reader: User
) -> None:
    target_set(year=2025, visits=300, coverage_percent=Decimal("10"), note="Som Sandviken")
    target_set(year=2026, visits=250)
    company = make_company("Bygg AB")
    make_visit([company], date=dt.date(2025, 4, 1))
    make_visit([company], date=dt.date(2025, 5, 1))
    make_visit([company], date=dt.date(2025, 6, 1), status="planned")
    response = client_for(reader).get(TARGETS)
    assert response.status_code == 200
    assert [(t.year, n) for t, n in response.context["targets"]] == [(2026, 0), (2025, 2)]
    assert response.context["form"] is None
    html = response.content.decode()
    assert "Som Sandviken" in html and "10 %" in html
    assert client_for(reader).post(TARGETS, {"year": "2027", "visits": "1"}).status_code == 403


def test_a_target_is_set_and_changed(client_for: Any, developer: User) -> None:
    client = client_for(developer)
    response = client.post(
        TARGETS, {"year": "2027", "visits": "320", "coverage_percent": "12.5", "note": ""}
    )
    assert response.status_code == 302
    target = VisitTarget.objects.get(year=2027)
    assert (target.visits, target.coverage_percent) == (320, Decimal("12.50"))
    # The "Ändra" link fills the form in with the year's target.
    form = client.get(TARGETS, {"ar": "2027"}).context["form"]
    assert form["visits"].value() == 320 and form["year"].value() == 2027
    client.post(TARGETS, {"year": "2027", "visits": "350", "coverage_percent": "", "note": "Mer"})
    target.refresh_from_db()
    assert (target.visits, target.coverage_percent, target.note) == (350, None, "Mer")
    assert VisitTarget.objects.count() == 1
    assert AuditEntry.objects.filter(subject_type="visits.visittarget").count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"year": "1999"}, "year"),
        ({"year": "tjugo"}, "year"),
        ({"visits": "-5"}, "visits"),
        ({"visits": ""}, "visits"),
        ({"coverage_percent": "150"}, "coverage_percent"),
        ({"coverage_percent": "tio"}, "coverage_percent"),
    ],
    ids=["year-too-early", "year-words", "negative", "no-visits", "over-100", "words"],
)
def test_a_bad_target_is_explained(
    client_for: Any, developer: User, data: dict[str, str], field: str
) -> None:
    payload = {"year": "2027", "visits": "300", "coverage_percent": "", "note": "", **data}
    response = client_for(developer).post(TARGETS, payload)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert "Formuläret är inte sparat" in response.content.decode()
    assert not VisitTarget.objects.exists()


@pytest.mark.parametrize("n", [1, 30])
def test_the_targets_page_reads_in_constant_queries(
    client_for: Any, developer: User, django_assert_num_queries: Any, n: int
) -> None:
    for year in range(2000, 2000 + n):
        target_set(year=year, visits=100)
    client = client_for(developer)
    # session, user, targets, held visits per year.
    with django_assert_num_queries(4):
        response = client.get(TARGETS)
    assert len(response.context["targets"]) == n
