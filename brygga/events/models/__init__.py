from brygga.events.models.events import Event, EventKind, Question, Series
from brygga.events.models.registrations import (
    Evaluation,
    Invitation,
    InvitationBatch,
    Registration,
)

__all__ = [
    "Evaluation",
    "Event",
    "EventKind",
    "Invitation",
    "InvitationBatch",
    "Question",
    "Registration",
    "Series",
]
