"""The filters of the feedback pages and their export: one form, one dataclass.

The same query parameters serve the overview, the export link and (by name) nothing
else: ``year`` (one year) or ``from_year``/``to_year`` (a range, either end open),
``topic`` (a topic's key), ``tone`` (``positive``, ``negative``, ``neutral``),
``town`` (a postal town, any case) and ``sni`` (an SNI 2007 section letter, or
``?`` for companies without an SNI 2007 code).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from brygga.register.sni import section_choices
from brygga.visits.models import Feedback

ANY = ""
NO_SNI = "?"
YEAR_MIN = 1900
YEAR_MAX = 2100


@dataclass(frozen=True)
class FeedbackFilters:
    year_from: int | None = None
    year_to: int | None = None
    topic: str = ""
    tone: str = ""
    town: str = ""
    sni: str = ""

    def to_params(self) -> dict[str, str]:
        """The non-empty filters as query parameters (links, pagination, export)."""
        params: dict[str, str] = {}
        if self.year_from is not None and self.year_from == self.year_to:
            params["year"] = str(self.year_from)
        else:
            if self.year_from is not None:
                params["from_year"] = str(self.year_from)
            if self.year_to is not None:
                params["to_year"] = str(self.year_to)
        for key, value in asdict(self).items():
            if key not in {"year_from", "year_to"} and value:
                params[key] = str(value)
        return params


class FeedbackFilterForm(forms.Form):
    year = forms.IntegerField(label=_("År"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
    from_year = forms.IntegerField(
        label=_("Från och med år"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    to_year = forms.IntegerField(
        label=_("Till och med år"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    topic = forms.ChoiceField(label=_("Ämne"), required=False, choices=[(ANY, _("Alla"))])
    tone = forms.ChoiceField(
        label=_("Ton"),
        required=False,
        choices=[(ANY, _("Alla")), *Feedback.Sentiment.choices],
    )
    town = forms.CharField(label=_("Ort (postort)"), required=False, max_length=100)
    sni = forms.ChoiceField(
        label=_("Bransch (SNI-avdelning)"), required=False, choices=[(ANY, _("Alla"))]
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        topics: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        """``topics``: the (key, label) pairs the user may filter on (their own
        department's for a case officer)."""
        super().__init__(data, **kwargs)
        topic_field = self.fields["topic"]
        assert isinstance(topic_field, forms.ChoiceField)
        topic_field.choices = [(ANY, _("Alla")), *(topics or [])]
        sni_field = self.fields["sni"]
        assert isinstance(sni_field, forms.ChoiceField)
        sni_field.choices = [
            (ANY, _("Alla")),
            *section_choices(),
            (NO_SNI, _("? \N{EN DASH} Saknar SNI-kod")),
        ]
        for name in ("year", "from_year", "to_year"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("year")
        if year is not None:
            # One year wins over a range: the page shows that year.
            data["from_year"] = data["to_year"] = year
        low, high = data.get("from_year"), data.get("to_year")
        if low is not None and high is not None and low > high:
            self.add_error("to_year", _("Slutåret kan inte vara före startåret."))
        return data

    def filters(self) -> FeedbackFilters:
        """The cleaned filters; call only after ``is_valid()``."""
        data = self.cleaned_data
        return FeedbackFilters(
            year_from=data.get("from_year"),
            year_to=data.get("to_year"),
            topic=data.get("topic", ""),
            tone=data.get("tone", ""),
            town=" ".join(data.get("town", "").split()),
            sni=data.get("sni", ""),
        )


def feedback_filters_from(
    params: Mapping[str, Any], *, topics: list[tuple[str, str]]
) -> tuple[FeedbackFilterForm, FeedbackFilters | None]:
    """Bind and validate; the filters are None when the parameters are invalid."""
    form = FeedbackFilterForm(params, topics=topics)
    if not form.is_valid():
        return form, None
    return form, form.filters()
