"""The action plan's demo material: seed 000's improvement area, recreated.

Strängnäs kommun's improvement area "Förbättra dialogen mellan företagare och
politiker/tjänstemän" of the program "Topp 50-2017" (``/work/shared/seeds/000``):
its introduction and its twenty activities in the page's order, with their texts
as published, typos included, except that every person is fictional. The office's
staff are demo users (``@demo.brygga.se``, phone numbers from the range PTS keeps
for fiction, 08-465 004 00 to 99); the entrepreneurs named in the texts and their
one-person firms are made up. Companies that are not one person's (AB Åkers
Styckebruk) and public bodies keep their names.

The dates are not in the seed: each activity is "added" when the program was
launched in March 2014 (the proposals under investigation after the officials'
workshop in June) and marked done when its text says it happened. The invented
parts of the demo (the second program, the visitors) are in
:mod:`brygga.actionplan.demo.loader` with the loader.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import dataclass

_LIST_ITEM = re.compile(r"^(?:\d+\.|-) ")


def text(source: str) -> str:
    """Prose as it is stored: the source's wrapped lines joined, paragraphs kept apart by
    a blank line, list items (``1. …``, ``- …``) on lines of their own."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", textwrap.dedent(source).strip()):
        lines: list[str] = []
        for raw in block.splitlines():
            line = " ".join(raw.split())
            if lines and line and not _LIST_ITEM.match(line):
                lines[-1] += " " + line
            elif line:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


@dataclass(frozen=True)
class Staff:
    """A fictional member of staff: an activity's public contact."""

    key: str
    name: str
    title: str
    email: str
    phone: str
    role: str  # accounts.User.Role


@dataclass(frozen=True)
class Step:
    """A point on an activity's timeline: the first is its creation, the rest status changes."""

    on: dt.date
    status: str  # ActivityStatus.key
    text: str = ""


@dataclass(frozen=True)
class DemoActivity:
    title: str
    contact: str  # Staff.key
    steps: tuple[Step, ...]
    description: str = ""
    further_info: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    @property
    def status(self) -> str:
        return self.steps[-1].status

    @property
    def status_text(self) -> str:
        return self.steps[-1].text


# The seed's contacts, fictional: (key, name, title, role). E-mail from the name.
_STAFF = (
    ("chef", "Karin Sjöberg", "Näringslivschef", "developer"),
    ("utv1", "Johan Ekdahl", "Näringslivsutvecklare", "developer"),
    ("utv2", "Mats Lindqvist", "Näringslivsutvecklare", "developer"),
    ("turism", "Sofia Bergström", "Turismutvecklare", "developer"),
    ("plan", "Erik Holmgren", "Översiktsplanerare", "reader"),
    ("inkop", "Lena Forsberg", "Inköpschef", "reader"),
    ("kommunikation", "Hanna Nyberg", "Kommunikatör", "reader"),
)
_ASCII = str.maketrans("åäöé", "aaoe")
STAFF: tuple[Staff, ...] = tuple(
    Staff(
        key=key,
        name=name,
        title=title,
        email=name.lower().translate(_ASCII).replace(" ", ".") + "@demo.brygga.se",
        phone=f"08-465 004 {number:02d}",
        role=role,
    )
    for number, (key, name, title, role) in enumerate(_STAFF, start=1)
)

TOPP50 = {
    "title": "Topp 50-2017",
    "slug": "topp-50-2017",
    "summary": "Kommunens program för ett bättre företagsklimat, med målet att nå topp 50 i "
    "Svenskt Näringslivs ranking 2017.",
    "description": text("""
        Topp 50-2017 bygger på en undersökning bland företagen i Strängnäs kommun om vad som
        fungerar bra och vad kommunen behöver bli bättre på. Svaren ledde fram till ett antal
        förbättringsområden, vart och ett med aktiviteter som Näringslivskontoret och
        förvaltningarna genomför tillsammans med företagarna.

        Programmet lanserades i mars 2014 vid frukostmöten och luncher i kommunens fyra
        huvudorter Strängnäs, Mariefred, Åkers styckebruk och Stallarholmen. Här kan du följa
        hur arbetet går, kommentera aktiviteterna och dela med dig av egna idéer.
        """),
    "period_start": dt.date(2014, 1, 1),
    "period_end": dt.date(2017, 12, 31),
    "source": "survey",
    "source_detail": "Enkät till kommunens företagare 2013, inför programmet",
}

