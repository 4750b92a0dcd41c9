from brygga.visits.models.lists import Topic, VisitKind
from brygga.visits.models.targets import VisitTarget
from brygga.visits.models.visits import Feedback, FollowUp, Visit, VisitCompany

__all__ = ["Feedback", "FollowUp", "Topic", "Visit", "VisitCompany", "VisitKind", "VisitTarget"]
