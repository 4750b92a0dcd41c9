"""The visit list (filters, newest first, planned visits marked, constant queries), a
visit's page, editing (several companies), deleting, and planning in one click."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from brygga.accounts.models import User
from brygga.actionplan.tests.factories import make_activity, make_area, make_program
from brygga.core.models import AuditEntry
from brygga.register.models import Company
from brygga.register.tests.companies_factory import make_companies, make_company, orgnr, pnr
from brygga.visits.models import Visit, VisitKind
from brygga.visits.services.visits import next_working_day
from brygga.visits.tests.factories import make_feedback, make_follow_up, make_visit

pytestmark = pytest.mark.django_db

LIST = reverse("visits:visit_list")


def detail(visit: Visit) -> str:
    return reverse("visits:visit_detail", kwargs={"pk": visit.pk})


def listed(response: Any) -> list[Visit]:
    return list(response.context["page_obj"])


@pytest.fixture
def bygg() -> Company:
    return make_company("Mariefreds Bygg AB", identity=orgnr(4711), postal_town="Mariefred")


@pytest.fixture
def cafe() -> Company:
    return make_company("Kafé Ugglan", identity=orgnr(4712), postal_town="Strängnäs")


# ---------------------------------------------------------------- the list


def test_it_lists_newest_first_with_planned_visits_marked(
    client_for: Any, developer: User, bygg: Company, cafe: Company
) -> None:
    old = make_visit([bygg], date=dt.date(2025, 5, 2))
    new = make_visit([bygg, cafe], date=dt.date(2026, 3, 4), staff=[developer])
    planned = make_visit([cafe], date=dt.date(2026, 4, 1), status=Visit.Status.PLANNED)
    make_feedback(new)
    make_follow_up(new, owner=developer, due_on=dt.date(2026, 4, 1))
    response = client_for(developer).get(LIST)
    assert response.status_code == 200
    assert listed(response) == [planned, new, old]
    html = response.content.decode()
    assert (
        '<tr class="planned">' in html
        and '<span class="badge badge-planned">Planerat</span>' in html
    )
    assert html.count('class="planned"') == 1
    row = html[html.index(detail(new)) :].split("</tr>")[0]
    assert "Kafé Ugglan, Mariefreds Bygg AB" in row and "Nils Utvecklare" in row
    assert "<td>1</td>\n        <td>1</td>" in row  # one feedback item, one open follow-up
    assert "3 besök" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2025"}, ["old"]),
        ({"kind": "telefon"}, ["phone"]),
        ({"status": "planned"}, ["planned"]),
        ({"staff": "developer"}, ["new"]),
        ({"company": "ugglan"}, ["planned", "new"]),
        ({"company": "550004-7112"}, ["new", "old"]),
        ({"company": "5500047112", "year": "2026"}, ["new"]),
        ({"company": "finns inte"}, []),
    ],
    ids=["year", "kind", "status", "staff", "company-name", "org-number", "combined", "none"],
)
def test_it_filters(
    client_for: Any,
    developer: User,
    bygg: Company,
    cafe: Company,
    params: dict[str, str],
    expected: list[str],
) -> None:
    visits = {
        "old": make_visit([bygg], date=dt.date(2025, 5, 2)),
        "new": make_visit([bygg, cafe], date=dt.date(2026, 3, 4), staff=[developer]),
        "planned": make_visit([cafe], date=dt.date(2026, 4, 1), status=Visit.Status.PLANNED),
        "phone": make_visit([make_company("Annat AB")], date=dt.date(2026, 1, 9), kind="telefon"),
    }
    if params.get("staff") == "developer":
        params = {**params, "staff": str(developer.pk)}
    response = client_for(developer).get(LIST, params)
    assert listed(response) == [visits[name] for name in expected]
    if not expected:
        assert "Inga besök matchar filtret." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"year": "tjugo"}, {"year": "99999"}, {"kind": "nope"}, {"status": "x"}, {"staff": "x"}],
    ids=["year-words", "year-big", "kind", "status", "staff"],
)
def test_a_bad_filter_is_explained_not_a_500(
    client_for: Any, developer: User, params: dict[str, str]
) -> None:
    response = client_for(developer).get(LIST, params)
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert response.context["form"].errors
    assert "Filtret är ogiltigt" in response.content.decode()


def test_it_pages_and_keeps_the_filters(client_for: Any, developer: User, bygg: Company) -> None:
    for day in range(1, 56):
        make_visit([bygg], date=dt.date(2025, 1, 1) + dt.timedelta(days=day))
    response = client_for(developer).get(LIST, {"year": "2025"})
    assert len(listed(response)) == 50
    assert 'href="?year=2025&amp;sida=2"' in response.content.decode()
    second = client_for(developer).get(LIST, {"year": "2025", "sida": "2"})
    assert len(listed(second)) == 5


@pytest.mark.parametrize("n", [1, 30])
def test_the_list_reads_in_constant_queries(
    client_for: Any, developer: User, django_assert_num_queries: Any, n: int
) -> None:
    companies = make_companies(2 * n)
    for i in range(n):
        visit = make_visit(companies[2 * i : 2 * i + 2], staff=[developer])
        make_feedback(visit)
        make_follow_up(visit, owner=developer, due_on=dt.date(2026, 4, 1))
    client = client_for(developer)
    # session, user, count, page, companies, staff; the filter form's kinds and users.
    with django_assert_num_queries(8):
        response = client.get(LIST)
    assert len(listed(response)) == n
    # ... and the kind filter's look-up of its key.
    with django_assert_num_queries(9):
        response = client.get(LIST, {"company": "företag", "year": "2026", "kind": "besok"})
    assert len(listed(response)) == n


# ---------------------------------------------------------------- a visit's page


def test_the_page_shows_everything_about_the_visit(
    client_for: Any, developer: User, admin_user: User, bygg: Company, cafe: Company
) -> None:
    program = make_program()
    area = make_area(program, title="Snabbare bygglov")
    activity = make_activity(area, title="Bygglovslots")
    visit = make_visit(
        [bygg, cafe],
        staff=[developer, admin_user],
        politicians="Eva Ek (C)",
        other_participants="Räddningstjänsten",
        notes="Vill bygga ut.\nBehöver mark.",
        rating=4,
        actor=developer,
    )
    make_feedback(visit, "tillstand", "negative", "Bygglovet tog tid.", company=bygg, area=area)
    make_feedback(visit, "bemotande", "positive", "Trevligt bemötande.", activity=activity)
    make_feedback(visit, "ovrigt", "neutral", "Inget särskilt.")
    make_follow_up(visit, owner=admin_user, due_on=dt.date(2020, 1, 10), title="Ring tillbaka")
    response = client_for(developer).get(detail(visit))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Besök 2026-03-04",
        reverse("register:company_detail", kwargs={"key": bygg.url_key}),
        reverse("register:company_detail", kwargs={"key": cafe.url_key}),
        "550004-7112, Mariefred",
        "Anna Admin, Nils Utvecklare",
        "Eva Ek (C)",
        "Räddningstjänsten",
        "4 av 5",
        "Vill bygga ut.<br>Behöver mark.",
        "Tillstånd och handläggning",
        "Negativ",
        "Från Mariefreds Bygg AB.",
        reverse("actionplan:staff_area", kwargs={"pk": area.pk}),
        reverse("actionplan:staff_activity", kwargs={"pk": activity.pk}),
        "Inte kopplad till handlingsplanen.",
        "Ring tillbaka",
        "2020-01-10",
        '<span class="badge badge-overdue">Försenad</span>',
        "Markera som klar",
        reverse("visits:visit_edit", kwargs={"pk": visit.pk}),
        reverse("visits:feedback_add", kwargs={"pk": visit.pk}),
        reverse("visits:follow_up_add", kwargs={"pk": visit.pk}),
        reverse("visits:visit_delete", kwargs={"pk": visit.pk}),
    ]:
        assert text in html, text


def test_the_page_reads_in_constant_queries(
    client_for: Any, developer: User, django_assert_num_queries: Any
) -> None:
    companies = make_companies(20)
    visit = make_visit(companies, staff=[developer])
    for company in companies:
        make_feedback(visit, company=company)
        make_follow_up(visit, owner=developer, due_on=dt.date(2026, 4, 1))
    client = client_for(developer)
    # session, user, visit with kind and author, companies, staff, feedback, follow-ups.
    with django_assert_num_queries(7):
        response = client.get(detail(visit))
    assert response.status_code == 200


def test_a_reader_sees_the_page_with_personnummer_masked_and_no_buttons(
    client_for: Any, reader: User
) -> None:
    trader = make_company("Anna Andersson Måleri", identity=pnr(1), identity_kind="pnr")
    visit = make_visit([trader])
    make_follow_up(visit, owner=reader, due_on=dt.date(2026, 4, 1))
    html = client_for(reader).get(detail(visit)).content.decode()
    assert "19800101-****" in html and pnr(1)[8:] not in html
    assert "Markera som klar" not in html and "Ändra besöket" not in html


def test_an_unknown_visit_is_404(client_for: Any, developer: User) -> None:
    assert client_for(developer).get(reverse("visits:visit_detail", args=[999])).status_code == 404


# ---------------------------------------------------------------- edit


def edit(client: Any, visit: Visit, **data: Any) -> Any:
    payload: dict[str, Any] = {
        "companies": [str(c.pk) for c in visit.companies.all()],
        "add_company": "",
        "add_company_pick": "",
        "add_company_searched": "",
        "date": f"{visit.date:%Y-%m-%d}",
        "kind": str(visit.kind_id),
        "status": visit.status,
        "rating": "" if visit.rating is None else str(visit.rating),
        "notes": visit.notes,
        "staff": [str(u.pk) for u in visit.staff.all()],
        "politicians": visit.politicians,
        "other_participants": visit.other_participants,
    }
    payload.update(data)
    return client.post(reverse("visits:visit_edit", kwargs={"pk": visit.pk}), payload)


def test_the_edit_form_shows_the_visit(client_for: Any, developer: User, bygg: Company) -> None:
    visit = make_visit([bygg], rating=3, notes="Gammal text", staff=[developer])
    response = client_for(developer).get(reverse("visits:visit_edit", kwargs={"pk": visit.pk}))
    form = response.context["form"]
    assert form["companies"].value() == [bygg.pk]
    assert form["rating"].value() == "3" and form["notes"].value() == "Gammal text"
    assert form["staff"].value() == [developer.pk]


def test_editing_changes_the_fields_and_adds_and_removes_companies(
    client_for: Any, developer: User, admin_user: User, bygg: Company, cafe: Company
) -> None:
    visit = make_visit([bygg], staff=[developer], status=Visit.Status.PLANNED)
    response = edit(
        client_for(developer),
        visit,
        companies=[],
        add_company="Kafé Ugglan",
        status="held",
        rating="5",
        kind=str(VisitKind.objects.get(key="lunch").pk),
        staff=[str(admin_user.pk)],
        other_participants="Handelsföreningen",
    )
    assert response.status_code == 302, response.context["form"].errors
    visit.refresh_from_db()
    assert list(visit.companies.all()) == [cafe]
    assert (visit.status, visit.rating, visit.kind.key) == ("held", 5, "lunch")
    assert list(visit.staff.all()) == [admin_user]
    assert visit.other_participants == "Handelsföreningen"
    entry = AuditEntry.objects.filter(subject_type="visits.visit", action="update").get()
    assert entry.changes["companies"] == [[bygg.pk], [cafe.pk]]
    # A second company joins the same visit.
    response = edit(client_for(developer), visit, add_company=bygg.identity)
    assert response.status_code == 302
    assert set(visit.companies.all()) == {bygg, cafe}


def test_removing_every_company_is_refused(client_for: Any, developer: User, bygg: Company) -> None:
    visit = make_visit([bygg])
    response = edit(client_for(developer), visit, companies=[])
    assert response.status_code == 200
    assert response.context["form"].errors["companies"] == ["Ett besök måste ha minst ett företag."]
    assert list(visit.companies.all()) == [bygg]


def test_an_ambiguous_added_company_asks_which(
    client_for: Any, developer: User, bygg: Company
) -> None:
    visit = make_visit([bygg])
    make_company("Kafé Ugglan Mariefred")
    make_company("Kafé Ugglan Strängnäs")
    response = edit(client_for(developer), visit, add_company="ugglan", rating="x")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["add_company"] == ["2 företag matchar ”ugglan”. Välj ett av dem nedan."]
    assert form.errors["rating"] == ["Betyget ska vara ett tal från 1 till 5."]
    assert len(form.pickers["add_company"].candidates) == 2


# ---------------------------------------------------------------- delete and plan


def test_delete_asks_first_and_then_removes_the_visit(
    client_for: Any, developer: User, bygg: Company
) -> None:
    visit = make_visit([bygg])
    make_feedback(visit)
    url = reverse("visits:visit_delete", kwargs={"pk": visit.pk})
    client = client_for(developer)
    page = client.get(url)
    assert page.status_code == 200 and "1 synpunkter och 0 uppföljningar" in page.content.decode()
    assert Visit.objects.exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Visit.objects.exists()
    assert AuditEntry.objects.filter(subject_type="visits.visit", action="delete").exists()


def test_plan_creates_a_planned_visit_and_opens_it(
    client_for: Any, developer: User, bygg: Company
) -> None:
    client = client_for(developer)
    response = client.post(reverse("visits:visit_plan"), {"company": bygg.pk})
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(visit)
    assert visit.status == Visit.Status.PLANNED and visit.kind.key == "besok"
    assert list(visit.companies.all()) == [bygg] and list(visit.staff.all()) == [developer]
    assert visit.date == next_working_day(timezone.localdate(), 10)
    page = client.get(detail(visit)).content.decode()
    assert "Ett besök hos Mariefreds Bygg AB är planerat till" in page


@pytest.mark.parametrize("company", ["", "abc", "999999"])
def test_plan_with_a_bad_company_says_so(client_for: Any, developer: User, company: str) -> None:
    response = client_for(developer).post(
        reverse("visits:visit_plan"), {"company": company, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Visit.objects.exists()


def test_plan_only_answers_post(client_for: Any, developer: User) -> None:
    assert client_for(developer).get(reverse("visits:visit_plan")).status_code == 405


# ---------------------------------------------------------------- the company page


def test_the_company_page_lists_its_latest_visits_and_links_to_log_one(
    client_for: Any, developer: User, reader: User, case_officer: User, bygg: Company
) -> None:
    for day in range(1, 8):
        make_visit([bygg], date=dt.date(2026, 3, day))
    planned = make_visit([bygg], date=dt.date(2026, 4, 1), status=Visit.Status.PLANNED)
    url = reverse("register:company_detail", kwargs={"key": bygg.url_key})
    html = client_for(developer).get(url).content.decode()
    section = html[html.index('id="besok"') :].split("</section>")[0]
    assert f"{reverse('visits:visit_create')}?company={bygg.url_key}" in section
    assert detail(planned) in section and "Planerat" in section
    assert section.count("<li>") == 5 and "2026-03-07" in section and "2026-03-03" not in section
    assert f"{LIST}?company={bygg.identity}" in section
    reader_html = client_for(reader).get(url).content.decode()
    assert 'id="besok"' in reader_html and reverse("visits:visit_create") not in reader_html
    officer = client_for(case_officer).get(url)
    assert officer.status_code == 200 and 'id="besok"' not in officer.content.decode()


def test_a_change_of_staff_is_in_the_audit_log(
    client_for: Any, developer: User, admin_user: User, bygg: Company
) -> None:
    visit = make_visit([bygg], staff=[developer])
    response = edit(client_for(developer), visit, staff=[str(admin_user.pk)])
    assert response.status_code == 302
    assert list(visit.staff.all()) == [admin_user]
    entry = AuditEntry.objects.get(subject_type="visits.visit", action="update")
    assert entry.changes["staff"] == [[developer.pk], [admin_user.pk]]
