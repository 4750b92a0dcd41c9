"""The feedback overview and the unlinked list: the figures by topic over time, by
locality and by trade, computed by hand for a small data set; filters, hostile
input, roles, and constant query counts.

``feedback_data`` (also used by the export, scope, API and accessibility tests)::

    visit 2024-05-02  Mariefreds Bygg (Mariefred, SNI 43210 = F)
        upphandling  negative  (joint: no company)
        tillstand    negative  Mariefreds Bygg          <- topic of Bygglov
    visit 2025-03-10  Kafé Ugglan (Strängnäs, 56100 = I) and Butiken (Mariefred, no SNI)
        bemotande    positive  (joint)
        upphandling  neutral   Kafé Ugglan
        tillstand    positive  Butiken                  <- topic of Bygglov
    visit 2026-01-15  Mariefreds Bygg
        upphandling  negative  (joint), linked to an improvement area

Per company concerned: Mariefred 3 negative + 2 positive, Strängnäs 1 positive +
1 neutral; F 3 negative, I 1 positive + 1 neutral, ? 2 positive.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from brygga.accounts.models import Department
from brygga.actionplan.models import Area
from brygga.actionplan.tests.factories import make_area, make_program
from brygga.register.models import Company
from brygga.register.tests.companies_factory import make_company
from brygga.visits.models import Feedback, Topic, Visit
from brygga.visits.selectors_feedback import feedback_visible_to
from brygga.visits.tests.factories import make_feedback, make_visit, set_sni

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("visits:feedback_overview")
UNLINKED = reverse("visits:feedback_unlinked")
DASH = " \N{EN DASH} "


@dataclass
class FeedbackData:
    bygg: Company
    cafe: Company
    shop: Company
    visits: list[Visit]
    items: dict[str, Feedback]
    area: Area


def build_feedback_data(department: Department) -> FeedbackData:
    Topic.objects.filter(key="tillstand").update(department=department)
    bygg = make_company("Mariefreds Bygg AB", postal_town="Mariefred")
    cafe = make_company("Kafé Ugglan", postal_town="Strängnäs")
    shop = make_company("Butiken HB", postal_town="Mariefred")
    set_sni(bygg, "43210")
    set_sni(cafe, "56100")
    area = make_area(make_program(), title="Snabbare och tydligare handläggning")
    v1 = make_visit(
        [bygg], date=dt.date(2024, 5, 2), notes="Hemligt: ägaren funderar på att sälja."
    )
    v2 = make_visit([cafe, shop], date=dt.date(2025, 3, 10), kind="lunch")
    v3 = make_visit([bygg], date=dt.date(2026, 1, 15))
    items = {
        "v1_upphandling": make_feedback(
            v1, "upphandling", "negative", "Svårt att förstå underlagen."
        ),
        "v1_tillstand": make_feedback(
            v1, "tillstand", "negative", "Bygglovet tog åtta månader.", company=bygg
        ),
        "v2_bemotande": make_feedback(v2, "bemotande", "positive", "Trevligt bemötande."),
        "v2_upphandling": make_feedback(
            v2, "upphandling", "neutral", "Vill veta mer om ramavtal.", company=cafe
        ),
        "v2_tillstand": make_feedback(
            v2, "tillstand", "positive", "Serveringstillståndet gick fort.", company=shop
        ),
        "v3_upphandling": make_feedback(
            v3, "upphandling", "negative", "Fortfarande krångligt.", area=area
        ),
    }
    return FeedbackData(bygg, cafe, shop, [v1, v2, v3], items, area)


@pytest.fixture
def data(department_bygglov: Department) -> FeedbackData:
    return build_feedback_data(department_bygglov)


def cells(html: str, caption: str) -> list[list[str]]:
    """The rows of the table with ``caption`` as lists of cell texts (tags stripped)."""
    start = html.index(caption)
    table = html[start : html.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    out = []
    for row in rows:
        texts = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        out.append([" ".join(re.sub(r"<[^>]+>", " ", t).split()) for t in texts])
    return out


def page(client: Any, url: str = OVERVIEW, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- the figures


def test_it_shows_feedback_by_topic_and_year_with_the_tones(client_for, developer, data):
    html = page(client_for(developer))
    rows = cells(html, "Antal synpunkter per ämne och år")
    assert rows[0] == ["Ämne", "2024", "2025", "2026", "Totalt"]
    assert rows[1] == [
        "Upphandling",
        "1 1 neg. · 0 pos.",
        "1 0 neg. · 0 pos.",
        "1 1 neg. · 0 pos.",
        "3 2 neg. · 0 pos.",
    ]
    assert rows[2] == [
        "Tillstånd och handläggning",
        "1 1 neg. · 0 pos.",
        "1 0 neg. · 1 pos.",
        "0",
        "2 1 neg. · 1 pos.",
    ]
    assert rows[3] == ["Bemötande", "0", "1 0 neg. · 1 pos.", "0", "1 0 neg. · 1 pos."]
    assert rows[4] == [
        "Totalt",
        "2 2 neg. · 0 pos.",
        "3 0 neg. · 2 pos.",
        "1 1 neg. · 0 pos.",
        "6 3 neg. · 2 pos.",
    ]


def test_it_counts_locality_and_trade_once_per_company_concerned(client_for, developer, data):
    html = page(client_for(developer))
    assert cells(html, "Synpunkter per ort") == [
        ["Ort", "Synpunkter", "Negativa", "Positiva", "Neutrala"],
        ["Mariefred", "5", "3", "2", "0"],
        ["Strängnäs", "2", "0", "1", "1"],
    ]
    assert cells(html, "Synpunkter per bransch") == [
        ["Bransch", "Synpunkter", "Negativa", "Positiva", "Neutrala"],
        [f"F{DASH}Byggverksamhet", "3", "3", "0", "0"],
        [f"I{DASH}Hotell- och restaurangverksamhet", "2", "0", "1", "1"],
        [f"?{DASH}Saknar SNI-kod", "2", "0", "2", "0"],
    ]


def test_it_lists_the_items_newest_first_with_their_links(client_for, developer, data):
    html = page(client_for(developer))
    rows = cells(html, "Synpunkter, senaste besöket först")[1:]
    assert [r[0].split()[0] for r in rows] == [
        "2026-01-15",
        "2025-03-10",
        "2025-03-10",
        "2025-03-10",
        "2024-05-02",
        "2024-05-02",
    ]
    assert rows[0][1] == "Mariefreds Bygg AB"
    assert rows[0][5] == "Snabbare och tydligare handläggning"
    joint = next(r for r in rows if r[4] == "Trevligt bemötande.")
    assert joint[1] == "Butiken HB , Kafé Ugglan (alla i besöket)"
    assert joint[5] == "Inte kopplad"
    assert reverse("visits:visit_detail", kwargs={"pk": data.visits[0].pk}) in html
    assert reverse("actionplan:staff_area", kwargs={"pk": data.area.pk}) in html
    assert "6 synpunkter" in html


def test_it_never_shows_the_visits_internal_notes(client_for, developer, data):
    assert "Hemligt" not in page(client_for(developer))


# ---------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("params", "keys"),
    [
        ({"year": "2025"}, "v2_bemotande v2_upphandling v2_tillstand"),
        ({"from_year": "2025"}, "v2_bemotande v2_upphandling v2_tillstand v3_upphandling"),
        ({"to_year": "2024"}, "v1_upphandling v1_tillstand"),
        ({"topic": "tillstand"}, "v1_tillstand v2_tillstand"),
        ({"tone": "negative"}, "v1_upphandling v1_tillstand v3_upphandling"),
        ({"town": "strängnäs"}, "v2_bemotande v2_upphandling"),
        ({"town": "MARIEFRED", "year": "2025"}, "v2_bemotande v2_tillstand"),
        ({"sni": "F"}, "v1_upphandling v1_tillstand v3_upphandling"),
        ({"sni": "?"}, "v2_bemotande v2_tillstand"),
        ({"sni": "I", "tone": "positive"}, "v2_bemotande"),
    ],
    ids=["year", "from", "to", "topic", "tone", "town", "town-year", "sni", "no-sni", "sni-tone"],
)
def test_the_filters_narrow_the_list(client_for, developer, data, params, keys):
    html = page(client_for(developer), **params)
    rows = cells(html, "Synpunkter, senaste besöket först")[1:]
    assert {r[4] for r in rows} == {data.items[key].text for key in keys.split()}


def test_a_locality_filter_keeps_only_that_locality_in_the_breakdowns(client_for, developer, data):
    html = page(client_for(developer), town="Mariefred", year="2025")
    # The joint item of the Strängnäs café and the Mariefred shop is listed, but
    # only its Mariefred half is counted by locality and trade.
    assert cells(html, "Synpunkter per ort")[1:] == [["Mariefred", "2", "0", "2", "0"]]
    assert cells(html, "Synpunkter per bransch")[1:] == [
        [f"?{DASH}Saknar SNI-kod", "2", "0", "2", "0"]
    ]


def test_a_trade_filter_keeps_only_that_trade_in_the_breakdowns(client_for, developer, data):
    html = page(client_for(developer), sni="I")
    assert cells(html, "Synpunkter per bransch")[1:] == [
        [f"I{DASH}Hotell- och restaurangverksamhet", "2", "0", "1", "1"]
    ]
    assert cells(html, "Synpunkter per ort")[1:] == [["Strängnäs", "2", "0", "1", "1"]]


def test_the_export_link_carries_the_filters(client_for, developer, data):
    html = page(client_for(developer), year="2025", topic="upphandling")
    assert f"{reverse('visits:feedback_export')}?year=2025&amp;topic=upphandling" in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "tjugohundra"}, "year"),
        ({"year": "99999999999999999999"}, "year"),
        ({"year": "-5"}, "year"),
        ({"from_year": "2026", "to_year": "2024"}, "to_year"),
        ({"topic": "finns-inte"}, "topic"),
        ({"tone": "arg"}, "tone"),
        ({"sni": "Ö"}, "sni"),
        ({"town": "x" * 500}, "town"),
        ({"town": "Marie\x00fred"}, "town"),
    ],
    ids=["words", "huge", "negative", "backwards", "topic", "tone", "sni", "long-town", "nul"],
)
def test_hostile_filters_get_a_clear_message(client_for, developer, data, params, field):
    response = client_for(developer).get(OVERVIEW, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Filtret är ogiltigt" in html
    assert f'id="id_{field}_error"' in html
    assert "Antal synpunkter per ämne och år" not in html


def test_garbage_page_numbers_show_a_page(client_for, developer, data):
    for sida in ("abc", "-1", "999999", "1e9"):
        assert client_for(developer).get(OVERVIEW, {"sida": sida}).status_code == 200


def test_it_pages_the_list(client_for, developer, data, monkeypatch):
    from brygga.visits.views import feedback

    monkeypatch.setattr(feedback, "PAGE_SIZE", 4)
    first = cells(page(client_for(developer), tone=""), "Synpunkter, senaste besöket först")
    second = cells(page(client_for(developer), sida="2"), "Synpunkter, senaste besöket först")
    assert len(first) == 5 and len(second) == 3
    assert "Sida 1 av 2" in page(client_for(developer))


def test_an_empty_office_gets_empty_tables(client_for, developer):
    html = page(client_for(developer))
    assert "0 synpunkter" in html
    assert "Inga synpunkter att visa." in html
    assert "Inga synpunkter matchar." in html
    assert reverse("visits:feedback_export") not in html


# ---------------------------------------------------------------- roles


@pytest.mark.parametrize("url", [OVERVIEW, UNLINKED])
def test_anonymous_visitors_go_to_the_login_page(client_for, url):
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["admin_user", "developer", "reader", "case_officer"])
@pytest.mark.parametrize("url", [OVERVIEW, UNLINKED])
def test_staff_with_the_feedback_right_see_the_pages(request, client_for, data, persona, url):
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 200


def test_a_reader_sees_no_edit_links_but_may_not_export(client_for, reader, data):
    assert reverse("visits:feedback_export") not in page(client_for(reader))
    unlinked = page(client_for(reader), UNLINKED)
    assert "/andra/" not in unlinked
    assert "Svårt att förstå underlagen." in unlinked


# ---------------------------------------------------------------- unlinked


def test_the_unlinked_list_has_the_negative_unlinked_items_oldest_first(
    client_for, developer, data
):
    html = page(client_for(developer), UNLINKED)
    rows = cells(html, "Negativa synpunkter utan koppling")[1:]
    assert [r[3] for r in rows] == ["Svårt att förstå underlagen.", "Bygglovet tog åtta månader."]
    for key in ("v1_upphandling", "v1_tillstand"):
        assert reverse("visits:feedback_edit", kwargs={"pk": data.items[key].pk}) in html
    assert "Fortfarande krångligt." not in html  # linked to an area
    assert "Trevligt bemötande." not in html  # positive
    assert "2 synpunkter väntar" in html


def test_an_item_linked_to_an_activity_is_not_unlinked(client_for, developer, data):
    from brygga.actionplan.tests.factories import make_activity
    from brygga.visits.services.visits import feedback_update

    activity = make_activity(data.area)
    feedback_update(feedback=data.items["v1_upphandling"], data={"activity": activity})
    html = page(client_for(developer), UNLINKED)
    assert "Svårt att förstå underlagen." not in html
    assert "1 synpunkt väntar" in html
    assert "1 negativ synpunkt är inte kopplad" in page(client_for(developer))


def test_the_overview_links_to_the_unlinked_list_with_its_count(client_for, developer, data):
    html = page(client_for(developer))
    assert f'href="{UNLINKED}"' in html
    assert "2 negativa synpunkter är inte kopplade till handlingsplanen" in html


def test_an_office_with_everything_linked_says_so(client_for, developer):
    assert "Alla negativa synpunkter är kopplade" in page(client_for(developer), UNLINKED)


# ---------------------------------------------------------------- queries


def _more_data(data: FeedbackData, n: int) -> None:
    for i in range(n):
        visit = make_visit([data.bygg, data.cafe], date=dt.date(2023, 1, 1 + i))
        make_feedback(visit, "upphandling", "negative", f"Fler synpunkter {i}.")
        make_feedback(visit, "parkering", "positive", f"Bra parkering {i}.", company=data.cafe)


def test_the_overview_runs_a_fixed_number_of_queries(
    client_for, developer, data, django_assert_num_queries
):
    client = client_for(developer)
    # session, user, topic choices, unlinked count, topic table, company table,
    # list count, list page, the listed visits' companies
    with django_assert_num_queries(9):
        client.get(OVERVIEW, {"town": "Mariefred", "sni": "F"})
    _more_data(data, 10)
    with django_assert_num_queries(9):
        client.get(OVERVIEW, {"town": "Mariefred", "sni": "F"})
    with django_assert_num_queries(9):
        client.get(OVERVIEW)


def test_the_unlinked_list_runs_a_fixed_number_of_queries(
    client_for, developer, data, django_assert_num_queries
):
    client = client_for(developer)
    # session, user, count, page, the listed visits' companies
    with django_assert_num_queries(5):
        client.get(UNLINKED)
    _more_data(data, 10)
    with django_assert_num_queries(5):
        client.get(UNLINKED)


def test_visible_feedback_is_the_base_of_the_pages(developer, data):
    assert feedback_visible_to(developer).count() == 6
