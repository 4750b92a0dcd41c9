from brygga.actionplan.models.participation import Comment, Contribution, Idea
from brygga.actionplan.models.structure import (
    RESERVED_SLUGS,
    Activity,
    ActivityStatus,
    ActivityUpdate,
    Area,
    Goal,
    Program,
)
from brygga.actionplan.models.subscriptions import Subscriber, Subscription

__all__ = [
    "RESERVED_SLUGS",
    "Activity",
    "ActivityStatus",
    "ActivityUpdate",
    "Area",
    "Comment",
    "Contribution",
    "Goal",
    "Idea",
    "Program",
    "Subscriber",
    "Subscription",
]
