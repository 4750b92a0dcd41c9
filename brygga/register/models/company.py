from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from brygga.register import identity as ident


class Tag(models.Model):
    """A label on companies: a trade, a network ("Företagarna Stallarholmen"), …"""

    class Kind(models.TextChoices):
        TRADE = "trade", _("Bransch")
        NETWORK = "network", _("Nätverk")
        OTHER = "other", _("Övrigt")

    name = models.CharField(_("namn"), max_length=100)
    slug = models.SlugField(_("kortnamn"), max_length=100, unique=True)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        verbose_name = _("etikett")
        verbose_name_plural = _("etiketter")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="register_tag_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class Company(models.Model):
    """A company in the register, keyed on (identity, namnskyddslöpnummer)."""

    class IdentityKind(models.TextChoices):
        ORG_NUMBER = ident.ORG, _("Organisationsnummer")
        PERSONAL_NUMBER = ident.PERSON, _("Personnummer")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktiv")
        DEREGISTERED = "deregistered", _("Avregistrerad")

    identity = models.CharField(_("organisationsnummer"), max_length=12)
    identity_kind = models.CharField(
        _("typ av identitet"), max_length=3, choices=IdentityKind.choices, default=ident.ORG
    )
    # Namnskyddslöpnummer: a sole trader may run several businesses under one
    # personnummer. 0 means the register gave none.
    name_protection_no = models.PositiveIntegerField(_("namnskyddslöpnummer"), default=0)

    name = models.CharField(_("namn"), max_length=300)
    legal_form = models.CharField(_("juridisk form"), max_length=20, blank=True)
    registration_country = models.CharField(_("registreringsland"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.ACTIVE
    )
    deregistered_on = models.DateField(_("avregistrerad"), null=True, blank=True)
    deregistration_reason = models.CharField(_("avregistreringsorsak"), max_length=100, blank=True)
    winding_up = models.CharField(
        _("pågående avveckling eller omstrukturering"), max_length=200, blank=True
    )
    registered_on = models.DateField(_("registreringsdatum"), null=True, blank=True)
    business_description = models.TextField(_("verksamhetsbeskrivning"), blank=True)

    street_address = models.CharField(_("gatuadress"), max_length=200, blank=True)
    co_address = models.CharField(_("c/o-adress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    postal_town = models.CharField(_("postort"), max_length=100, blank=True)

    size_class = models.CharField(_("storleksklass"), max_length=40, blank=True)
    employees = models.PositiveIntegerField(_("antal anställda"), null=True, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    website = models.URLField(_("webbplats"), max_length=300, blank=True)
    # SCB's Reklamspärr: the company refuses advertising mail.
    advertising_block = models.BooleanField(_("reklamspärr"), default=False)

    tags = models.ManyToManyField(
        Tag, verbose_name=_("etiketter"), blank=True, related_name="companies"
    )

    # Lower-cased names (current and other) used by the name search.
    search_text = models.TextField(editable=False, blank=True)
    # Digests of the last imported source row, so that re-imports skip unchanged rows.
    bolagsverket_digest = models.CharField(max_length=32, blank=True, editable=False)
    scb_digest = models.CharField(max_length=32, blank=True, editable=False)

    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    created_by_import = models.ForeignKey(
        "register.ImportRun",
        verbose_name=_("skapad av import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        # Provenance, not structure: checking the reference for every one of two
        # million rows in the first import cost seconds, and the run it points to
        # is written in the same transaction. Django still applies SET_NULL when a
        # run is deleted.
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("företag")
        verbose_name_plural = _("företag")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["identity", "name_protection_no"], name="register_company_key"
            ),
            models.CheckConstraint(
                condition=models.Q(status="active", deregistered_on__isnull=True)
                | models.Q(status="deregistered"),
                name="register_company_active_has_no_deregistration",
            ),
        ]
        # Not status (nine in ten rows share a value) nor name (lists sort by the
        # Swedish-order index of migration 0002): each index costs every bulk
        # import its share of time. Filters by postal town use the (postal_town,
        # size_class, employees, id) index of migration 0006, which also gives the
        # visit suggestions a group's largest employers without a sort.

    def __str__(self) -> str:
        return self.name

    @property
    def identity_display(self) -> str:
        return ident.format_identity(self.identity_kind, self.identity)

    @property
    def identity_masked(self) -> str:
        return ident.mask_identity(self.identity_kind, self.identity)

    @property
    def url_key(self) -> str:
        """The key used in URLs: the org number, with the löpnummer when there is one.

        A sole trader's identity is a personnummer, which must not end up in URLs
        (browser history, server logs), so those companies use ``e<pk>`` instead.
        """
        if self.is_sole_trader:
            return f"e{self.pk}"
        if self.name_protection_no:
            return f"{self.identity}-{self.name_protection_no}"
        return self.identity

    @property
    def is_sole_trader(self) -> bool:
        return self.identity_kind == ident.PERSON


class CompanyName(models.Model):
    """Other names: earlier names, names in other languages, secondary names."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(_("namn"), max_length=300)
    kind = models.CharField(_("typ"), max_length=40, blank=True)
    registered_on = models.DateField(_("registrerat"), null=True, blank=True)

    class Meta:
        verbose_name = _("annat namn")
        verbose_name_plural = _("andra namn")
        ordering = ["company", "name"]

    def __str__(self) -> str:
        return self.name


class SniCode(models.Model):
    """An industry code of a company, with its code system. Position 0 is primary."""

    class System(models.TextChoices):
        SNI2007 = "sni2007", "SNI 2007"
        SNI2025 = "sni2025", "SNI 2025"

    # No index of its own: the unique (company, system, code) index serves lookups
    # by company, and the primary SNI 2007 code has the partial index below.
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="sni_codes", db_index=False
    )
    system = models.CharField(_("kodverk"), max_length=10, choices=System.choices)
    code = models.CharField(_("kod"), max_length=5)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("SNI-kod")
        verbose_name_plural = _("SNI-koder")
        ordering = ["company", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "system", "code"], name="register_sni_unique_per_company"
            ),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{2,5}$"), name="register_sni_code_digits"
            ),
        ]
        indexes = [
            models.Index(fields=["code"], name="register_sni_code_idx"),
            # A company's primary SNI 2007 code, read for each visited company by
            # the visit coverage (the code is in the index on PostgreSQL).
            models.Index(
                fields=["company"],
                include=["code"],
                condition=models.Q(system="sni2007", position=0),
                name="register_sni_primary_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_system_display()})"


class Note(models.Model):
    """A dated note on a company, written by staff."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skriven av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("anteckning"))
    created_at = models.DateTimeField(_("skriven"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("anteckning")
        verbose_name_plural = _("anteckningar")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]
