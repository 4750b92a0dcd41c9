"""The fictional material the demo register is drawn from.

Localities and postal codes are Strängnäs kommun's real ones (so filters and
maps behave as in production); every company, person and address number is made
up. E-mail addresses use reserved domains (``example.se``, ``.invalid``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Locality:
    town: str
    postal_codes: tuple[str, ...]
    streets: tuple[str, ...]
    weight: int  # share of the demo companies
    network: str  # the local business network's tag


LOCALITIES: tuple[Locality, ...] = (
    Locality(
        "Strängnäs",
        ("64530", "64531", "64532", "64533", "64534", "64540", "64542", "64544", "64550"),
        (
            "Storgatan",
            "Nygatan",
            "Trädgårdsgatan",
            "Källgatan",
            "Eskilstunavägen",
            "Södra Stenvägen",
            "Finningevägen",
            "Gorsinge gård",
            "Västerviksvägen",
            "Ulvhällsvägen",
        ),
        50,
        "Företagarna Strängnäs",
    ),
    Locality(
        "Mariefred",
        ("64730", "64731", "64732", "64733", "64734", "64735", "64791", "64792"),
        (
            "Storgatan",
            "Kyrkogatan",
            "Mühlhausens väg",
            "Callanderska vägen",
            "Rådhustorget",
            "Hamngatan",
            "Trädgårdsgatan",
            "Söderbyvägen",
        ),
        25,
        "Mariefreds köpmannaförening",
    ),
    Locality(
        "Åkers styckebruk",
        ("64750", "64751", "64752"),
        (
            "Bruksvägen",
            "Lötvägen",
            "Stationsvägen",
            "Kanongjutarvägen",
            "Marielundsvägen",
        ),
        15,
        "Åkers företagarförening",
    ),
    Locality(
        "Stallarholmen",
        ("64591", "64592", "64593"),
        (
            "Mälarvägen",
            "Skolvägen",
            "Tynnelsövägen",
            "Ytterselö",
            "Kärnbo",
            "Stallarholmsvägen",
        ),
        10,
        "Företagarna Stallarholmen",
    ),
)


@dataclass(frozen=True)
class Trade:
    tag: str  # trade tag
    words: tuple[str, ...]  # what the company name says it does
    sni: tuple[str, ...]  # SNI 2007 codes to draw from (the first drawn is primary)
    weight: int
    visitor_economy: bool = False  # also tagged "Besöksnäring"


TRADES: tuple[Trade, ...] = (
    Trade(
        "Bygg",
        ("Bygg", "Snickeri", "Måleri", "El", "VVS", "Tak"),
        ("41200", "43320", "43341", "43210", "43221", "43910"),
        18,
    ),
    Trade(
        "Handel",
        ("Handel", "Livs", "Blommor", "Järn", "Mode", "Bokhandel"),
        ("47112", "47761", "47520", "47710", "47610", "47789"),
        14,
    ),
    Trade(
        "Restaurang och café",
        ("Kafé", "Bistro", "Krog", "Bageri & Kafé", "Pizzeria"),
        ("56100", "56210", "56300", "47240"),
        10,
        visitor_economy=True,
    ),
    Trade(
        "Hotell och boende",
        ("Pensionat", "Vandrarhem", "Stugby", "Bed & Breakfast"),
        ("55101", "55103", "55201", "55202", "55300"),
        5,
        visitor_economy=True,
    ),
    Trade(
        "Upplevelser",
        ("Kanotuthyrning", "Båtturer", "Guideturer", "Äventyr"),
        ("77210", "50300", "79120", "93290"),
        5,
        visitor_economy=True,
    ),
    Trade(
        "IT och konsult",
        ("Data", "IT-konsult", "Redovisning", "Arkitekter", "Reklam"),
        ("62010", "62020", "69201", "71110", "73111", "70220"),
        14,
    ),
    Trade(
        "Tillverkning",
        ("Mekaniska", "Smide", "Träindustri", "Bageri", "Plast"),
        ("25620", "25990", "16230", "10710", "22290", "33120"),
        8,
    ),
    Trade(
        "Jord och skog",
        ("Gård", "Lantbruk", "Skogsvård", "Trädgård", "Hästgård"),
        ("01110", "01410", "02100", "02200", "01300", "01430"),
        8,
    ),
    Trade(
        "Transport",
        ("Åkeri", "Taxi", "Transport", "Flytt"),
        ("49410", "49320", "49420", "52290"),
        6,
    ),
    Trade("Fordon", ("Bilverkstad", "Bil", "Däck", "Motor"), ("45200", "45110", "45320"), 4),
    Trade(
        "Hälsa och skönhet",
        ("Frisör", "Hudvård", "Tandvård", "Friskvård", "Massage"),
        ("96021", "96022", "86230", "93130", "86909"),
        6,
    ),
    Trade(
        "Fastighet och service",
        ("Fastigheter", "Städ", "Trädgårdsservice", "Förvaltning"),
        ("68201", "68203", "81210", "81300", "68320"),
        6,
    ),
)

VISITOR_ECONOMY = "Besöksnäring"

NAME_STEMS = (
    "Björkudden",
    "Ekängen",
    "Tallbacka",
    "Solberga",
    "Lindhaga",
    "Rönnåsen",
    "Näckrosen",
    "Strandkanten",
    "Ängsbacken",
    "Mälarviken",
    "Hagtornet",
    "Sjöglimten",
    "Vassviken",
    "Kvarnbacken",
    "Lärkstigen",
    "Granudden",
    "Blåklinten",
    "Klippan",
    "Gästabudet",
    "Bryggan",
    "Fyrtornet",
    "Ekbacken",
    "Lönnen",
    "Sälgen",
    "Stenkullen",
    "Ugglebo",
    "Vinterviken",
    "Östanvind",
    "Norrsken",
    "Sommarro",
    "Hjortronet",
    "Rosenlund",
    "Åkerbäret",
    "Smedjan",
    "Kastanjen",
    "Linnean",
    "Tranan",
    "Älvkvarn",
    "Fjärden",
    "Ormkulla",
    "Mossen",
    "Videbacken",
    "Pilgrimen",
    "Kanelen",
    "Gröna Dalen",
)

FIRST_NAMES = (
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Kristina",
    "Elin",
    "Sofia",
    "Johanna",
    "Linnea",
    "Ida",
    "Maja",
    "Frida",
    "Erik",
    "Lars",
    "Karl",
    "Anders",
    "Johan",
    "Per",
    "Nils",
    "Mikael",
    "Jonas",
    "Oskar",
    "Henrik",
    "Fredrik",
    "Gustav",
    "Viktor",
    "Amir",
    "Leila",
    "Yusuf",
    "Aino",
    "Mehmet",
    "Zainab",
)
LAST_NAMES = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Lindqvist",
    "Holm",
    "Bergström",
    "Sandberg",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Lund",
    "Ek",
    "Strand",
    "Mäkinen",
    "Hassan",
    "Öberg",
    "Åkesson",
)
CONTACT_ROLES = (
    "VD",
    "Ägare",
    "Delägare",
    "Ekonomiansvarig",
    "Platschef",
    "Marknadsansvarig",
    "Kontaktperson",
    "Verksamhetsansvarig",
)

# (legal form, weight, org-number prefixes). Sole traders ("E") are keyed on a
# personnummer instead; see demo.py.
LEGAL_FORMS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("AB", 62, ("556", "559")),
    ("E", 14, ()),
    ("HB", 9, ("969", "916")),
    ("KB", 3, ("969",)),
    ("EF", 4, ("769",)),
)
LEGAL_SUFFIX = {"AB": " AB", "HB": " HB", "KB": " KB", "EF": " ekonomisk förening"}

SIZE_CLASSES = (
    (0, "0 anställda"),
    (1, "1-4 anställda"),
    (5, "5-9 anställda"),
    (10, "10-19 anställda"),
    (20, "20-49 anställda"),
    (50, "50-99 anställda"),
)

NOTE_TEXTS = (
    "Företagsbesök. Pratade om kompetensförsörjning; svårt att hitta {role_lc}. "
    "Vill ha uppföljning om praktikplatser.",
    "Ringde om bygglov för tillbyggnad av lokalen. Hänvisade till företagslotsen.",
    "Deltog på frukostmötet i {town}. Intresserad av dialogmöte om parkering.",
    "Frågade om upphandlingar inom kommunen. Skickade länk till upphandlingskalendern.",
    "Uppföljning efter besöket: bredbandsfrågan är skickad vidare till samhällsbyggnad.",
    "Planerar att anställa två personer under året. Tipsade om Arbetsförmedlingens stöd.",
    "Önskar bättre skyltning till verksamheten från väg 55. Ärendet är lämnat till trafik.",
    "Vill gärna vara med i besöksnäringens nätverk och få inbjudan till säsongsstarten.",
)

# Sole traders' personnummer: all born in 1912 like Skatteverket's well-known test
# person Tolvan Tolvansson (19121212-1212), so nobody mistakes them for a real
# customer; the check digit is computed so python-stdnum accepts them.
DEMO_PNR_YEAR = "1912"

DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("Bygglov", "bygglov"),
    ("Miljö- och hälsoskydd", "miljo-och-halsoskydd"),
    ("Livsmedelskontroll", "livsmedelskontroll"),
    ("Alkohol och serveringstillstånd", "alkohol-och-serveringstillstand"),
)

DEMO_PASSWORD = "brygga-demo-2026"  # noqa: S105  (published demo login, README)
# (e-mail, full name, role, department slug)
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("admin@demo.brygga.se", "Agnes Administratör", "admin", ""),
    ("utvecklare@demo.brygga.se", "Ulf Utvecklare", "developer", ""),
    ("handlaggare@demo.brygga.se", "Hedda Handläggare", "case_officer", "bygglov"),
    ("lasare@demo.brygga.se", "Leo Läsare", "reader", ""),
)
