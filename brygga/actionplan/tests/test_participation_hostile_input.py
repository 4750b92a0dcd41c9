"""Hostile input in every field of the comment and idea forms: markup and scripts, very
long text, odd Unicode, raw bytes that are not UTF-8, blanks and broken addresses.

Each gives either a clear Swedish message on the form (nothing stored) or, once
published, safe output: the public page shows the text escaped, never as markup.
Never a 500.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_from_bytes

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brygga.actionplan.models import Comment, Contribution, Idea
from brygga.actionplan.services.participation import contribution_verify
from brygga.actionplan.tests.participation_factory import (
    Plan,
    comment_data,
    idea_data,
    make_plan,
)
from brygga.register.tests.corrections_factory import use_own_cache

pytestmark = pytest.mark.django_db
State = Contribution.State

REQUIRED = "Det här fältet är obligatoriskt."
BAD_EMAIL = "Ange en giltig mejladress."
TOO_LONG = "som mest"

MARKUP = {
    "script": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "svg-breakout": '"><svg onload=alert(1)>',
    "js-link-tag": '<a href="javascript:alert(1)">klicka här</a>',
    "js-scheme": "javascript:alert(1)",
    "entity": "&lt;script&gt; &amp; &#60;b&#62;",
    "style": "<style>body{display:none}</style><b>fet</b>",
}

# Characters the forms drop (and so never reach the page), with what is left of "Sara".
UNICODE_CLEANED = {
    "rtl-override": ("Sa\u202era", "Sara"),
    "zero-width-space": ("Sa\u200bra", "Sara"),
    "nul": ("Sa\x00ra", "Sara"),
    "bell-and-escape": ("Sa\x07\x1bra", "Sara"),
    "bom": ("\ufeffSara", "Sara"),
}
# Text the forms keep as it is (after NFC).
UNICODE_KEPT = {
    "combining": ("Cafe\u0301 Z\u0351\u0360a\u0317lgo", "Café Z\u0351\u0360a\u0317lgo"),
    "emoji-zwj": ("\U0001f469\u200d\U0001f4bb Sara", "\U0001f469\u200d\U0001f4bb Sara"),
    "arabic": ("سارة", "سارة"),
}
BLANK = {
    "empty": "",
    "spaces": "   ",
    "whitespace": " \t\n\r\n ",
    "invisible-only": "\u200b\u202e\u200b",
    "nul-only": "\x00\x00",
}
BROKEN_EMAIL = {
    "no-domain": "sara@",
    "no-local": "@example.se",
    "space": "sara lind@example.se",
    "two-ats": "sara@@example.se",
    "markup": "<script>@example.se",
    "dots": "sara@example..se",
    "rtl": "sara\u202e@example.se",
    "too-long": "a" * 300 + "@example.se",
}


@pytest.fixture(autouse=True)
def _no_limits(settings: Any, tmp_path: Path) -> None:
    use_own_cache(settings, tmp_path)
    settings.BRYGGA_PUBLIC_RATE_LIMIT = 1_000_000


@pytest.fixture
def plan() -> Plan:
    return make_plan()


# (form, field, url of the form, data builder, model, page that shows it)
FORMS = {
    "comment": (comment_data, Comment),
    "idea": (idea_data, Idea),
}
TEXT_FIELDS = [
    ("comment", "name"),
    ("comment", "text"),
    ("idea", "name"),
    ("idea", "title"),
    ("idea", "text"),
]
ALL_FIELDS = [*TEXT_FIELDS, ("comment", "email"), ("idea", "email")]


def form_url(plan: Plan, form: str) -> str:
    return plan.comment_url if form == "comment" else plan.idea_url


def public_url(plan: Plan, form: str) -> str:
    return plan.activity_url if form == "comment" else plan.area_url


def post(plan: Plan, form: str, field: str, value: str) -> Any:
    build, _model = FORMS[form]
    return Client().post(form_url(plan, form), build(**{field: value}))


def stored(form: str) -> Comment | Idea | None:
    model: Any = FORMS[form][1]
    result: Comment | Idea | None = model.objects.first()
    return result


def escaped_forms(text: str) -> set[str]:
    """How a page may show ``text`` safely: escaped by Django (quotes too) or by the
    plain-text renderer (which leaves quotes in text alone)."""
    minimal = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return {html.escape(text, quote=True), minimal, minimal.replace('"', "&quot;")}


def publish_and_read(plan: Plan, form: str) -> str:
    contribution = stored(form)
    assert contribution is not None
    contribution_verify(contribution=contribution)
    response = Client().get(public_url(plan, form))
    assert response.status_code == 200
    return response.content.decode()


class _Tags(HTMLParser):
    """The elements of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