DIALOGUE_AREA = {
    "title": "Förbättra dialogen mellan företagare och politiker/tjänstemän",
    "slug": "forbattra-dialogen",
    "summary": "Många företagare upplever att dialogen med tjänstemän och politiker kan "
    "förbättras.",
    "description": text("""
        En förutsättning för ett bra företagsklimat är att det finns ett bra samtalsklimat
        mellan näringslivets olika parter. I den undersökning som genomfördes inför
        framtagandet av Topp 50-2017 så framkommer det tydligt att många företagare upplever
        att dialogen med tjänstemän och politiker kan förbättras.

        Förbättringsområdet ligger i linje med kommunens övergripande arbete med att förbättra
        dialogen med sina medborgare. Läs mer om detta under Delta och påverka.

        Klicka på aktiviteterna nedan så får du mer information. Kommentera gärna och dela med
        dig om du har egna idéer som kan bidra till ett bättre företagsklimat i Strängnäs
        kommun. Du kan även prenumerera på en eller flera förbättringsområden.
        """),
}

# The twenty activities as on the seed's page, in its order (format: parse_activities).
# The done ones were ongoing from the launch until the date their text suggests.
_SEED_000 = """
### Arbeta aktivt med att koppla ihop eldsjälar och relevanta resurser/samarbetspartners
chef
2014-03-20 ongoing
2014-12-15 done
Status:
Aktiviteten är avklarad och arbetssättet är numer en integrerad del i hur vi arbetar för att
förbättra företagsklimatet på Näringslivskontoret.
Beskrivning:
Aktiviteten innebär ett ökad fokus på att identifiera och fånga upp enskilda initiativ och koppla
ihop dessa med andra företagare/aktörer som kan bidra till exempelvis ett bättre utbud av
aktiviteter som är gynnsamt för näringslivet eller attraktionskraften för kommunen som helhet.
Exempel under 2014:

1. Förslag på "Fråga mig om mina smultronställen"-knapp kom upp som förbättrad
   marknadsföringsaktivitet inom besöksnäringen på ett av de dialogmöten som genomfördes av
   Näringslivskontoret. Förslaget kom från Maja Lundgren, Maja Lundgren Design och Ingrid Svahn,
   Svahns trasmattor och förverkligades genom att vi tryckte upp knapparna och nyttjade på
   turistbyråerna och ute hos företagen inom besöksnäringen.
2. Per Dahlin, AB Åkers Styckebruk, tyckte att det behövdes en nystart för näringslivet i Åker och
   tog kontakt med Linnea Ström på Strängnäs Business Park. De resulterade i en workshop som hölls
   i Motstugan Åker i augusti i år där representanter för det lokala näringslivet i Åkers
   Styckebruk deltog för att diskutera hur man kan skapa fler affärer i Åker.
3. Elsa Norén, Värdshuset Tranan, Gustav Ek Ekbackens Gård & Maskin, Ingrid Svahn, Svahns
   trasmattor och Jonas Vik, Idéverkstan alla verksamma i Stallarholmen tyckte det behövdes en en
   bättre samverkan mellan de olika företagen i orten. De tog därför kontakt med
   Näringslivskontoret utifrån denna frågeställning. Detta resulterade i en inledande workshop där
   vi genomförde en SWOT-analys för Stallarholmens näringsliv och ort. I januari 2015 hålls nästa
   workshop på temat marknadsföring och paketering. Förhoppningen är att detta nätverk av
   Stallarholmsföretagare ska fortsätta träffas för att diskutera samarbete i syfte att stärka det
   lokala näringslivet?

### Arrangera Näringslivskontorets frukostmöten på olika tider för att nå fler företagare
chef
2014-03-20 ongoing
2014-11-10 done
Status:
Aktiviteten är avklarad. Vi har under året vid två tillfällen anordnat möten med samma program vid
både frukostmöte och lunch. Den ena tillfället var i mars då hela programmet för Topp 50-2017
lanserades. Då höll vi möten i våra fyra huvudorter Åker, Mariefred, Stallarholmen och Strängnäs.
Det andra gången var 31 oktober där vi genomförde frukost/lunchmöte på temat Internetmarknadsföring
i Strängnäs och Stallarholmen.
Beskrivning:
Aktiviteten syftar till att möjliggöra för fler företagare att delta på våra frukostmöten. När vi
frågar företagare i Strängnäs kommun så passar frukostmöten det stora flertalet bäst. Det finns
dock en grupp som inte har möjlighet på morgonen och då visar sig lunch vara det bästa
alternativet.
Ytterligare information:
Under 2015 kommer vi att fortsätta att variera våra mötestider för att nå en så bred grupp av
företagare som möjligt. Vi kommer dock inte kunna göra detta vid varje tillfälle då kostnaden för
detta blir för stor sett till årsbudgeten.

Information om kommande frukostmöten skickas ut via e-post till alla som finns registrerade i
Forreg som är Näringslivskontorets registerleverantör. Gå in och registrera dig/ändra dina
uppgifter om du inte får våra inbjudningar här. Du hittar även information om våra kommande
frukostmöten här.

### Dialog med näringslivet i Stallarholmen angående fördjupad översiktsplan
plan
2014-03-20 ongoing
2015-04-20 done
Status:
Aktiviteten är avklarad.
Beskrivning:
Syftet med aktiviteten är att säkerställa det lokala näringslivets behov av utveckling inhämtas och
den så kallade FÖP:en(Fördjupade översiktplan) för Stallarholmen blir en långsiktigt hållbar plan
som gynnar utvecklingen i kommunen och Stallarholmen.

### Inför återkommande upphandlingsmöte med SEVAB, SFAB och Strängnäs kommun
inkop
2014-03-20 ongoing
2015-09-28 done
Status:
Aktiviteten är avklarad och ett första ägde rum den 25 september 2015 på Mötesplats Stallarholmen.
Strängnäs kommun kommer att arrangera återkommande möten på temat upphandling framöver.
Beskrivning:
Syftet med aktiviteten är att skapa en bättre dialog mellan företagare och inköpsansvariga på
Strängnäs kommun, ESEM och SFAB. Aktiviteten ska leda till ökad förståelse för hur lagen om
offentlig upphandling fungerar samt hur Strängnäs kommun och dess bolag arbetar konkret vid inköp
av varor och tjänster.

### Införa mer tid för dialog och nätverkande på frukostmöten
chef
2014-03-20 ongoing
2014-10-15 done
Status:
Aktiviteten är avklarad då vi lagt till mingeltid efter presentationerna börjat med "en-minutare"
där ett antal företagare får göra kortare presentationer eller "sökningar" efter nya
samarbetspartners/kunder etc. Vi kommer att fortsätta utvärdera varje frukostmöte och göra
justeringar så att vi ständigt förbättrar oss vad gäller möjligheten till dialog.
Beskrivning:
Aktiviteten syftar till öka möjligheterna till dialog och interaktivitet mellan deltagande
företagare sinsemellan men också mellan tjänstemän/politiker och företagare.
Ytterligare information:
Information om kommande frukostmöten skickas ut via e-post till alla som finns registrerade i
ForReg som är vår registerleverantör. Gå in och registrera dig/ändra dina uppgifter om du inte får
våra inbjudningar här.

### Införande av utvärderingsrutin för anbudsgivare vid upphandling
inkop
2014-03-20 ongoing
2014-12-01 done
Status:
Aktiviteten har avklarad och en utvärderings skickas nu till alla anbudsgivare vid de större
upphandlingar som Inköpsenheten genomför.
Beskrivning:
Syftet med aktiviteten är att fånga upp synpunkter från företag som deltar i kommunens
upphandlingar som sedan nyttjas i det interna förbättringsarbetet. Inköpsenheten ska under hösten
2014 införa en utvärderingsrutin där alla företagare som deltagit i en upphandling ska få utvärdera
upphandlingen. Detta gäller i första hand de större upphandlingar som genomförs över de aktuella
nivåerna för direktupphandling.
Ytterligare information:
Läs mer om hur upphandling fungerar här:

http://www.strangnas.se/sv/Naringsliv--arbete/Upphandling-och-inkop/

Kontakta Inköpschef Lena Forsberg om du har idéer om hur arbetet med upphandling kan förbättras
inom kommunen.

### Marknadsföringsmöte angående marknadsföringsinsatser för besöksnäringen 2014
turism
2014-03-20 ongoing
2014-10-20 done
Status:
Aktiviteten är avklarad. Under mars månad 2014 genomfördes två dialogmöten med aktörer inom framför
allt besöksnäringen och i oktober hölls ytterligare ett möte där marknadsföringsaktiviteter för
2015 diskuteras.
Beskrivning:
Syftet med aktiviteten är att rikta marknadsföringsinsatserna för turismen inom Strängnäs kommun på
ett bättre sätt som är mer anpassad efter besöksnäringens behov och för att få ett så stort
genomslag som möjligt.
Ytterligare information:
På mötet den 8 oktober deltog 32 deltagare. Resultaten av diskussionerna under workshopen var att
vi kom fram till följande:

- fokus på den svenska marknaden
- delta på mässor i Tyskland
- bjud in till visningsresor
- målgruppsanpassa budskapet och kanaler för marknadsföringen.
- se över entréerna till Strängnäs och Mariefred, rent och snyggt och tydliga informationstavlor.
- arbeta med skyltning, allt från skyltning in från E20 till brunvit skyltning för Strängnäs
  domkyrka.
- företagen inom besöksnäringen ska ”sälja varandra” i större utsträckning än tidigare.

Har du fler frågor om marknadsföringsarbetet inför 2015 kontakta Sofia Bergström.

### Näringslivskontoret genomför 250 företagsbesök 2014
utv1
2014-03-20 ongoing
2014-12-19 done
Status:
Aktiviteten är avklarad och det sista företagsbesöket för året genomfördes på Svenska
undervattensentreprenader AB i Mariefred.
Beskrivning:
Syftet med företagsbesök är att skapa närmare kontakt mellan Näringslivskontoret och kommunens
företagare, lyssna på vad du som förtagare tycker är viktigt att arbete med samt att informera om
vad som är på gång i kommunen. Vill du att vi kommer och besöker ditt företag eller att vi träffas
över en lunch. Ring eller mejla Karin Sjöberg, Johan Ekdahl, Mats Lindqvist eller Sofia Bergström
så bokar vi en tid.
Ytterligare information:
Kontaktuppgifter till oss hittar du här.

Näringslivskontoret kommer att fortsätta med företagsbesök under år 2015. Målsättningen är att vi
ska hinna med ungefär samma mängd som 2014, vilket utgör ca 10 % av de aktiva företagen i Strängnäs
kommun. Vi kommer fokusera mer på att nå ut på bredden och säkerställa att vi besöker en
representativ grupp för näringslivet i Strängnäs kommun. Dessutom kommer vi lägga mer energi på att
delta i företagarnätverken som finns i Strängnäs, Mariefred, Stallarholmen och Åkers styckebruk.

### Näringslivskontoret genomför 300 företagsbesök 2015
utv1
2014-12-19 ongoing
2015-11-30 done
Status:
Aktiviteten är avklarad och hittills under 2015 har vi genomfört 426 företagsbesök/möten.
Beskrivning:
Syftet med företagsbesöken är att skapa närmare kontakt mellan Näringslivskontoret och kommunens
företagare, lyssna på vad du som förtagare tycker är viktigt att arbete med samt att informera om
vad som är på gång i kommunen. Vill du att vi kommer och besöker ditt företag eller att vi träffas
över en lunch. Ring eller mejla Karin Sjöberg, Johan Ekdahl, Mats Lindqvist eller Sofia Bergström
så bokar vi en tid.

Under 2015 kommer vi fokusera mer på att nå ut på bredden och säkerställa att vi besöker en
representativ grupp för näringslivet i Strängnäs kommun. Dessutom kommer vi lägga mer energi på att
delta i företagarnätverken som finns i Strängnäs, Mariefred, Stallarholmen och Åkers styckebruk.
Ytterligare information:
Kontaktuppgifter till oss på Näringslivskontoret hittar du här

### Näringslivskontoret startar Facebooksida
kommunikation
2014-03-20 ongoing
2014-05-05 done
Status:
Finns på Facebook.
Beskrivning:
Syftet med att använda Facebook som kommunikationskanal är att ha ytterligare en kanal för snabb
och smidig kommunikation till alla företagare som nyttjar Facebook. Gå in och Gilla sidan och följ
med vad som händer på Näringslivskontoret och i näringslivet i Strängnäs kommun.

### Näringslivslunch med företagare och politiker en gång i månaden
chef
2014-03-20 ongoing
2015-10-12 done
Status:
Aktiviteten är avklarad och vi har under våren genomfört 4 lunchträffar. Årets sista politikerlunch
äger rum 11 december.
Beskrivning:
Syftet med aktiviteten är att på ett enkelt sätt skapa möjlighet till dialog mellan politiker och
företagare i kommunen. Företagare i vissa branscher har svårt att komma på våra företagsfrukostar
och därför vill vi pröva att skapa möjlighet till möte och dialog lunchtid också.

Grundtanken är att vi talar om var och när politiker kommer att finnas på plats och att du som
företagare kan välja detta ställe för din lunch. Vi starta med detta under augusti och fortsätter
under hela hösten; andra fredagen varje månad.

Alla behöver äta lunch och då kan du passa på att göra det på samma ställe som våra politiker gör
det en gång i månaden. Helt informellt finns möjligheten att talas vid över lunchen och få lite mer
information i olika frågor. Var och en betalar för sig och det är inget organiserat möte utan ett
sätt att ses och få möjlighet till dialog och "lära-känna" varandra och varandras världar.

Följ oss på "Näringslivskontoret Strängnäs kommun" på Facebook så får du alltid senaste nytt om
vårt arbetet med att förbättra för företagare i Strängnäs kommun.

### Smartare användning av kommunens företagsregister vid kontakt med företagare
utv1
2014-03-20 ongoing
2015-02-16 done
Status:
Aktiviteten är avklarad.
Beskrivning:
Syftet med aktiviteten är att nyttja vårt företagsregister ForReg på ett smartare sätt så att vi på
Näringslivskontoret kan vara professionellare i vår kommunikation med kommunens företagare. De
handlar bland annat om att hålla bättre kvalité på informationen i registren och att vi gör fler
notiser om vad vi fått in för synpunkter från företagare, samt att vi delar denna information på
ett bättre sätt. Arbetet syftar också till att nå ut till fler företagare i kommunen och att vi
riktar vår kommunikation på ett bättre sätt än tidigare.
Ytterligare information:
Vi använder oss idag av ForReg och har en förbättrad rutin vad gäller noteringar vid företagsbesök
och hur vi delar informationen internt. Om du vill hjälpa oss att upprätthålla en bra kvalité på
vårt kontaktregister så får du gärna kontrollera dina uppgifter här . Det går att ändra och lägga
till uppgifter direkt på sidan.

### Starta dialogmöten mellan tjänstemän och företagare 4 gånger/per år
chef
2014-03-20 ongoing
2014-12-10 done
Status:
Aktiviteten är avklarad. Under året har dialogmöten genomförts inom exempelvis:

1. 2 dialogmöten angående parkeringsmöjligheter i stadskärnorna Mariefred och Strängnäs.
2. 2 dialogmöten för besöksnäringen angående marknadsföringsinsatser för 2014 och 2015
3. Krögarträff i februari där kommunens alkoinspektörer och tjänstemän som ansvarar för
   markupplåtelse träffade krögarbranschen.
4. Byggdialog med byggbranschen där Samhällsbyggnadskontoret har hållit i infoträffar angående ökat
   bostadsbyggande i kommunen.

Dialogmöte angående behovet av förbättrad skyltning i kommunen har skjutits framåt och planeras
genomföras 2015.
Beskrivning:
Syftet med aktiviteten är att skapa ett forum för dialog mellan företagare och politiker/
tjänstemän inom områden som är viktiga för företagare i en viss bransch eller för företagare
generellt inom ett visst myndighetsområde. Målet är att skapa ökad förståelse för
varandras(kommun/näringsliv) verkligheter samt att uppnå ökad kvalité i myndighetsutövning
och/eller beslut som fattas inom kommunen.
Ytterligare information:
Strängnäs kommun har under en längre tid arbetat med att förbättra dialogen mellan medborgarna och
förvaltning/tjänstemän. En konkret resultat av det är Delta & Påverka. Där kan du bland annat lämna
förslag på förbättringar som du skulle vilja se eller ta direkt kontakt med en politiker.

### Workshop med berörda tjänstemän om företagsklimatet i Strängnäs kommun
chef
2014-03-20 ongoing
2014-06-10 done
Status:
Aktiviteten är avklarad och Näringslivskontoret har genomfört workshop med
Samhällsbyggnadskontoret, delar av Stadsmiljöenheten, ansvariga för serveringstillstånd, ansvariga
för markupplåtelse, Inköpsenheten samt kommunikationsenheten.
Beskrivning:
Syftet med aktiviteten är att skapa ökad insikt och kunskap om vilka problemområden som företagare
i kommunen lyfter fram som centrala. Fokus är på förbättringsförslag och vad den berörda
enheten/avdelningen kan bidra med för att förbättra företagsklimatet.

### Erbjuda utbildning i sociala medier för politiker
chef
2014-06-16 investigating
Status:
Förslaget syftar till att öka möjligheterna för företagare att följa politikerna i deras arbete.
Förslaget kräver dock att vi tar reda om politikerna är intresserade av detta samt hur en sådan
utbildning skulle kunna genomföras.

### Förbättra informationen om hur handläggningsprocessen/politiska processen fungerar
chef
2014-06-16 investigating
Status:
Vi behöver undersöka hur en sådan aktivitet skulle kunna genomföras för att få genomslag och
effekt.

### Förbättra informationen om vad politikerna gör i "vardagen"
utv2
2014-06-16 investigating
Status:
Vi behöver titta närmare på hur en aktivitet/åtgärd skulle kunna se ut för att få genomslag och nå
fram till företagare på bästa sätt. Vi behöver även ha en dialog med politikerna hur de ser på
detta förslag.

### Politiker/tjänstemän erbjuds "Prao" hos utvalda företag (vice versa)
chef
2014-06-16 investigating
Status:
Förslaget behöver förankras hos politiker och kräver en tydligare ide om hur detta skulle kunna
genomföras på ett bra och effektivt sätt.

### Skapa en gemensam vision och samverkansarbete med kommunala skolor/friskolor
chef
2014-06-16 investigating
Status:
Syftet med förslaget är att få till en bättre dialog mellan friskolor och kommunala skolor.
Förslaget behöver utredas. Vi behöver veta mer om detta är intressant för flertalet skolor och hur
detta skulle kunna genomföras.

### Utbildning/rollspelsövning för att skapa insikt om företagarens villkor och verklighet
chef
2014-06-16 investigating
Status:
Förslaget behöver förankras hos politikerna och vi behöver titta på i vilken form som en sådan
utbildning/övning ska genomföras.
"""
_STEP = re.compile(r"^(\d{4}-\d\d-\d\d) ([a-z]+)$")
_SECTIONS = {"Beskrivning:": "description", "Ytterligare information:": "further_info"}


