"""Test data for visits, built through the services as staff would.

::

    company = make_company("Bygg AB", postal_town="Mariefred")   # register factory
    visit = make_visit([company], date=dt.date(2026, 3, 4))     # a held "besök"
    make_visit([company], kind="telefon", status="planned", staff=[developer])
    make_feedback(visit, "upphandling", "negative", "Svårt att lämna anbud.")
    make_follow_up(visit, owner=developer, due_on=dt.date(2026, 3, 20))
    set_sni(company, "43210")                                    # primary SNI 2007 code
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from brygga.register.models import Company, SniCode
from brygga.register.versions import REGISTER_VERSION
from brygga.visits.models import Feedback, FollowUp, Topic, Visit, VisitKind
from brygga.visits.services.followups import follow_up_create
from brygga.visits.services.lists import lists_ensure_defaults
from brygga.visits.services.visits import FeedbackData, VisitData, feedback_add, visit_create


def make_visit(
    companies: Sequence[Company],
    *,
    date: dt.date = dt.date(2026, 3, 4),
    kind: str = "besok",
    status: str = Visit.Status.HELD,
    staff: Sequence[Any] = (),
    actor: Any = None,
    **fields: Any,
) -> Visit:
    lists_ensure_defaults()
    return visit_create(
        data=VisitData(
            companies=list(companies),
            date=date,
            kind=VisitKind.objects.get(key=kind),
            status=status,
            staff=list(staff),
            **fields,
        ),
        actor=actor,
    )


def make_feedback(
    visit: Visit,
    topic: str = "upphandling",
    sentiment: str = Feedback.Sentiment.NEGATIVE,
    text: str = "Svårt att förstå förfrågningsunderlagen.",
    **fields: Any,
) -> Feedback:
    lists_ensure_defaults()
    return feedback_add(
        visit=visit,
        item=FeedbackData(
            topic=Topic.objects.get(key=topic), sentiment=sentiment, text=text, **fields
        ),
    )


def make_follow_up(
    visit: Visit, *, owner: Any, due_on: dt.date, title: str = "Återkoppla om bygglovet"
) -> FollowUp:
    return follow_up_create(visit=visit, title=title, owner=owner, due_on=due_on)


def set_sni(company: Company, code: str, *, system: str = SniCode.System.SNI2007) -> SniCode:
    """Give ``company`` ``code`` as its primary SNI code (position 0)."""
    code_row = SniCode.objects.create(company=company, system=system, code=code, position=0)
    REGISTER_VERSION.changed()  # as the imports do
    return code_row
