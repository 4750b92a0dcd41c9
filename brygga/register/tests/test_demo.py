"""``manage.py load_demo``: a fictional register and one staff user per role."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from stdnum.se import orgnr, personnummer

from brygga.accounts.models import User
from brygga.register.models import Company, Contact, Note, SniCode, Tag

PASSWORD = "brygga-demo-2026"
POSTAL_PREFIXES = {
    "Strängnäs": ("645",),
    "Mariefred": ("647",),
    "Åkers styckebruk": ("6475",),
    "Stallarholmen": ("6459",),
}


def _load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


@pytest.mark.django_db
def test_it_creates_one_user_per_role_who_can_log_in(debug_on):
    _load("--companies", "20")
    expected = {
        "admin@demo.brygga.se": User.Role.ADMIN,
        "utvecklare@demo.brygga.se": User.Role.DEVELOPER,
        "handlaggare@demo.brygga.se": User.Role.CASE_OFFICER,
        "lasare@demo.brygga.se": User.Role.READER,
    }
    for email, role in expected.items():
        user = authenticate(username=email, password=PASSWORD)
        assert user is not None, email
        assert user.role == role
    officer = User.objects.get(email="handlaggare@demo.brygga.se")
    assert officer.department is not None
    assert officer.department.name == "Bygglov"
    assert User.objects.get(email="admin@demo.brygga.se").is_staff
    assert not User.objects.get(email="utvecklare@demo.brygga.se").is_staff


@pytest.mark.django_db
def test_it_fills_all_four_localities_with_valid_companies(debug_on):
    output = _load()
    assert Company.objects.count() == 300
    assert "300 företag" in output
    for town, prefixes in POSTAL_PREFIXES.items():
        here = Company.objects.filter(postal_town=town)
        assert here.count() >= 10, town
        assert all(c.postal_code.startswith(prefixes) for c in here), town
    for company in Company.objects.all():
        if company.is_sole_trader:
            assert personnummer.is_valid(company.identity)
            assert company.identity.startswith("1912")
            assert company.legal_form == "E"
        else:
            assert orgnr.is_valid(company.identity)
    assert Company.objects.filter(status=Company.Status.DEREGISTERED).exists()
    assert Company.objects.filter(identity_kind="pnr", name_protection_no=2).exists()
    assert set(Company.objects.values_list("legal_form", flat=True)) >= {"AB", "E", "HB", "EF"}
    assert Company.objects.filter(sni_codes__isnull=True).count() == 0
    assert SniCode.objects.filter(position=0).count() == 300
    assert Tag.objects.filter(name="Företagarna Stallarholmen", kind=Tag.Kind.NETWORK).exists()
    assert Tag.objects.get(name="Besöksnäring").companies.exists()
    assert Note.objects.exists()


@pytest.mark.django_db
def test_it_uses_only_reserved_e_mail_domains(debug_on):
    _load("--companies", "60")
    contacts = list(Contact.objects.all())
    assert contacts
    assert all(c.email.endswith("@example.se") for c in contacts)
    assert any(c.consent_mailing for c in contacts)
    assert all(c.consent_processing_source for c in contacts)
    company_mail = [c.email for c in Company.objects.exclude(email="")]
    assert company_mail
    assert all(e.endswith(".invalid") for e in company_mail)


@pytest.mark.django_db
def test_it_goes_through_the_services_so_history_shows_it(debug_on):
    from brygga.core.models import AuditEntry

    _load("--companies", "10")
    assert AuditEntry.objects.filter(subject_type="register.company", via="demodata").count() == 10


@pytest.mark.django_db
def test_it_does_nothing_the_second_time_with_if_empty(debug_on):
    _load("--if-empty", "--companies", "25")
    before = (Company.objects.count(), Contact.objects.count(), User.objects.count())
    output = _load("--if-empty", "--companies", "25")
    assert "redan" in output
    assert (Company.objects.count(), Contact.objects.count(), User.objects.count()) == before


@pytest.mark.django_db
def test_it_refuses_to_add_to_a_filled_register_without_if_empty(debug_on):
    _load("--companies", "5")
    with pytest.raises(CommandError, match="redan"):
        _load("--companies", "5")
    assert Company.objects.count() == 5


@pytest.mark.django_db
def test_it_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _load("--companies", "5")
    assert not Company.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False
    _load("--force", "--companies", "5")
    assert Company.objects.count() == 5


@pytest.mark.django_db
def test_it_is_deterministic(debug_on):
    _load("--companies", "30")
    first = list(Company.objects.order_by("identity").values_list("identity", "name"))
    Company.objects.all().delete()
    _load("--companies", "30")
    second = list(Company.objects.order_by("identity").values_list("identity", "name"))
    assert first == second
    assert len(first) == 30