DANGEROUS_TAGS = {"script", "svg", "img", "style", "iframe", "object", "embed", "math"}


def assert_no_live_markup(page: str) -> None:
    """No element or attribute on the page that a visitor could have written."""
    parser = _Tags()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag not in DANGEROUS_TAGS, f"a <{tag}> element"
        for name, value in attrs:
            assert not name.startswith("on"), f"an event handler: {name}={value}"
            if name in {"href", "src", "action", "formaction"} and value:
                assert not value.strip().lower().startswith("javascript:"), f"{name}={value}"


# ---------------------------------------------------------------- markup and scripts


@pytest.mark.parametrize("payload", MARKUP.values(), ids=MARKUP.keys())
@pytest.mark.parametrize(("form", "field"), TEXT_FIELDS, ids=[f"{f}-{n}" for f, n in TEXT_FIELDS])
def test_markup_in_a_text_field_is_shown_as_text(
    plan: Plan, form: str, field: str, payload: str
) -> None:
    value = f"Före {payload} efter"
    response = post(plan, form, field, value)
    assert response.status_code == 302
    contribution = stored(form)
    assert contribution is not None and getattr(contribution, field) == value
    page = publish_and_read(plan, form)
    assert_no_live_markup(page)
    if any(ch in payload for ch in "<>&"):
        assert value not in page, "the raw markup reached the page"
        assert any(form_ in page for form_ in escaped_forms(value)), "the text is not shown"
    else:
        assert value in page


@pytest.mark.parametrize("payload", MARKUP.values(), ids=MARKUP.keys())
@pytest.mark.parametrize("form", ["comment", "idea"])
def test_markup_as_an_email_address_is_refused(plan: Plan, form: str, payload: str) -> None:
    response = post(plan, form, "email", payload)
    assert response.status_code == 200
    content = response.content.decode()
    assert BAD_EMAIL in content
    assert payload not in content or not any(ch in payload for ch in "<>")
    assert_no_live_markup(content)
    assert stored(form) is None


