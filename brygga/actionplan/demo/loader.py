"""The action plan's demo data (``manage.py load_demo``): two programs and a few visitors.

"Topp 50-2017" with seed 000's improvement area and its twenty activities
(:mod:`brygga.actionplan.demo.seed000`), and a small "Näringslivsstrategi 2017-2025"
built from Lerum's strategy (seed 003): its three goals with measurable targets, an
area or two per goal and activities in every status. Then a few published comments
and ideas, so the public pages look lived in.

Everything is written through the services, dated in the past with ``at=`` and with
``notify=False``, in one transaction: the demo tells no subscriber (it has none)
and sends no mail. The visitors' comments and ideas go the public way (submitted,
then verified); the demo stands in for the visitors clicking their links, so the
verification and idea-status mails the services wrote to their made-up addresses
are taken out of the outbox again before the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from brygga.accounts.models import User
from brygga.accounts.services import user_create
from brygga.actionplan.demo import seed000 as d
from brygga.actionplan.demo.seed000 import DemoActivity
from brygga.actionplan.demo.strategy import COMMENTS, GOALS, IDEAS, STRATEGY, STRATEGY_ACTIVITIES
from brygga.actionplan.models import Activity, Area, Idea, Program
from brygga.actionplan.services.participation import (
    comment_submit,
    contribution_reply,
    contribution_verify,
    idea_set_status,
    idea_submit,
)
from brygga.actionplan.services.status import activity_set_status
from brygga.actionplan.services.structure import (
    activity_create,
    area_create,
    goal_create,
    program_create,
    statuses_ensure_defaults,
)
from brygga.core.models import OutboxMessage

VIA = "demodata"


@dataclass
class ActionPlanDemoResult:
    staff_created: list[str] = field(default_factory=list)
    programs: int = 0
    areas: int = 0
    activities: int = 0
    comments: int = 0
    ideas: int = 0


class _Loader:
    def __init__(self, result: ActionPlanDemoResult) -> None:
        self.result = result
        self.statuses = statuses_ensure_defaults()
        self.staff = {s.key: self._staff_user(s) for s in d.STAFF}
        self.activities: dict[str, Activity] = {}
        self.areas: dict[str, Area] = {}
        self.zone = ZoneInfo(settings.TIME_ZONE)

    def _staff_user(self, staff: d.Staff) -> User:
        user = User.objects.filter(email__iexact=staff.email).first()
        if user is None:
            # No password: they are the plan's public contacts, not demo logins.
            user = user_create(
                email=staff.email,
                full_name=staff.name,
                role=staff.role,
                title=staff.title,
                phone=staff.phone,
            )
            self.result.staff_created.append(staff.email)
        return user

    def at(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(10, 0), tzinfo=self.zone)

    def program(self, data: dict[str, object], position: int) -> Program:
        self.result.programs += 1
        fields = {k: v for k, v in data.items() if k != "title"}
        return program_create(
            title=str(data["title"]),
            actor=self.staff["chef"],
            via=VIA,
            published=True,
            position=position,
            **fields,
        )

    def area(self, program: Program, position: int, **fields: object) -> Area:
        title = str(fields.pop("title"))
        area = area_create(
            program=program,
            title=title,
            actor=self.staff["chef"],
            via=VIA,
            published=True,
            position=position,
            **fields,
        )
        self.result.areas += 1
        self.areas[area.slug] = area
        return area

    def activity(self, area: Area, demo: DemoActivity, position: int) -> Activity:
        contact = self.staff[demo.contact]
        first, *changes = demo.steps
        activity = activity_create(
            area=area,
            title=demo.title,
            status=self.statuses[first.status],
            status_text=first.text,
            actor=contact,
            via=VIA,
            at=self.at(first.on),
            notify=False,
            description=demo.description,
            further_info=demo.further_info,
            contact=contact,
            start_date=demo.start_date,
            end_date=demo.end_date,
            published=True,
            position=position,
        )
        for step in changes:
            activity_set_status(
                activity=activity,
                status=self.statuses[step.status],
                status_text=step.text,
                actor=contact,
                via=VIA,
                at=self.at(step.on),
                notify=False,
            )
        self.result.activities += 1
        self.activities[demo.title] = activity
        return activity

    def strategy(self) -> None:
        program = self.program(STRATEGY, position=2)
        area_position = 0
        for goal_position, demo_goal in enumerate(GOALS, start=1):
            goal = goal_create(
                program=program,
                title=demo_goal.title,
                description=demo_goal.description,
                target=demo_goal.target,
                position=goal_position,
                actor=self.staff["chef"],
                via=VIA,
            )
            for title, slug, summary in demo_goal.areas:
                area_position += 1
                area = self.area(
                    program, area_position, goal=goal, title=title, slug=slug, summary=summary
                )
                for position, demo in enumerate(STRATEGY_ACTIVITIES[slug], start=1):
                    self.activity(area, demo, position)

    def participation(self) -> None:
        moderator = self.staff["chef"]
        for title, visitor, comment_text, replier, reply in COMMENTS:
            comment = comment_submit(
                activity=self.activities[title],
                name=visitor.name,
                email=visitor.email,
                text=comment_text,
            )
            comment = contribution_verify(contribution=comment)
            if reply:
                contribution_reply(contribution=comment, text=reply, actor=self.staff[replier])
            self.result.comments += 1
        for slug, visitor, title, idea_text, status, answer in IDEAS:
            idea = idea_submit(
                area=self.areas[slug],
                name=visitor.name,
                email=visitor.email,
                title=title,
                text=idea_text,
            )
            idea = contribution_verify(contribution=idea)
            became = status == Idea.Status.ACTIVITY
            idea_set_status(
                idea=idea,
                status=status,
                reason="" if became else answer,
                activity=self.activities[answer] if became else None,
                actor=moderator,
            )
            self.result.ideas += 1
        # The visitors are made up: their verification and status mails go nowhere.
        visitors = [c[1].email for c in COMMENTS] + [i[1].email for i in IDEAS]
        OutboxMessage.objects.filter(to__in=visitors).delete()


def load_actionplan_demo() -> ActionPlanDemoResult:
    """Create the demo programs, areas, activities, comments and ideas (see the module doc)."""
    result = ActionPlanDemoResult()
    with transaction.atomic():
        loader = _Loader(result)
        topp50 = loader.program(d.TOPP50, position=1)
        area = loader.area(topp50, 1, **d.DIALOGUE_AREA)
        for position, demo in enumerate(d.DIALOGUE_ACTIVITIES, start=1):
            loader.activity(area, demo, position)
        loader.strategy()
        loader.participation()
    return result
