from brygga.register.models.company import Company, CompanyName, Note, SniCode, Tag
from brygga.register.models.contact import ConsentSource, Contact
from brygga.register.models.corrections import Correction, CorrectionLink
from brygga.register.models.imports import ImportRejection, ImportRun
from brygga.register.models.search import SearchWord
from brygga.register.models.segments import Segment

__all__ = [
    "Company",
    "CompanyName",
    "ConsentSource",
    "Contact",
    "Correction",
    "CorrectionLink",
    "ImportRejection",
    "ImportRun",
    "Note",
    "SearchWord",
    "Segment",
    "SniCode",
    "Tag",
]
