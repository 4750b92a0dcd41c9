from __future__ import annotations

import pytest
from django.urls import reverse

from brygga.accounts.models import User
from brygga.register.models import Segment, Tag
from brygga.register.selectors import segment_companies
from brygga.register.tests.companies_factory import make_company

CREATE = reverse("register:segment_create")


@pytest.mark.django_db
def test_it_saves_the_current_filter_as_a_segment_and_opens_it(client_for, developer: User):
    make_company("Mariefreds Café AB", postal_town="Mariefred")
    make_company("Strängnäs Café AB", postal_town="Strängnäs")
    client = client_for(developer)
    response = client.post(CREATE, {"name": "Caféer i Mariefred", "q": "café", "town": "Mariefred"})
    segment = Segment.objects.get()
    assert response["Location"] == reverse("register:segment_detail", kwargs={"pk": segment.pk})
    assert segment.filters == {"q": "café", "town": "Mariefred"}
    assert segment.created_by == developer
    assert [c.name for c in segment_companies(segment)] == ["Mariefreds Café AB"]
    page = client.get(response["Location"])
    assert [c.name for c in page.context["page_obj"]] == ["Mariefreds Café AB"]
    listing = client.get(reverse("register:segment_list")).content.decode()
    assert "Caféer i Mariefred" in listing


@pytest.mark.django_db
def test_it_follows_new_companies_that_match_later(developer: User):
    segment = Segment.objects.create(name="Stallarholmen", filters={"town": "Stallarholmen"})
    assert list(segment_companies(segment)) == []
    make_company("Nytt i Stallarholmen AB", postal_town="Stallarholmen")
    assert [c.name for c in segment_companies(segment)] == ["Nytt i Stallarholmen AB"]


@pytest.mark.django_db
def test_it_refuses_an_empty_filter_and_a_duplicate_name(client_for, developer: User):
    client = client_for(developer)
    response = client.post(CREATE, {"name": "Allt"})
    assert response.status_code == 400
    assert "minst ett filter" in response.content.decode()
    Segment.objects.create(name="Caféer", filters={"q": "café"})
    response = client.post(CREATE, {"name": "caféer", "q": "kafé"})
    assert response.status_code == 400
    assert "finns redan" in response.content.decode()
    assert Segment.objects.count() == 1


@pytest.mark.django_db
def test_it_selects_nothing_when_a_stored_tag_is_gone(db: None):
    tag = Tag.objects.create(name="Nätverk", slug="natverk")
    make_company("Med etikett AB").tags.add(tag)
    segment = Segment.objects.create(name="Nätverket", filters={"tag": "natverk"})
    assert segment_companies(segment).count() == 1
    tag.delete()
    assert segment_companies(segment).count() == 0


@pytest.mark.django_db
def test_it_deletes_a_segment_after_confirmation(client_for, developer: User):
    segment = Segment.objects.create(name="Ta bort mig", filters={"q": "x"})
    url = reverse("register:segment_delete", kwargs={"pk": segment.pk})
    client = client_for(developer)
    assert client.get(url).status_code == 200
    assert Segment.objects.exists()
    assert client.post(url).status_code == 302
    assert not Segment.objects.exists()
