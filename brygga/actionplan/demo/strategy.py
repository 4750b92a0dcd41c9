"""The demo's second program, built from Lerum's business strategy (seed 003), and the
visitors' comments and ideas. Data only; :mod:`brygga.actionplan.demo.loader` writes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from brygga.actionplan.demo.seed000 import DemoActivity, parse_activities, text
from brygga.actionplan.models import Idea

STRATEGY = {
    "title": "Näringslivsstrategi 2017\N{EN DASH}2025",
    "slug": "naringslivsstrategi-2017-2025",
    "summary": "Kommunens strategi för näringslivsarbetet, med tre mål: inflytande, "
    "kreativitet och hållbarhet.",
    "description": text("""
        Strategin togs fram efter medborgardialog med fokus på näringslivsklimatet,
        företagsbesök, kommunbesök, skolkontakter, omvärldsanalys och en
        näringslivspolitisk debatt i kommunfullmäktige. Förvaltningen har uppdaterat den
        tillsammans med Näringslivsrådet, där kommunalråden, ordförandena i kommunens
        företagarföreningar, Fastighetsägarna och berörda tjänstemän ingår.

        Under varje mål finns förbättringsområden med aktiviteter som visar hur kommunen
        arbetar för att nå målet.
        """),
    "period_start": dt.date(2017, 1, 1),
    "period_end": dt.date(2025, 12, 31),
    "source": "decision",
    "source_detail": "Reviderad näringslivsstrategi, antagen av kommunfullmäktige 2017",
}


@dataclass(frozen=True)
class DemoGoal:
    title: str
    description: str
    target: str
    # (title, slug, summary) of its areas
    areas: tuple[tuple[str, str, str], ...]


GOALS: tuple[DemoGoal, ...] = (
    DemoGoal(
        "Inflytande",
        text("""
            Kommunen använder resultaten av Svenskt Näringslivs ranking och SKR:s Insikt för
            att i samverkan nå ett starkt näringslivsklimat. Kommunen ska vara lätt att få
            kontakt med, och service och myndighetsutövning ska kännetecknas av gott
            bemötande, hög kompetens och rättssäkerhet.
            """),
        "Topp 5 i Svenskt Näringslivs ranking under mandatperioden",
        (
            (
                "Mötesplatser och samverkan",
                "motesplatser-och-samverkan",
                "Mötesplatser som näringslivet efterfrågar, och samverkan mellan skola och "
                "näringsliv.",
            ),
        ),
    ),
    DemoGoal(
        "Kreativitet",
        text("""
            Näringslivsarbetet är ett medel för att nå målet arbetstillfällen för alla. Det
            ska vara lätt att starta, driva och utveckla företag, och tydligt vilken mark och
            vilka lokaler som finns för den som vill växa eller etablera sig.
            """),
        "Fler nystartade företag per 1 000 invånare än rikssnittet varje år",
        (
            (
                "Starta och växa",
                "starta-och-vaxa",
                "Stöd och vägledning för den som vill starta, driva eller utveckla företag.",
            ),
            (
                "Mark och lokaler",
                "mark-och-lokaler",
                "Tydligt vilken mark och vilka lokaler som finns för företag.",
            ),
        ),
    ),
    DemoGoal(
        "Hållbarhet",
        text("""
            Kommunen arbetar för ett hållbart näringsliv, ekonomiskt, socialt och
            miljömässigt, i linje med visionen att bli ledande miljökommun 2025. Den
            kommunala upphandlingen ska göra det lättare för företag i närområdet att bli
            leverantörer och stimulera socialt ansvarstagande.
            """),
        "Minst 100 miljödiplomerade företag i kommunen 2025",
        (
            (
                "Hållbart företagande och upphandling",
                "hallbart-foretagande",
                "Samhällsansvar i företagen, och en upphandling som lokala företag kan delta i.",
            ),
        ),
    ),
)

# The strategy's activities under "## <area slug>", as in seed000.parse_activities.
_STRATEGY_ACTIVITIES = """
## motesplatser-och-samverkan

### Företagarfrukostar i samverkan med företagarföreningarna
utv1
2017-02-06 planned
Första frukosten hålls i mars.
2017-03-20 ongoing
Sex frukostmöten om året. Värdskapet går runt mellan företagarföreningarna.

### Branschdagar där gymnasieelever möter lokala företag
utv2
2025-03-10 planned
Branschdagarna planeras tillsammans med gymnasieskolan och företagarföreningarna.
Beskrivning:
Samverkan mellan skola och näringsliv för framtidens kompetensförsörjning.

## starta-och-vaxa

### En väg in för den som vill starta eller utveckla företag
utv1
2017-04-03 planned
2018-01-15 ongoing
Nyföretagarrådgivning varannan tisdag i kommunhuset, tillsammans med Nyföretagarcentrum.

