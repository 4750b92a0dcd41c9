"""``person_extract`` and ``person_erase``: what we hold on a person, and forgetting it."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from brygga.core.models import AuditEntry
from brygga.register.models import Company, Contact, Correction, CorrectionLink, Note
from brygga.register.services.companies import (
    company_create,
    company_update,
    contact_create,
    contact_update,
    note_create,
)

EMAIL = "Karin.Ek@example.se"
PNR = "191212121212"
PNR_DISPLAY = "19121212-1212"


@pytest.fixture
def world(developer):
    cafe = company_create(identity="5560360793", name="Mariefreds Kafé AB", actor=developer)
    bakery = company_create(
        identity="2120000365", name="Åkers Bageri AB", email="karin.ek@example.se"
    )
    karin = contact_create(
        company=cafe,
        name="Karin Ek",
        role="VD",
        email=EMAIL,
        phone="070-111 22 33",
        consents={"processing": True, "mailing": True},
        consent_source="registration",
        actor=developer,
    )
    contact_update(contact=karin, data={"phone": "070-999 88 77"}, actor=developer)
    karin_at_bakery = contact_create(
        company=bakery, name="Karin Ek", email="karin.ek@example.se", consents={"mailing": True}
    )
    other = contact_create(company=cafe, name="Olle Berg", email="olle@example.se")
    sole = company_create(
        identity=PNR,
        name="Tolvan Tolvanssons Snickeri",
        name_protection_no=1,
        legal_form="E",
        street_address="Hemvägen 3",
        actor=developer,
    )
    sole_second = company_create(
        identity=PNR_DISPLAY, name="Tolvans Båtar", name_protection_no=2, legal_form="E"
    )
    company_update(company=sole, data={"postal_town": "Stallarholmen"}, actor=developer)
    tolvan = contact_create(company=sole, name="Tolvan Tolvansson", email="tolvan@example.se")
    note = note_create(company=sole, text="Tolvan vill bygga ut verkstaden.", author=developer)
    link = CorrectionLink.objects.create(
        company=cafe,
        email="karin.ek@example.se",
        token_hash="a" * 64,
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    correction = Correction.objects.create(
        company=cafe,
        link=link,
        submitted_by_email="karin.ek@example.se",
        changes={"contacts": [{"id": karin.pk, "changes": {"email": [EMAIL, "k@example.se"]}}]},
    )
    return {
        "cafe": cafe,
        "bakery": bakery,
        "karin": karin,
        "karin_at_bakery": karin_at_bakery,
        "other": other,
        "sole": sole,
        "sole_second": sole_second,
        "tolvan": tolvan,
        "note": note,
        "link": link,
        "correction": correction,
    }


def _extract(person: str) -> dict:
    out = io.StringIO()
    call_command("person_extract", person, stdout=out)
    return json.loads(out.getvalue())


def _erase(person: str, *args: str) -> str:
    out = io.StringIO()
    call_command("person_erase", person, *args, stdout=out)
    return out.getvalue()


def _all_audit_text() -> str:
    return json.dumps(
        list(AuditEntry.objects.values("subject_repr", "changes")), ensure_ascii=False
    ).casefold()


def test_it_extracts_contacts_by_email_with_consents_and_history(world):
    out = io.StringIO()
    call_command("person_extract", "KARIN.EK@example.se", stdout=out)
    assert "Kafé" in out.getvalue()  # UTF-8, not \u escapes
    data = json.loads(out.getvalue())
    assert data["person"] == {"kind": "email", "value": "karin.ek@example.se"}
    contacts = {c["company"]["name"]: c for c in data["contacts"]}
    assert set(contacts) == {"Mariefreds Kafé AB", "Åkers Bageri AB"}
    cafe = contacts["Mariefreds Kafé AB"]
    assert cafe["phone"] == "070-999 88 77"
    assert cafe["consents"]["mailing"]["given"] is True
    assert cafe["consents"]["mailing"]["source"] == "registration"
    assert cafe["consents"]["processing"]["at"]
    assert cafe["company"]["org_number"] == "556036-0793"
    assert [c["name"] for c in data["companies_with_this_email"]] == ["Åkers Bageri AB"]
    assert len(data["correction_links"]) == 1
    assert len(data["corrections"]) == 1
    subjects = {e["subject"] for e in data["audit_entries"]}
    assert f"register.contact#{world['karin'].pk}" in subjects
    assert f"register.contact#{world['other'].pk}" not in subjects
    phone_change = [e for e in data["audit_entries"] if "phone" in e["changes"]]
    assert phone_change[-1]["changes"]["phone"] == ["070-111 22 33", "070-999 88 77"]
    assert data["sole_trader_companies"] == []


@pytest.mark.parametrize("form", [PNR, PNR_DISPLAY])
def test_it_extracts_a_sole_traders_businesses_by_personnummer(world, form):
    data = _extract(form)
    companies = data["sole_trader_companies"]
    assert [c["name_protection_no"] for c in companies] == [1, 2]
    first = companies[0]
    assert first["org_number"] == PNR_DISPLAY
    assert first["address"]["street"] == "Hemvägen 3"
    assert [c["name"] for c in first["contacts"]] == ["Tolvan Tolvansson"]
    assert [n["text"] for n in first["notes"]] == ["Tolvan vill bygga ut verkstaden."]
    subjects = {e["subject"] for e in data["audit_entries"]}
    assert f"register.company#{world['sole'].pk}" in subjects
    assert f"register.note#{world['note'].pk}" in subjects
    assert f"register.company#{world['cafe'].pk}" not in subjects
    assert data["contacts"] == []


def test_it_extracts_nothing_for_an_unknown_person(world):
    data = _extract("nobody@example.se")
    assert data["contacts"] == data["audit_entries"] == data["sole_trader_companies"] == []


@pytest.mark.parametrize(
    "bad", ["556036-0793", "inte-ett-nummer", "19121212-1213", "karin@", "1234"]
)
@pytest.mark.parametrize("command", ["person_extract", "person_erase"])
def test_it_refuses_what_is_neither_email_nor_personnummer(db, command, bad):
    with pytest.raises(CommandError):
        call_command(command, bad, stdout=io.StringIO())


def test_it_only_shows_the_plan_without_yes(world):
    audit_before = _all_audit_text()
    output = _erase(EMAIL)
    assert "Provkörning" in output
    assert "Karin Ek <Karin.Ek@example.se> på Mariefreds Kafé AB" in output
    world["karin"].refresh_from_db()
    assert world["karin"].name == "Karin Ek"
    assert CorrectionLink.objects.filter(pk=world["link"].pk).exists()
    assert _all_audit_text() == audit_before
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).exists()


def test_it_erases_a_person_found_by_email(world):
    output = _erase(EMAIL, "--yes")
    assert "Klart" in output
    for contact in (world["karin"], world["karin_at_bakery"]):
        contact.refresh_from_db()
        assert contact.name == "Borttagen person"
        assert contact.email == contact.phone == contact.role == ""
        assert contact.consent_processing is False
        assert contact.consent_mailing is False
        assert contact.consent_mailing_at is not None
    world["bakery"].refresh_from_db()
    assert world["bakery"].email == ""
    world["other"].refresh_from_db()
    assert world["other"].name == "Olle Berg"
    assert world["other"].email == "olle@example.se"
    assert not CorrectionLink.objects.filter(pk=world["link"].pk).exists()
    world["correction"].refresh_from_db()
    assert world["correction"].submitted_by_email == ""
    assert "karin" not in json.dumps(world["correction"].changes).casefold()

    history = _all_audit_text()
    for personal in ("karin", "070-111", "070-999"):
        assert personal not in history
    assert "olle berg" in history  # others keep their history
    erased = AuditEntry.objects.filter(action=AuditEntry.Action.ERASE, via="person_erase")
    assert {(e.subject_type, e.subject_id) for e in erased} == {
        ("register.contact", str(world["karin"].pk)),
        ("register.contact", str(world["karin_at_bakery"].pk)),
        ("register.company", str(world["bakery"].pk)),
    }
    after = _extract(EMAIL)
    assert after["contacts"] == [] and after["audit_entries"] == []


def test_it_erases_a_sole_trader_by_deleting_the_businesses(world):
    sole_ids = [world["sole"].pk, world["sole_second"].pk]
    _erase(PNR_DISPLAY, "--yes")
    assert not Company.objects.filter(pk__in=sole_ids).exists()
    assert not Company.objects.filter(identity=PNR).exists()
    assert not Contact.objects.filter(pk=world["tolvan"].pk).exists()
    assert not Note.objects.filter(pk=world["note"].pk).exists()
    history = _all_audit_text()
    for personal in (PNR, PNR_DISPLAY, "121212-1212", "tolvan", "hemvägen", "verkstaden"):
        assert personal not in history, personal
    erased = AuditEntry.objects.filter(action=AuditEntry.Action.ERASE, via="person_erase")
    assert {e.subject_id for e in erased} == {str(pk) for pk in sole_ids}
    # The rest of the register is untouched.
    assert Company.objects.filter(pk=world["cafe"].pk).exists()
    world["karin"].refresh_from_db()
    assert world["karin"].name == "Karin Ek"
    assert "mariefreds kafé ab" in history
    assert _extract(PNR)["sole_trader_companies"] == []


def test_it_reports_nothing_to_do_for_an_unknown_person(world):
    count = AuditEntry.objects.count()
    output = _erase("nobody@example.se", "--yes")
    assert "Inget att ändra" in output
    assert AuditEntry.objects.count() == count
