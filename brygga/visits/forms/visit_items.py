"""Staff forms for what belongs to a visit: a feedback item and a follow-up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from brygga.actionplan.models import Activity, Area
from brygga.register.models import Company
from brygga.visits.forms.visits import UserChoiceField, date_input, topics_offered, users_offered
from brygga.visits.models import Feedback, FollowUp, Visit
from brygga.visits.selectors import feedback_link_groups

NO_LINK = ""
AREA = "area"
ACTIVITY = "activity"


class CompanyChoiceField(forms.ModelChoiceField[Company]):
    def label_from_instance(self, obj: Company) -> str:
        return obj.name


class FeedbackItemForm(forms.Form):
    """A feedback item: topic, tone, text; optionally which of the visit's companies
    said it and the improvement area or activity it concerns."""

    sentiment = forms.ChoiceField(
        label=_("Ton"),
        choices=Feedback.Sentiment.choices,
        initial=Feedback.Sentiment.NEUTRAL,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj en ton."),
            "invalid_choice": _("Välj positiv, negativ eller neutral."),
        },
    )
    text = forms.CharField(
        label=_("Synpunkt"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, visit: Visit, feedback: Feedback | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["topic"] = forms.ModelChoiceField(
            label=_("Ämne"),
            queryset=topics_offered(feedback.topic if feedback else None),
            empty_label=_("Välj ämne"),
            error_messages={
                "required": _("Välj ett ämne."),
                "invalid_choice": _("Välj ett ämne i listan."),
            },
        )
        self.fields["company"] = CompanyChoiceField(
            label=_("Vilket företag sa det?"),
            queryset=Company.objects.filter(visit_links__visit=visit).order_by("name", "id"),
            required=False,
            empty_label=_("Alla eller inget särskilt"),
            error_messages={"invalid_choice": _("Välj ett av besökets företag.")},
        )
        groups = feedback_link_groups()
        self._areas: dict[int, Area] = {g.area.pk: g.area for g in groups}
        self._activities: dict[int, Activity] = {a.pk: a for g in groups for a in g.activities}
        choices: list[Any] = [(NO_LINK, _("Inget förbättringsområde"))]
        for group in groups:
            options = [
                (
                    f"{AREA}-{group.area.pk}",
                    _("%(area)s (hela området)") % {"area": group.area.title},
                )
            ]
            options += [(f"{ACTIVITY}-{a.pk}", a.title) for a in group.activities]
            choices.append((group.label, options))
        self.fields["link"] = forms.ChoiceField(
            label=_("Gäller förbättringsområde eller aktivitet"),
            choices=choices,
            required=False,
            help_text=_("Valfritt. Länka synpunkten till det i handlingsplanen som den gäller."),
            error_messages={"invalid_choice": _("Välj ett område eller en aktivitet i listan.")},
        )
        self.order_fields(["topic", "sentiment", "text", "company", "link"])
        if feedback is not None and not self.is_bound:
            link = NO_LINK
            if feedback.activity_id is not None:
                link = f"{ACTIVITY}-{feedback.activity_id}"
            elif feedback.area_id is not None:
                link = f"{AREA}-{feedback.area_id}"
            self.initial.update(
                {
                    "topic": feedback.topic_id,
                    "sentiment": feedback.sentiment,
                    "text": feedback.text,
                    "company": feedback.company_id,
                    "link": link,
                }
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, _sep, pk = (data.get("link") or "").partition("-")
        data["area"] = self._areas.get(int(pk)) if kind == AREA and pk.isdigit() else None
        activity = self._activities.get(int(pk)) if kind == ACTIVITY and pk.isdigit() else None
        data["activity"] = activity
        if activity is not None:
            data["area"] = self._areas.get(activity.area_id)
        return data

    def item_data(self) -> dict[str, Any]:
        names = ("topic", "sentiment", "text", "company", "area", "activity")
        return {name: self.cleaned_data[name] for name in names}


class FollowUpForm(forms.Form):
    """A follow-up: what, who and when; when editing, also its status and outcome.

    ``full=False`` is the owner's own form (a case officer): the date, the status
    and the outcome, not the task or whose it is.
    """

    def __init__(
        self,
        *args: Any,
        follow_up: FollowUp | None = None,
        full: bool = True,
        default_owner: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if full:
            self.fields["title"] = forms.CharField(
                label=_("Vad ska göras?"),
                max_length=int(FollowUp._meta.get_field("title").max_length or 300),
                error_messages={"required": _("Skriv vad som ska göras.")},
            )
            self.fields["owner"] = UserChoiceField(
                label=_("Ansvarig"),
                queryset=users_offered([follow_up.owner] if follow_up else []),
                empty_label=_("Välj ansvarig"),
                error_messages={
                    "required": _("Välj vem som ansvarar."),
                    "invalid_choice": _("Välj en ansvarig i listan."),
                },
            )
            if default_owner is not None and getattr(default_owner, "is_authenticated", False):
                self.fields["owner"].initial = default_owner.pk
        self.fields["due_on"] = forms.DateField(
            label=_("Klart senast"),
            widget=date_input(),
            error_messages={
                "required": _("Ange när det ska vara klart."),
                "invalid": _("Ange ett datum som finns, till exempel 2026-03-20."),
            },
        )
        if follow_up is not None:
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"), choices=FollowUp.Status.choices
            )
            self.fields["outcome"] = forms.CharField(
                label=_("Resultat"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Vad blev det? Till exempel vad företaget fick för svar."),
            )
            if not self.is_bound:
                self.initial.update(
                    {
                        "title": follow_up.title,
                        "owner": follow_up.owner_id,
                        "due_on": follow_up.due_on,
                        "status": follow_up.status,
                        "outcome": follow_up.outcome,
                    }
                )

    def follow_up_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
