"""Demo visits for ``make run`` (``manage.py load_demo`` loads them when there are none).

Three years of the office's work on the demo register: a target for each year (scaled
to the register: about a quarter as many visits as there are active companies), held
visits that reach about one active company in eight a year — more often builders and
manufacturers than shops, so the visited group is not quite representative — with
lunches, calls, digital meetings and a few network meetings with several companies.
This year's visits end today, a little behind the target's pace. Feedback on every
topic and in every tone, part of it linked to the action plan's areas and activities
when the plan is loaded, and negative items left unlinked for the office to sort.
Politicians join some visits. Follow-ups for the demo users: done, open and overdue;
and a few visits planned for the coming weeks.

Deterministic for a given seed and day. Everything is fictional and written through
the services (``via="demodata"``), in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

import holidays
from django.db import transaction
from django.utils import timezone

from brygga.accounts.models import User
from brygga.actionplan.models import Activity, Area
from brygga.register.demo_data import DEMO_USERS
from brygga.register.models import Company, SniCode
from brygga.register.sni import section_key
from brygga.visits.models import Feedback, FollowUp, Topic, Visit, VisitKind
from brygga.visits.services.followups import follow_up_create, follow_up_update
from brygga.visits.services.lists import lists_ensure_defaults
from brygga.visits.services.targets import target_set
from brygga.visits.services.visits import FeedbackData, VisitData, visit_create

VIA = "demodata"
DEFAULT_SEED = 4
# Targets as a share of the active companies, for the year before last, last year and
# this one; and how much of each target was (or, by today, will have been) met.
TARGET_SHARES = (0.25, 0.27, 0.29)
ACHIEVED = (1.06, 0.95, 0.92)
VISITED_SHARE = 0.13  # of the active companies, a year
# How much more (or less) often a company of an SNI section is visited.
SECTION_SKEW = {"F": 2.0, "C": 1.8, "I": 1.3, "G": 0.7, "S": 0.6, "M": 0.8}
KINDS = (("besok", 55), ("telefon", 15), ("digitalt", 12), ("lunch", 12), ("massa", 6))
NETWORK_MEETINGS = 3  # a year, with 3-5 companies each
POLITICIANS = (
    "Kerstin Fjäder (kommunstyrelsens ordförande)",
    "Bengt Lövgren (oppositionsråd)",
    "Maja Strand (samhällsbyggnadsnämndens ordförande)",
)
NOTES = (
    "Visade verksamheten och berättade om planerna på att anställa två personer till.",
    "Rundvandring i lokalerna. Vill bygga ut lagret men vet inte hur bygglovet går till.",
    "Pratade om kompetensförsörjning och praktikplatser för gymnasieelever.",
    "Nytt ägarskifte i våras; den nya ägaren vill lära känna kommunen.",
    "Företaget har vuxit ur lokalen och tittar på mark i Finninge.",
    "Kort avstämning om upphandlingen av kontorsmaterial.",
    "",
    "",
)
# Per topic: (negative, positive) things a company might say; a neutral item asks.
# Fictional, but what offices hear.
SAID = {
    "upphandling": (
        "Förfrågningsunderlagen är för stora för ett litet företag.",
        "Bra att kommunen delade upp ramavtalet i mindre delar.",
    ),
    "tillstand": (
        "Bygglovet tog fyra månader och ingen hörde av sig under tiden.",
        "Handläggaren ringde upp samma dag och förklarade vad som saknades.",
    ),
    "bemotande": (
        "Kände sig inte välkommen när de ringde växeln.",
        "Mycket gott bemötande från miljöinspektören.",
    ),
    "information": (
        "Svårt att hitta vem man ska prata med på kommunens webbplats.",
        "Nyhetsbrevet till företagare är uppskattat.",
    ),
    "infrastruktur": (
        "Vägen till industriområdet har stora hål efter vintern.",
        "Den nya cirkulationsplatsen har gjort det lättare för lastbilarna.",
    ),
    "kompetens": (
        "Hittar inte svetsare; vill ha en yrkesutbildning på orten.",
        "Praktikanterna från gymnasiet har varit mycket bra.",
    ),
    "lokaler": (
        "Det finns ingen ledig verkstadslokal i tätorten.",
        "Fick snabbt besked om tomten i det nya området.",
    ),
    "skyltning": (
        "Får inte sätta upp en skylt vid infarten.",
        "Smidigt att söka skyltlov digitalt.",
    ),
    "parkering": (
        "Kunderna hittar ingen parkering vid butiken.",
        "Bra med de nya korttidsplatserna vid torget.",
    ),
    "bredband": (
        "Fibern är fortfarande inte framdragen till gården.",
        "Fibern kom på plats i tid.",
    ),
    "skola": (
        "Skolan hör aldrig av sig om studiebesök.",
        "Eleverna som gjorde studiebesök var engagerade.",
    ),
    "ovrigt": ("Önskar att kommunen kom ut oftare.", "Tack för att ni tar er tid att komma ut."),
}
# Which improvement areas (by slug, when the action plan's demo is loaded) a topic's
# feedback may concern.
TOPIC_AREAS = {
    "bemotande": ("forbattra-dialogen",),
    "information": ("forbattra-dialogen", "starta-och-vaxa"),
    "tillstand": ("forbattra-dialogen", "starta-och-vaxa"),
    "skola": ("motesplatser-och-samverkan",),
    "kompetens": ("motesplatser-och-samverkan",),
    "lokaler": ("mark-och-lokaler",),
    "infrastruktur": ("mark-och-lokaler",),
    "upphandling": ("hallbart-foretagande",),
}
FOLLOW_UPS = (
    "Skicka kontaktuppgifter till bygglovshandläggaren",
    "Bjud in till nästa frukostmöte",
    "Ta reda på vilka tomter som finns i Finninge",
    "Återkoppla om vägen till industriområdet",
    "Förmedla kontakt med gymnasiets praktiksamordnare",
    "Skicka information om kommande upphandlingar",
)


@dataclass
class VisitsDemoResult:
    years: list[int] = field(default_factory=list)
    targets: list[tuple[int, int]] = field(default_factory=list)
    held: int = 0
    planned: int = 0
    companies_visited: int = 0
    feedback: int = 0
    linked: int = 0
    follow_ups_open: int = 0
    follow_ups_overdue: int = 0


class _Loader:
    def __init__(self, rng: random.Random, today: dt.date, result: VisitsDemoResult) -> None:
        self.rng = rng
        self.today = today
        self.result = result
        lists_ensure_defaults()
        self.kinds = {k.key: k for k in VisitKind.objects.all()}
        self.topics = {t.key: t for t in Topic.objects.all()}
        users = {u.email: u for u in User.objects.filter(email__in=[u[0] for u in DEMO_USERS])}
        self.developer = users.get("utvecklare@demo.brygga.se")
        self.admin = users.get("admin@demo.brygga.se")
        self.officer = users.get("handlaggare@demo.brygga.se")
        self.areas: dict[str, Area] = {a.slug: a for a in Area.objects.order_by("pk")}
        self.activities: dict[int, list[Activity]] = defaultdict(list)
        for activity in Activity.objects.order_by("pk"):
            self.activities[activity.area_id].append(activity)
        self.holidays = holidays.country_holidays("SE", years=range(today.year - 2, today.year + 2))
        self.visited: set[int] = set()

    # ------------------------------------------------------------------ companies

    def companies(self) -> list[tuple[Company, float]]:
        """Every company with its weight (by the SNI section of its primary code)."""
        primary = dict(
            SniCode.objects.filter(system=SniCode.System.SNI2007, position=0).values_list(
                "company_id", "code"
            )
        )
        out = []
        for company in Company.objects.order_by("identity", "name_protection_no"):
            section = section_key(primary.get(company.pk))
            out.append((company, SECTION_SKEW.get(section, 1.0)))
        return out

    @staticmethod
    def active(company: Company, start: dt.date, end: dt.date) -> bool:
        registered = company.registered_on is None or company.registered_on <= start
        return registered and (company.deregistered_on is None or company.deregistered_on > end)

    def pick(self, weighted: list[tuple[Company, float]], k: int) -> list[Company]:
        """``k`` distinct companies, more likely the heavier (Efraimidis-Spirakis)."""
        keyed = sorted(weighted, key=lambda cw: self.rng.random() ** (1 / cw[1]), reverse=True)
        return [company for company, _weight in keyed[:k]]

    # ---------------------------------------------------------------------- dates

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        """A working day in [start, end], seldom in July."""
        for _attempt in range(100):
            day = start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))
            if day.weekday() >= 5 or day in self.holidays:
                continue
            if day.month == 7 and self.rng.random() < 0.8:
                continue
            return day
        return end

    # --------------------------------------------------------------------- visits

    def staff(self, kind: str) -> list[User]:
        staff = [u for u in (self.developer,) if u is not None and self.rng.random() < 0.9]
        if self.admin is not None and (not staff or self.rng.random() < 0.3):
            staff.append(self.admin)
        if self.officer is not None and kind == "besok" and self.rng.random() < 0.1:
            staff.append(self.officer)
        return staff

    def feedback(self, company: Company | None) -> list[FeedbackData]:
        items = []
        count = self.rng.choices((0, 1, 2, 3), weights=(25, 40, 25, 10))[0]
        for key in self.rng.sample(sorted(SAID), k=count):
            negative, positive = SAID[key]
            tone = self.rng.choices(
                (
                    Feedback.Sentiment.NEGATIVE,
                    Feedback.Sentiment.POSITIVE,
                    Feedback.Sentiment.NEUTRAL,
                ),
                weights=(45, 35, 20),
            )[0]
            text = positive if tone == Feedback.Sentiment.POSITIVE else negative
            if tone == Feedback.Sentiment.NEUTRAL:
                text = f"Ville veta mer om {self.topics[key].label.lower()} i kommunen."
            item = FeedbackData(topic=self.topics[key], sentiment=tone, text=text, company=company)
            areas = [self.areas[s] for s in TOPIC_AREAS.get(key, ()) if s in self.areas]
            if areas and self.rng.random() < 0.5:
                item.area = self.rng.choice(areas)
                activities = self.activities.get(item.area.pk, [])
                if activities and self.rng.random() < 0.4:
                    item.activity = self.rng.choice(activities)
                self.result.linked += 1
            items.append(item)
        return items

    def visit(self, companies: list[Company], date: dt.date, kind: str) -> Visit:
        staff = self.staff(kind)
        rating = self.rng.choice((5, 4, 4, 4, 3, 3, 2)) if self.rng.random() < 0.6 else None
        single = companies[0] if len(companies) == 1 else None
        feedback = self.feedback(single)
        visit = visit_create(
            data=VisitData(
                companies=companies,
                date=date,
                kind=self.kinds[kind],
                staff=staff,
                politicians=self.rng.choice(POLITICIANS) if self.rng.random() < 0.15 else "",
                notes=self.rng.choice(NOTES) if kind != "natverkstraff" else "Frukostmöte.",
                rating=rating,
                feedback=feedback,
            ),
            actor=staff[0] if staff else None,
            via=VIA,
        )
        self.result.held += 1
        self.result.feedback += len(feedback)
        self.visited.update(c.pk for c in companies)
        recent = (self.today - date).days < 45
        if self.rng.random() < (0.5 if recent else 0.2):
            self.follow_up(visit, staff)
        return visit

    def follow_up(
        self, visit: Visit, staff: list[User], due: dt.date | None = None, forced: bool = False
    ) -> None:
        owner = staff[0] if staff else self.developer
        if owner is None:
            return
        due = due or visit.date + dt.timedelta(days=self.rng.randint(10, 45))
        follow_up = follow_up_create(
            visit=visit, title=self.rng.choice(FOLLOW_UPS), owner=owner, due_on=due, via=VIA
        )
        # Most old ones were done in time; some were forgotten and are overdue now.
        if due < self.today and self.rng.random() < 0.85 and not forced:
            follow_up_update(
                follow_up=follow_up,
                data={
                    "status": FollowUp.Status.DONE,
                    "outcome": "Klart, återkopplat till företaget.",
                },
                via=VIA,
            )
            done_at = timezone.make_aware(dt.datetime.combine(min(due, self.today), dt.time(10)))
            FollowUp.objects.filter(pk=follow_up.pk).update(done_at=done_at)  # as it happened
        else:
            self.result.follow_ups_open += 1
            self.result.follow_ups_overdue += due < self.today

    def year(self, index: int, year: int, weighted: list[tuple[Company, float]]) -> None:
        start = dt.date(year, 1, 1)
        end = min(dt.date(year, 12, 31), self.today)
        active = [(c, w) for c, w in weighted if self.active(c, start, end)]
        target = max(5, round(len(active) * TARGET_SHARES[index] / 5) * 5)
        target_set(year=year, visits=target, coverage_percent=None, note="", via=VIA)
        self.result.targets.append((year, target))
        share = ((end - start).days + 1) / ((dt.date(year, 12, 31) - start).days + 1)
        wanted = round(target * ACHIEVED[index] * share)
        network = min(NETWORK_MEETINGS, wanted // 10)
        chosen = self.pick(active, min(len(active), round(len(active) * VISITED_SHARE * share)))
        singles = max(0, wanted - network)
        chosen = chosen[:singles]
        if not chosen:
            return
        weight = dict((c.pk, w) for c, w in active)
        plan = chosen + self.rng.choices(
            chosen, weights=[weight[c.pk] for c in chosen], k=singles - len(chosen)
        )
        kinds = [k for k, _w in KINDS]
        weights = [w for _k, w in KINDS]
        done: set[tuple[int, dt.date, str]] = set()
        for company in plan:
            date, kind = self.day(start, end), self.rng.choices(kinds, weights)[0]
            if (company.pk, date, kind) not in done:
                done.add((company.pk, date, kind))
                self.visit([company], date, kind)
        for _meeting in range(network):
            group = self.rng.sample(chosen, k=min(len(chosen), self.rng.randint(3, 5)))
            self.visit(group, self.day(start, end), "natverkstraff")

    def open_follow_ups(self, overdue: int = 3, upcoming: int = 3) -> None:
        """However the dice fell, a few open follow-ups: some overdue, some coming up."""
        recent = Visit.objects.filter(status=Visit.Status.HELD, date__lt=self.today)
        for visit in recent.order_by("-date", "-pk").prefetch_related("staff")[:12]:
            staff = sorted(visit.staff.all(), key=lambda u: u.email, reverse=True)
            if self.result.follow_ups_overdue < overdue and (self.today - visit.date).days > 3:
                gone = (self.today - visit.date).days
                due = visit.date + dt.timedelta(days=self.rng.randint(1, min(gone - 1, 20)))
                self.follow_up(visit, staff, due=due, forced=True)
            elif self.result.follow_ups_open - self.result.follow_ups_overdue < upcoming:
                due = self.today + dt.timedelta(days=self.rng.randint(3, 25))
                self.follow_up(visit, staff, due=due, forced=True)

    def planned(self, weighted: list[tuple[Company, float]]) -> None:
        pool = [
            c
            for c, _w in weighted
            if c.status == Company.Status.ACTIVE and c.pk not in self.visited
        ]
        owners = [u for u in (self.developer, self.admin) if u is not None]
        for company in self.pick([(c, 1.0) for c in pool], min(6, len(pool))):
            date = self.day(self.today + dt.timedelta(days=1), self.today + dt.timedelta(days=40))
            owner = self.rng.choice(owners) if owners else None
            visit_create(
                data=VisitData(
                    companies=[company],
                    date=date,
                    kind=self.kinds["besok"],
                    status=Visit.Status.PLANNED,
                    staff=[owner] if owner else [],
                ),
                actor=owner,
                via=VIA,
            )
            self.result.planned += 1


def load_visits_demo(*, seed: int = DEFAULT_SEED, today: dt.date | None = None) -> VisitsDemoResult:
    """Targets, visits, feedback, follow-ups and planned visits for the demo register."""
    today = today or timezone.localdate()
    result = VisitsDemoResult()
    with transaction.atomic():
        loader = _Loader(random.Random(seed), today, result)
        weighted = loader.companies()
        for index, year in enumerate(range(today.year - 2, today.year + 1)):
            result.years.append(year)
            loader.year(index, year, weighted)
        loader.open_follow_ups()
        loader.planned(weighted)
        result.companies_visited = len(loader.visited)
    return result
