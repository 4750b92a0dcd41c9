"""Clean Swedish addresses: slugs made from titles."""

from __future__ import annotations

import pytest

from brygga.actionplan.services.structure import unique_slug


@pytest.mark.parametrize(
    "title,expected",
    [
        (
            "Förbättra dialogen mellan företagare och politiker/tjänstemän",
            "forbattra-dialogen-mellan-foretagare-och-politiker-tjansteman",
        ),
        ("Topp 50-2017", "topp-50-2017"),
        ("Åkers styckebruk: Ö-dagar", "akers-styckebruk-o-dagar"),
        ("”Prao” hos utvalda företag", "prao-hos-utvalda-foretag"),
        ("!!!", "sida"),
        ("Sök", "sok-1"),  # /handlingsplan/sok/ is the search page
    ],
)
def test_it_makes_an_ascii_slug_of_a_swedish_title(title: str, expected: str) -> None:
    assert unique_slug(title, [], max_length=80) == expected


def test_it_makes_a_taken_slug_unique_within_the_length() -> None:
    assert unique_slug("Dialogmöten", ["dialogmoten"], max_length=80) == "dialogmoten-2"
    assert unique_slug("Dialogmöten", ["dialogmoten", "dialogmoten-2"], max_length=80) == (
        "dialogmoten-3"
    )
    long = unique_slug("Dialogmöten " * 20, ["x"], max_length=20)
    assert long == "dialogmoten-dialogmo"
    assert unique_slug("Dialogmöten " * 20, [long], max_length=20) == "dialogmoten-dialog-2"
