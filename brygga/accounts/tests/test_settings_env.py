import pytest

from brygga.core.env import EnvError, database_from_url, env_bool, env_int, env_list


def test_it_reads_booleans_and_refuses_nonsense():
    assert env_bool("X", True, {}) is True
    assert env_bool("X", True, {"X": "false"}) is False
    assert env_bool("X", False, {"X": "Yes"}) is True
    with pytest.raises(EnvError, match="X='kanske' is not a boolean"):
        env_bool("X", True, {"X": "kanske"})


def test_it_reads_integers_and_refuses_nonsense():
    assert env_int("P", 25, {}) == 25
    assert env_int("P", 25, {"P": " 587 "}) == 587
    with pytest.raises(EnvError, match="not an integer"):
        env_int("P", 25, {"P": "25x"})


def test_it_splits_lists():
    assert env_list("H", ["a"], {}) == ["a"]
    assert env_list("H", [], {"H": "brygga.example.se, www.example.se,"}) == [
        "brygga.example.se",
        "www.example.se",
    ]


def test_it_parses_database_urls():
    pg = database_from_url("postgres://brygga:s%40cret@db.local:5433/brygga?sslmode=require")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "brygga",
        "brygga",
        "s@cret",
        "db.local",
        "5433",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert database_from_url("sqlite:////srv/brygga.db")["NAME"] == "/srv/brygga.db"
    with pytest.raises(EnvError, match="not supported"):
        database_from_url("mysql://x@y/z")
    with pytest.raises(EnvError, match="names no database"):
        database_from_url("postgres://x@y/")