@pytest.mark.parametrize("payload", MARKUP.values(), ids=MARKUP.keys())
@pytest.mark.parametrize(("form", "field"), ALL_FIELDS, ids=[f"{f}-{n}" for f, n in ALL_FIELDS])
def test_a_form_sent_back_with_errors_shows_the_markup_escaped(
    plan: Plan, form: str, field: str, payload: str
) -> None:
    # Another field is wrong, so the form comes back with this one filled in.
    other = "name" if field != "name" else "text"
    build, _model = FORMS[form]
    data = build(**{field: payload, other: ""})
    response = Client().post(form_url(plan, form), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert REQUIRED in content
    assert_no_live_markup(content)
    if any(ch in payload for ch in "<>"):
        assert payload not in content
    assert stored(form) is None


def test_the_honeypot_field_takes_markup_without_echoing_it(plan: Plan) -> None:
    for form in ("comment", "idea"):
        build, _model = FORMS[form]
        response = Client().post(form_url(plan, form), build(website=MARKUP["script"]))
        assert response.status_code == 302
        assert stored(form) is None


# ---------------------------------------------------------------- very long text


@pytest.mark.parametrize(("form", "field"), ALL_FIELDS, ids=[f"{f}-{n}" for f, n in ALL_FIELDS])
def test_a_hundred_thousand_characters_get_a_clear_message(
    plan: Plan, form: str, field: str
) -> None:
    value = "å" * 100_000 if field != "email" else "a" * 100_000 + "@example.se"
    response = post(plan, form, field, value)
    assert response.status_code == 200
    content = response.content.decode()
    assert TOO_LONG in content or BAD_EMAIL in content
    assert stored(form) is None


def test_text_at_the_limit_is_taken_and_one_more_is_not(plan: Plan) -> None:
    assert post(plan, "comment", "text", "x" * 4001).status_code == 200
    assert "som mest 4000 tecken" in post(plan, "comment", "text", "x" * 4001).content.decode()
    assert post(plan, "comment", "text", "x" * 4000).status_code == 302
    assert post(plan, "idea", "name", "n" * 101).status_code == 200
    assert post(plan, "idea", "title", "t" * 201).status_code == 200
    assert post(plan, "idea", "title", "t" * 200).status_code == 302


def test_the_limit_counts_what_is_kept_not_the_invisible_characters(plan: Plan) -> None:
    # 4,000 letters hidden among 4,000 zero-width spaces are 4,000 characters.
    assert post(plan, "comment", "text", "x\u200b" * 4000).status_code == 302
    comment = stored("comment")
    assert comment is not None and comment.text == "x" * 4000


# ---------------------------------------------------------------- odd Unicode


@pytest.mark.parametrize(
    ("value", "kept"), UNICODE_CLEANED.values(), ids=list(UNICODE_CLEANED.keys())
)
@pytest.mark.parametrize(("form", "field"), TEXT_FIELDS, ids=[f"{f}-{n}" for f, n in TEXT_FIELDS])
def test_invisible_and_control_characters_are_dropped(
    plan: Plan, form: str, field: str, value: str, kept: str
) -> None:
    response = post(plan, form, field, f"{value} skriver")
    assert response.status_code == 302
    contribution = stored(form)
    assert contribution is not None
    assert getattr(contribution, field) == f"{kept} skriver"
    page = publish_and_read(plan, form)
    assert f"{kept} skriver" in page
    for ch in "\u202e\u200b\x00\x07\x1b\ufeff":
        assert ch not in page


@pytest.mark.parametrize(("value", "kept"), UNICODE_KEPT.values(), ids=list(UNICODE_KEPT.keys()))
@pytest.mark.parametrize(("form", "field"), TEXT_FIELDS, ids=[f"{f}-{n}" for f, n in TEXT_FIELDS])
def test_combining_marks_emoji_and_other_scripts_are_kept(
    plan: Plan, form: str, field: str, value: str, kept: str
) -> None:
    assert post(plan, form, field, value).status_code == 302
    contribution = stored(form)
    assert contribution is not None and getattr(contribution, field) == kept
    assert kept in publish_and_read(plan, form)


@pytest.mark.parametrize(
    "raw",
    [b"%ED%A0%80", b"%ED%BF%BF%ED%A0%80", b"%FF%FE", b"%C3", b"%80abc", b"%F0%9F%98"],
    ids=[
        "lone-high-surrogate",
        "surrogate-pair-as-utf8",
        "ff-fe",
        "truncated",
        "continuation",
        "cut-emoji",
    ],
)
@pytest.mark.parametrize(("form", "field"), ALL_FIELDS, ids=[f"{f}-{n}" for f, n in ALL_FIELDS])
def test_bytes_that_are_not_utf8_never_cause_a_500(
    plan: Plan, form: str, field: str, raw: bytes
) -> None:
    build, _model = FORMS[form]
    data = build()
    key = next(k for k in data if k.endswith(f"-{field}"))
    parts = [
        f"{quote(k)}={quote(v)}".encode() if k != key else quote(k).encode() + b"=Sa" + raw + b"ra"
        for k, v in data.items()
    ]
    response = Client().post(
        form_url(plan, form), b"&".join(parts), content_type="application/x-www-form-urlencoded"
    )
    if field == "email":
        assert response.status_code == 200
        assert BAD_EMAIL in response.content.decode()
        assert stored(form) is None
        return
    assert response.status_code == 302
    contribution = stored(form)
    assert contribution is not None
    value = getattr(contribution, field)
    assert value.startswith("Sa") and value.endswith("ra")
    # What was not UTF-8 arrives as replacement characters, never as surrogates.
    assert all(not 0xD800 <= ord(ch) <= 0xDFFF for ch in value)
    value.encode("utf-8")
    assert value in publish_and_read(plan, form)


# ---------------------------------------------------------------- blanks, broken addresses


@pytest.mark.parametrize("value", BLANK.values(), ids=BLANK.keys())
@pytest.mark.parametrize(("form", "field"), ALL_FIELDS, ids=[f"{f}-{n}" for f, n in ALL_FIELDS])
def test_blank_fields_are_required(plan: Plan, form: str, field: str, value: str) -> None:
    response = post(plan, form, field, value)
    assert response.status_code == 200
    content = response.content.decode()
    # An e-mail address of only invisible characters is not blank but invalid.
    assert (
        REQUIRED in content
        or (field == "email" and BAD_EMAIL in content)
        or (field == "email" and "Null-tecken" in content)
    )
    assert stored(form) is None


@pytest.mark.parametrize("value", BROKEN_EMAIL.values(), ids=BROKEN_EMAIL.keys())
@pytest.mark.parametrize("form", ["comment", "idea"])
def test_a_broken_email_address_is_explained(plan: Plan, form: str, value: str) -> None:
    response = post(plan, form, "email", value)
    assert response.status_code == 200
    content = response.content.decode()
    assert BAD_EMAIL in content or TOO_LONG in content
    assert "Kommentaren skickades inte" in content or "Idén skickades inte" in content
    assert stored(form) is None


# ---------------------------------------------------------------- properties

START, END = "[[start]] ", " [[end]]"
ALLOWED_TAG = re.compile(r"</?(?:p|br|a)(?:\s[^<>]*)?>")
HOSTILE_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("<>&\"'/=: \n\tabcsriptvgonlad()1;#x")),
        st.characters(codec="utf-8"),
    ),
    max_size=200,
)
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY_SETTINGS
@given(text=HOSTILE_TEXT)
def test_any_accepted_comment_renders_without_raw_markup_from_the_input(
    plan: Plan, text: str
) -> None:
    with transaction.atomic():
        response = Client().post(plan.comment_url, comment_data(text=START + text + END))
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            page = publish_and_read(plan, "comment")
            region = page[page.index("[[start]]") : page.index("[[end]]")]
            without_tags = ALLOWED_TAG.sub("", region)
            assert "<" not in without_tags, region
            assert_no_live_markup(region)
        transaction.set_rollback(True)


@PROPERTY_SETTINGS
@given(title=HOSTILE_TEXT)
def test_any_accepted_idea_title_renders_escaped(plan: Plan, title: str) -> None:
    with transaction.atomic():
        response = Client().post(plan.idea_url, idea_data(title=START + title + END))
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            page = publish_and_read(plan, "idea")
            region = page[page.index("[[start]]") : page.index("[[end]]")]
            assert "<" not in region and ">" not in region, region
        transaction.set_rollback(True)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    form=st.sampled_from(["comment", "idea"]),
    fields=st.dictionaries(
        st.sampled_from(["name", "email", "title", "text", "website", "bogus"]),
        st.binary(max_size=300),
        max_size=6,
    ),
)
def test_arbitrary_bytes_in_any_field_never_cause_a_500(
    plan: Plan, form: str, fields: dict[str, bytes]
) -> None:
    prefix = "kommentar" if form == "comment" else "ide"
    body = b"&".join(
        quote(f"{prefix}-{name}").encode() + b"=" + quote_from_bytes(value).encode()
        for name, value in fields.items()
    )
    with transaction.atomic():
        response = Client().post(
            form_url(plan, form), body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert 'class="errorlist"' in response.content.decode()
        transaction.set_rollback(True)
