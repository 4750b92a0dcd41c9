"""The shared form partial ties each field to its help text and its errors for screen readers."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string

from brygga.core.forms import HoneypotForm


class _Form(HoneypotForm):
    email = forms.EmailField(label="E-postadress", help_text="Vi delar den inte.")


def test_it_points_the_field_at_its_help_text_and_its_errors():
    form = _Form(data={"email": "inte-en-adress"})
    assert not form.is_valid()
    html = render_to_string("core/form_fields.html", {"form": form})
    described = re.search(r'<input[^>]*name="email"[^>]*aria-describedby="([^"]+)"', html)
    assert described is not None, html
    ids = described.group(1).split()
    assert ids == ["id_email_helptext", "id_email_error"]
    for id_ in ids:
        assert f'id="{id_}"' in html
    assert 'aria-invalid="true"' in html


def test_it_hides_the_honeypot_from_view_and_from_screen_readers():
    html = render_to_string("core/form_fields.html", {"form": _Form()})
    trap = re.search(r'<div class="hp" aria-hidden="true">.*?</div>', html, re.S)
    assert trap is not None and 'name="website"' in trap.group(0)
    assert 'tabindex="-1"' in trap.group(0)
    assert _Form(data={"email": "a@example.se", "website": "http://spam"}).is_spam()
    assert not _Form(data={"email": "a@example.se"}).is_spam()
