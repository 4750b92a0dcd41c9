"""Staff forms for visits: the quick log form (one page, a phone in the hand) and the
edit form. They only clean input; ``brygga.visits.services.visits`` validates again
and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brygga.accounts.models import User
from brygga.register.models import Company
from brygga.visits.forms.companies import Picker, add_picker_fields, resolve_company
from brygga.visits.models import Feedback, FollowUp, Topic, Visit, VisitKind
from brygga.visits.selectors import staff_choices

DEFAULT_KIND = "besok"
RATING_CHOICES = [("", _("Inget betyg")), *((str(i), str(i)) for i in range(1, 6))]


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _max_length(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


class UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class UsersField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


def kinds_offered(current: VisitKind | None = None) -> Any:
    """The kinds in use, and the visit's own even if it has since been retired."""
    cond = Q(active=True)
    if current is not None:
        cond |= Q(pk=current.pk)
    return VisitKind.objects.filter(cond).order_by("position", "label")


def topics_offered(current: Topic | None = None) -> Any:
    cond = Q(active=True)
    if current is not None:
        cond |= Q(pk=current.pk)
    return Topic.objects.filter(cond).order_by("position", "label")


def users_offered(current: Any = ()) -> Any:
    """The active users, and the ones already named even if they have left."""
    pks = [u.pk for u in current]
    if not pks:
        return staff_choices()
    return User.objects.filter(Q(is_active=True) | Q(pk__in=pks)).order_by("full_name", "id")


def rating_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Hur gick mötet?"),
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("1 = dåligt, 5 = mycket bra."),
        error_messages={"invalid_choice": _("Betyget ska vara ett tal från 1 till 5.")},
    )


