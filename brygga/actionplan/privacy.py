"""The action plan as a holder of personal data (see brygga/core/privacy.py).

By e-mail address: comments and ideas (their author's name and address) and the
subscriber with its subscriptions. Erasure anonymises comments and ideas — the
author becomes "Borttagen person" without an address, the text stays as an
anonymous contribution to the public record — and deletes the subscriber.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from brygga.actionplan.models import Comment, Contribution, Idea, Subscriber
from brygga.actionplan.page_cache import public_pages_changed
from brygga.core.audit import audit_record
from brygga.core.models import AuditEntry

ERASED_NAME = "Borttagen person"
VIA = "person_erase"


def _contribution(c: Contribution) -> dict[str, Any]:
    return {
        "name": c.name,
        "email": c.email,
        "text": c.text,
        "state": c.state,
        "created_at": c.created_at.isoformat(),
        "published_at": c.published_at.isoformat() if c.published_at else None,
    }


class ActionPlanHolder:
    name = "actionplan"

    def _comments(self, email: str) -> QuerySet[Comment]:
        return Comment.objects.filter(email__iexact=email).select_related("activity")

    def _ideas(self, email: str) -> QuerySet[Idea]:
        return Idea.objects.filter(email__iexact=email).select_related("area")

    def extract(self, email: str) -> dict[str, Any]:
        data: dict[str, Any] = {}
        comments = [
            {"activity": c.activity.title, **_contribution(c)} for c in self._comments(email)
        ]
        ideas = [
            {"area": i.area.title, "title": i.title, "status": i.status, **_contribution(i)}
            for i in self._ideas(email)
        ]
        subscriber = (
            Subscriber.objects.filter(email__iexact=email)
            .prefetch_related("subscriptions__area", "subscriptions__program")
            .first()
        )
        if comments:
            data["comments"] = comments
        if ideas:
            data["ideas"] = ideas
        if subscriber is not None:
            data["subscriber"] = {
                "email": subscriber.email,
                "frequency": subscriber.frequency,
                "created_at": subscriber.created_at.isoformat(),
                "subscriptions": [
                    {
                        "to": str(s.target),
                        "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                    }
                    for s in subscriber.subscriptions.all()
                ],
            }
        return data

    def erase(self, email: str, *, apply: bool, actor: Any) -> list[str]:
        comments = list(self._comments(email))
        ideas = list(self._ideas(email))
        subscriber = Subscriber.objects.filter(email__iexact=email).first()
        lines = []
        if comments:
            lines.append(f"Kommentarer i handlingsplanen som anonymiseras: {len(comments)}")
        if ideas:
            lines.append(f"Idéer i handlingsplanen som anonymiseras: {len(ideas)}")
        if subscriber is not None:
            count = subscriber.subscriptions.count()
            lines.append(f"Prenumerationer på handlingsplanen som avslutas: {count}")
        if not apply:
            return lines
        if comments or ideas:
            public_pages_changed()  # the authors' names are on the public pages
        for contribution in [*comments, *ideas]:
            contribution.name = ERASED_NAME
            contribution.email = ""
            contribution.save(update_fields=["name", "email"])
            audit_record(
                action=AuditEntry.Action.ERASE,
                subject=contribution,
                changes={"name": ["[borttaget]", ERASED_NAME], "email": ["[borttaget]", ""]},
                actor=actor,
                via=VIA,
            )
        if subscriber is not None:
            audit_record(
                action=AuditEntry.Action.ERASE,
                subject=subscriber,
                changes={"email": ["[borttaget]", None]},
                actor=actor,
                via=VIA,
            )
            subscriber.delete()
        return lines