def parse_activities(source: str) -> tuple[DemoActivity, ...]:
    """Activities written as in ``_SEED_000``: after "### title", the contact's STAFF key,
    then the timeline as "<date> <status key>" lines, each followed by its public text
    (the seed's "Status:" line may head it), then "Beskrivning:" and "Ytterligare
    information:" with theirs."""
    activities = []
    for chunk in source.split("\n### ")[1:]:
        title, contact, *lines = chunk.strip().splitlines()
        steps: list[tuple[str, str, list[str]]] = []
        texts: dict[str, list[str]] = {name: [] for name in _SECTIONS.values()}
        current: list[str] = []
        for line in lines:
            step = _STEP.match(line)
            if step:
                current = []
                steps.append((step[1], step[2], current))
            elif line in _SECTIONS:
                current = texts[_SECTIONS[line]]
            elif line != "Status:":
                current.append(line)
        activities.append(
            DemoActivity(
                title=title,
                contact=contact,
                steps=tuple(
                    Step(dt.date.fromisoformat(on), key, text("\n".join(body)))
                    for on, key, body in steps
                ),
                description=text("\n".join(texts["description"])),
                further_info=text("\n".join(texts["further_info"])),
            )
        )
    return tuple(activities)


DIALOGUE_ACTIVITIES = parse_activities(_SEED_000)
