"""The outbox as a holder of personal data: messages to an address (see core/privacy.py)."""

from __future__ import annotations

from typing import Any

from brygga.core.models import OutboxMessage


class OutboxHolder:
    name = "outbox"

    def extract(self, email: str) -> dict[str, Any]:
        messages = OutboxMessage.objects.filter(to__iexact=email).order_by("created_at", "id")
        rows = [
            {
                "kind": m.kind,
                "subject": m.subject,
                "state": m.state,
                "created_at": m.created_at.isoformat(),
                "sent_at": m.sent_at.isoformat() if m.sent_at else None,
            }
            for m in messages
        ]
        return {"messages": rows} if rows else {}

    def erase(self, email: str, *, apply: bool, actor: Any) -> list[str]:
        messages = OutboxMessage.objects.filter(to__iexact=email)
        count = messages.count()
        if not count:
            return []
        if apply:
            # Unsent ones too: whoever asked to be erased should not hear from us.
            messages.delete()
        return [f"Utgående e-post till adressen som raderas: {count}"]
