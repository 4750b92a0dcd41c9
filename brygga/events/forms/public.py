"""The public's forms: registering for a meeting (with the meeting's own questions) and
the evaluation afterwards. They only clean input; the services validate again and write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from brygga.core.forms import HoneypotForm, PublicTextField
from brygga.events.models import Question, Registration

ANSWER_MAX = 1000
COMMENT_MAX = 4000
# A choice question with more answers than this is a drop-down list instead of radio buttons.
RADIO_MAX = 6
YES, NO = _("Ja"), _("Nej")
TOO_LONG = {"max_length": _("Skriv högst %(limit_value)d tecken (nu %(show_value)d).")}


def _field_max(name: str) -> int:
    field = Registration._meta.get_field(name)
    assert isinstance(field, models.Field) and field.max_length is not None
    return int(field.max_length)


def question_field_name(question: Question) -> str:
    return f"q_{question.pk}"


def _question_field(question: Question) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
    }
    errors = {"required": _("Svara på frågan.")}
    if question.kind == Question.Kind.YES_NO:
        return forms.ChoiceField(
            choices=[("ja", YES), ("nej", NO)],
            widget=forms.RadioSelect,
            error_messages=errors,
            **common,
        )
    if question.kind == Question.Kind.CHOICE:
        options = [(choice, choice) for choice in question.choice_list]
        if len(options) > RADIO_MAX:
            return forms.ChoiceField(
                choices=[("", _("Välj …")), *options], error_messages=errors, **common
            )
        return forms.ChoiceField(
            choices=options, widget=forms.RadioSelect, error_messages=errors, **common
        )
    return PublicTextField(
        max_length=ANSWER_MAX,
        multiline=False,
        error_messages={**errors, **TOO_LONG},
        **common,
    )


class RegistrationForm(HoneypotForm):
    """Name, e-mail, phone, company, one field per question of the meeting, consent."""

    name = PublicTextField(
        label=_("Namn"),
        max_length=_field_max("name"),
        multiline=False,
        error_messages={"required": _("Skriv ditt namn."), **TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-postadress"),
        max_length=254,
        help_text=_("Vi skickar en bekräftelse hit, med en länk för att avanmäla dig."),
        error_messages={
            "required": _("Skriv din e-postadress."),
            "invalid": _("Skriv en hel e-postadress, till exempel namn@foretag.se."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PublicTextField(
        label=_("Telefon"),
        required=False,
        max_length=_field_max("phone"),
        multiline=False,
        error_messages=TOO_LONG,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    company_text = PublicTextField(
        label=_("Företag"),
        required=False,
        max_length=_field_max("company_text"),
        multiline=False,
        error_messages=TOO_LONG,
        help_text=_("Företagets namn eller organisationsnummer."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    consent_contact = forms.BooleanField(
        label=_("Ja, kommunen får kontakta mig om näringslivsfrågor"), required=False
    )

    def __init__(self, *args: Any, questions: Iterable[Question] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        fields = dict(self.fields)
        ordered = {name: fields.pop(name) for name in ("name", "email", "phone", "company_text")}
        for question in self.questions:
            ordered[question_field_name(question)] = _question_field(question)
        ordered.update(fields)  # consent, then the honeypot
        self.fields = ordered

    def question_fields(self) -> list[forms.BoundField]:
        return [self[question_field_name(question)] for question in self.questions]

    def answers(self) -> dict[str, str]:
        """The answers as the service takes them: question id (as text) to the answer as
        the person read it ("Ja", not "ja"); unanswered optional questions left out."""
        answers: dict[str, str] = {}
        for question in self.questions:
            value = str(self.cleaned_data.get(question_field_name(question)) or "")
            if question.kind == Question.Kind.YES_NO and value:
                value = str(YES if value == "ja" else NO)
            if value:
                answers[str(question.pk)] = value
        return answers


SCALE = [(str(n), str(n)) for n in range(1, 6)]


class EvaluationForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_("Vad tyckte du om mötet som helhet?"),
        help_text=_("1 är mycket dåligt, 5 är mycket bra."),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj ett betyg från 1 till 5.")},
    )
    dialogue_time = forms.TypedChoiceField(
        label=_("Fanns det tillräckligt med tid för dialog?"),
        help_text=_("1 är inte alls, 5 är helt och hållet."),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj ett svar från 1 till 5.")},
    )
    comment = PublicTextField(
        label=_("Vill du säga något mer?"),
        required=False,
        max_length=COMMENT_MAX,
        help_text=_("Frivilligt. Högst 4 000 tecken."),
        error_messages=TOO_LONG,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
