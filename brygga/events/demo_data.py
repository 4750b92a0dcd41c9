"""The fictional meetings the demo is drawn from (issue 5, seeds 000 to 002).

Localities are Strängnäs kommun's four; venues and addresses are made up or generic.
Each meeting is (kind key, title, locality, place, address, start hour and minute,
length in minutes, capacity, description).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Meeting:
    kind: str
    title: str
    locality: str
    place: str
    address: str
    hour: int
    minute: int
    minutes: int
    capacity: int | None
    description: str
    days: int  # from today: ahead (> 0) or ago (< 0)
    public: bool = True
    regulatory: bool = False
    questions: tuple[tuple[str, str, str, bool], ...] = ()  # (label, kind, choices, required)
    people: int = 0  # how many register
    extra: dict[str, object] = field(default_factory=dict)


BREAKFAST_TEXT = (
    "Frukost, mingel och en kort dragning från kommunen om vad som är på gång. Alla som "
    "vill får en minut att presentera sitt företag. Frukosten bjuder kommunen på."
)
ONE_MINUTE = ("Vill du hålla en minutpresentation av ditt företag?", "yes_no", "", False)
DIET = ("Specialkost eller allergier?", "text", "", False)

BREAKFASTS: tuple[Meeting, ...] = (
    Meeting(
        "frukostmote",
        "Frukostmöte i Strängnäs",
        "Strängnäs",
        "Stadshotellets konferens",
        "Storgatan 12",
        7,
        30,
        90,
        40,
        BREAKFAST_TEXT,
        days=12,
        questions=(ONE_MINUTE, DIET),
        people=22,
    ),
    Meeting(
        "frukostmote",
        "Frukostmöte i Mariefred",
        "Mariefred",
        "Rådhussalen",
        "Rådhustorget 1",
        7,
        30,
        90,
        14,
        BREAKFAST_TEXT,
        days=19,
        questions=(ONE_MINUTE, DIET),
        people=17,  # fully booked: three on the waitlist
    ),
    Meeting(
        "frukostmote",
        "Frukostmöte i Åkers styckebruk",
        "Åkers styckebruk",
        "Bruksgården",
        "Bruksvägen 4",
        7,
        30,
        90,
        30,
        BREAKFAST_TEXT,
        days=33,
        questions=(ONE_MINUTE, DIET),
        people=9,
    ),
    Meeting(
        "frukostmote",
        "Frukostmöte i Stallarholmen",
        "Stallarholmen",
        "Bygdegården",
        "Skolvägen 2",
        7,
        30,
        90,
        25,
        BREAKFAST_TEXT,
        days=40,
        questions=(ONE_MINUTE, DIET),
        people=6,
    ),
)

# The Strängnäs breakfast again at lunch, for trades that cannot come at half past seven.
LUNCH_REPEAT = Meeting(
    "lunchmote",
    "Frukostmötet i repris: lunch i Strängnäs",
    "Strängnäs",
    "Stadshotellets konferens",
    "Storgatan 12",
    11,
    30,
    75,
    40,
    "Samma program som frukostmötet, vid lunch för handel, restauranger och andra som "
    "inte kan komma på morgonen. Lunchen bjuder kommunen på.",
    days=13,
    questions=(ONE_MINUTE, DIET),
    people=11,
)

PROCUREMENT = Meeting(
    "upphandlingsmote",
    "Upphandlingsdialog: ramavtal för snöröjning och grönyteskötsel",
    "Strängnäs",
    "Kommunhuset, sal Mälaren",
    "Nygatan 10",
    9,
    0,
    120,
    25,
    "Kommunen ska upphandla nya ramavtal för snöröjning och skötsel av parker och "
    "grönytor. Kom och berätta hur ni vill att upphandlingen utformas, så att även "
    "mindre företag kan lämna anbud. Anmälan krävs.",
    days=26,
    questions=(
        (
            "Vilket område är du mest intresserad av?",
            "choice",
            "Snöröjning\nGrönyteskötsel\nBåda",
            True,
        ),
        ("Har ni lämnat anbud till kommunen tidigare?", "yes_no", "", False),
    ),
    people=8,
    extra={"deadline_days": 21},
)

# Regulatory information: invitations reach restaurants with advertising block too.
ALCOHOL_DIALOGUE = Meeting(
    "dialogmote",
    "Dialogmöte för restauranger med alkoholhandläggarna",
    "Strängnäs",
    "Kommunhuset, sal Mälaren",
    "Nygatan 10",
    14,
    0,
    120,
    30,
    "Alkoholhandläggarna berättar om de nya reglerna för serveringstillstånd, om "
    "tillsynen under sommaren och svarar på frågor. Mötet är för restauranger och "
    "caféer med serveringstillstånd eller som funderar på att söka.",
    days=47,
    public=False,
    regulatory=True,
    questions=(("Har ni serveringstillstånd i dag?", "yes_no", "", False),),
    people=6,
)

POLITICIAN_LUNCH = {
    "title": "Politikerlunch",
    "description": "En informell lunch där företagare och kommunens politiker träffas "
    "utan dagordning, andra fredagen varje månad. Var och en betalar sin lunch.",
    "locality": "Strängnäs",
    "place": "Restaurang Kajutan",
    "address": "Hamngatan 3",
    "capacity": 12,
    "rule": "FREQ=MONTHLY;BYDAY=2FR",
}

# Held meetings: made ahead, registered for, then moved into the past (see demo.py).
PAST: tuple[Meeting, ...] = (
    Meeting(
        "frukostmote",
        "Frukostmöte i Strängnäs",
        "Strängnäs",
        "Stadshotellets konferens",
        "Storgatan 12",
        7,
        30,
        90,
        40,
        BREAKFAST_TEXT,
        days=-75,
        questions=(ONE_MINUTE, DIET),
        people=28,
    ),
    Meeting(
        "dialogmote",
        "Dialogmöte med byggföretagen om bygglov",
        "Strängnäs",
        "Kommunhuset, sal Mälaren",
        "Nygatan 10",
        15,
        0,
        120,
        30,
        "Bygglovshandläggarna och företag i byggbranschen: hur går handläggningen, vad "
        "saknas oftast i ansökningarna och vad kan bli bättre?",
        days=-40,
        people=16,
    ),
    Meeting(
        "frukostmote",
        "Frukostmöte i Mariefred",
        "Mariefred",
        "Rådhussalen",
        "Rådhustorget 1",
        7,
        30,
        90,
        14,
        BREAKFAST_TEXT,
        days=-20,
        questions=(ONE_MINUTE, DIET),
        people=16,
    ),
    Meeting(
        "natverkstraff",
        "Nätverksträff för besöksnäringen inför säsongen",
        "Stallarholmen",
        "Bygdegården",
        "Skolvägen 2",
        17,
        0,
        120,
        None,
        "Besöksnäringens företag träffas inför säsongen: samarbeten, evenemang och "
        "kommunens marknadsföring.",
        days=-6,
        people=14,
    ),
)

COMMENTS = (
    "Bra upplägg, mycket mingel.",
    "Bra att politikerna var med och lyssnade.",
    "För lite tid för frågor på slutet.",
    "Trevligt! Gärna oftare.",
    "Minutpresentationerna var det bästa.",
    "Lokalen var för trång.",
    "Fick flera nya kontakter.",
    "",
    "",
    "",
)