class _VisitFields(forms.Form):
    """What the quick form and the edit form share."""

    pickers: dict[str, Picker]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pickers = {}

    def _date_kind(self, current_kind: VisitKind | None) -> None:
        self.fields["date"] = forms.DateField(
            label=_("Datum"),
            widget=date_input(),
            error_messages={
                "required": _("Ange datum."),
                "invalid": _("Ange ett datum som finns, till exempel 2026-03-04."),
            },
        )
        self.fields["kind"] = forms.ModelChoiceField(
            label=_("Typ av kontakt"),
            queryset=kinds_offered(current_kind),
            empty_label=None,
            error_messages={"invalid_choice": _("Välj en typ av kontakt i listan.")},
        )

    def _details(self, current_staff: Any) -> None:
        self.fields["rating"] = rating_field()
        self.fields["notes"] = forms.CharField(
            label=_("Anteckningar"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("Interna: vad sades, vad företaget behöver."),
        )
        self.fields["staff"] = UsersField(
            label=_("Deltagare från kommunen"),
            queryset=users_offered(current_staff),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["politicians"] = forms.CharField(
            label=_("Politiker som deltog"),
            required=False,
            max_length=_max_length(Visit, "politicians"),
        )


class VisitQuickForm(_VisitFields):
    """One page: the company, the date, the kind; the rest optional, including a first
    feedback item and a first follow-up."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_picker_fields(self, "company", label=_("Företag"), required=True)
        self._date_kind(None)
        self.fields["date"].initial = timezone.localdate
        self.fields["kind"].initial = (
            VisitKind.objects.filter(key=DEFAULT_KIND, active=True)
            .values_list("pk", flat=True)
            .first()
        )
        self._details(())
        if getattr(user, "is_authenticated", False):
            self.fields["staff"].initial = [user.pk]
        # A first feedback item.
        self.fields["feedback_topic"] = forms.ModelChoiceField(
            label=_("Ämne"),
            queryset=topics_offered(),
            required=False,
            empty_label=_("Ingen synpunkt"),
            error_messages={"invalid_choice": _("Välj ett ämne i listan.")},
        )
        self.fields["feedback_sentiment"] = forms.ChoiceField(
            label=_("Ton"),
            choices=Feedback.Sentiment.choices,
            initial=Feedback.Sentiment.NEUTRAL,
            widget=forms.RadioSelect,
            required=False,
        )
        self.fields["feedback_text"] = forms.CharField(
            label=_("Synpunkt"), required=False, widget=forms.Textarea(attrs={"rows": 3})
        )
        # A first follow-up.
        self.fields["follow_up_title"] = forms.CharField(
            label=_("Vad ska göras?"),
            required=False,
            max_length=_max_length(FollowUp, "title"),
        )
        self.fields["follow_up_owner"] = UserChoiceField(
            label=_("Ansvarig"),
            queryset=staff_choices(),
            required=False,
            empty_label=_("Välj ansvarig"),
        )
        if getattr(user, "is_authenticated", False):
            self.fields["follow_up_owner"].initial = user.pk
        self.fields["follow_up_due"] = forms.DateField(
            label=_("Klart senast"),
            required=False,
            widget=date_input(),
            error_messages={"invalid": _("Ange ett datum som finns, till exempel 2026-03-20.")},
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        company = resolve_company(self, "company")
        data["companies"] = [company] if company is not None else []
        if (data.get("feedback_text") or "").strip() and not data.get("feedback_topic"):
            self.add_error("feedback_topic", _("Välj ett ämne för synpunkten."))
        title = (data.get("follow_up_title") or "").strip()
        if title:
            if not data.get("follow_up_due") and "follow_up_due" not in self.errors:
                self.add_error("follow_up_due", _("Ange när uppföljningen ska vara klar."))
            if not data.get("follow_up_owner") and "follow_up_owner" not in self.errors:
                self.add_error("follow_up_owner", _("Välj vem som ansvarar för uppföljningen."))
        elif data.get("follow_up_due"):
            self.add_error("follow_up_title", _("Skriv vad som ska göras."))
        return data

    def companies(self) -> list[Company]:
        return list(self.cleaned_data["companies"])


class VisitEditForm(_VisitFields):
    """Every field of a visit, its companies (uncheck to remove, search to add) and staff."""

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visit = visit
        self.fields["companies"] = forms.ModelMultipleChoiceField(
            label=_("Företag i besöket"),
            queryset=Company.objects.filter(visit_links__visit=visit).order_by("name", "id"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Ta bort bocken för att ta bort ett företag ur besöket."),
        )
        self.fields["companies"].initial = list(
            visit.visit_companies.values_list("company_id", flat=True)
        )
        add_picker_fields(
            self,
            "add_company",
            label=_("Lägg till ett företag"),
            required=False,
        )
        self._date_kind(visit.kind)
        self.fields["status"] = forms.ChoiceField(label=_("Status"), choices=Visit.Status.choices)
        current_staff = list(visit.staff.all())
        self._details(current_staff)
        self.fields["other_participants"] = forms.CharField(
            label=_("Övriga deltagare"),
            required=False,
            max_length=_max_length(Visit, "other_participants"),
        )
        if not self.is_bound:
            self.initial.update(
                {
                    "date": visit.date,
                    "kind": visit.kind_id,
                    "status": visit.status,
                    "rating": "" if visit.rating is None else str(visit.rating),
                    "notes": visit.notes,
                    "staff": [u.pk for u in current_staff],
                    "politicians": visit.politicians,
                    "other_participants": visit.other_participants,
                }
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kept = list(data.get("companies") or [])
        added = resolve_company(self, "add_company")
        if added is not None and added.pk not in {c.pk for c in kept}:
            kept.append(added)
        if not kept and "add_company" not in self.errors:
            self.add_error("companies", _("Ett besök måste ha minst ett företag."))
        data["all_companies"] = kept
        return data

    def visit_data(self) -> dict[str, Any]:
        names = ("date", "kind", "status", "politicians", "other_participants", "notes", "rating")
        return {name: self.cleaned_data[name] for name in names}