### Tankesmedja för framtidens näringsliv
chef
2018-03-12 investigating
Vi undersöker intresset hos företagen och högskolorna i regionen.
2019-06-10 cancelled
Intresset räckte inte för en egen tankesmedja. Frågorna tas i stället upp i Näringslivsrådet
och i regionens innovationsarbete.

### Stöd till grupper som är underrepresenterade bland företagarna
utv2
2019-09-02 investigating
Tillsammans med företagarföreningarna kartlägger vi vilka grupper som saknas i nätverken, till
exempel unga, nyanlända och kvinnor, och vilket stöd de efterfrågar.

## mark-och-lokaler

### Karta över ledig verksamhetsmark och lediga lokaler
plan
2017-05-08 planned
2018-02-05 ongoing
Kartan byggs tillsammans med fastighetsägarna.
2018-11-05 done
Kartan finns på kommunens webbplats och uppdateras varje månad.

## hallbart-foretagande

### Informationsträffar om offentlig upphandling för lokala företag
inkop
2017-09-04 planned
2018-03-20 done
Två träffar 2018 med sammanlagt 85 deltagare. Träffarna ingår nu i Inköpsenhetens ordinarie
arbete.

### Sociala hänsyn i kommunens upphandlingar
inkop
2019-02-11 investigating
Vi utreder hur krav på praktikplatser kan ställas i upphandlingar av bygg- och
anläggningstjänster.

### Stötta UF-företag med fokus på hållbarhet
utv2
2018-09-03 ongoing
Kommunen delar ut ett pris till årets mest hållbara UF-företag och ordnar mentorer från det
lokala näringslivet.
"""
STRATEGY_ACTIVITIES: dict[str, tuple[DemoActivity, ...]] = {
    block.split("\n", 1)[0].strip(): parse_activities("\n" + block)
    for block in _STRATEGY_ACTIVITIES.split("\n## ")[1:]
}


@dataclass(frozen=True)
class Visitor:
    name: str
    email: str


# Comments: (activity title, visitor, text, the staff member who answers, the answer).
COMMENTS: tuple[tuple[str, Visitor, str, str, str], ...] = (
    (
        "Näringslivslunch med företagare och politiker en gång i månaden",
        Visitor("Birgitta Holm", "birgitta.holm@example.se"),
        "Bra initiativ! Jag har frisörsalong och kan aldrig gå ifrån på morgonen, så lunchen "
        "passar mig mycket bättre än frukostmötena.",
        "chef",
        "Tack Birgitta! Det var just därför vi ville pröva lunchtid. Var politikerna äter nästa "
        "gång skriver vi på vår Facebooksida en vecka i förväg.",
    ),
    (
        "Inför återkommande upphandlingsmöte med SEVAB, SFAB och Strängnäs kommun",
        Visitor("Ahmed Rahimi", "ahmed.rahimi@example.se"),
        "Mötet i Stallarholmen gav mycket. Nästa gång vill jag gärna höra mer om hur små "
        "företag kan lämna anbud tillsammans.",
        "",
        "",
    ),
    (
        "Informationsträffar om offentlig upphandling för lokala företag",
        Visitor("Tove Lindahl", "tove.lindahl@example.se"),
        "Tack för en bra träff! Tipsen om hur man läser ett förfrågningsunderlag var guld värda.",
        "",
        "",
    ),
)

# Ideas: (area slug, visitor, title, text, public status, reason or the activity it became).
IDEAS: tuple[tuple[str, Visitor, str, str, str, str], ...] = (
    (
        "starta-och-vaxa",
        Visitor("Oscar Palm", "oscar.palm@example.se"),
        "Samla all hjälp till nya företagare på ett ställe",
        "När jag startade mitt företag fick jag ringa runt till fem olika avdelningar. Samla "
        "allt på ett ställe, med en person att fråga!",
        Idea.Status.ACTIVITY,
        "En väg in för den som vill starta eller utveckla företag",
    ),
    (
        "starta-och-vaxa",
        Visitor("Nora Sandberg", "nora.sandberg@example.se"),
        "Gratis kontorsplatser i kommunhuset för nystartade företag",
        "Många som startar eget sitter ensamma hemma. Kommunen borde erbjuda några gratis "
        "kontorsplatser i kommunhuset det första året.",
        Idea.Status.DECLINED,
        "Kommunen får inte ge enskilda företag förmåner som andra inte får (kommunallagen 2 kap. "
        "8 §). Vi tipsar i stället om kontorshotellen i kommunen och om Nyföretagarcentrums "
        "kostnadsfria rådgivning.",
    ),
    (
        "forbattra-dialogen",
        Visitor("Lars Öberg", "lars.oberg@example.se"),
        "Påminnelse per sms dagen före frukostmötet",
        "Jag anmäler mig ofta men glömmer bort det. Ett sms kvällen innan skulle hjälpa.",
        Idea.Status.CONSIDERING,
        "",
    ),
)
