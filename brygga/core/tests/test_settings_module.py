"""The settings module, loaded in a fresh process with a chosen environment.

A typo in a deployment's environment must stop start-up with a message that names
the variable; an empty environment must give a working local install.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

REPO = Path(settings.BASE_DIR)
SHOW = """
import json, django
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECRET_KEY": s.SECRET_KEY,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "EMAIL_BACKEND": s.EMAIL_BACKEND,
    "EMAIL_PORT": s.EMAIL_PORT,
    "CELERY_BROKER_URL": s.CELERY_BROKER_URL,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
}))
"""


def run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # A clean environment: nothing from the test run or the developer's shell leaks in.
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "brygga.settings",
        "BRYGGA_VAR_DIR": str(tmp_path / "var"),
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=REPO,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def loaded(tmp_path: Path, **env: str) -> dict[str, Any]:
    result = run(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def refused(tmp_path: Path, **env: str) -> str:
    result = run(tmp_path, **env)
    assert result.returncode != 0, result.stdout
    assert result.stdout == ""
    return result.stderr.strip().splitlines()[-1]


def test_it_refuses_production_without_a_secret_key(tmp_path: Path):
    last = refused(tmp_path, DEBUG="False", ALLOWED_HOSTS="brygga.example.se")
    assert "SECRET_KEY must be set" in last
    assert not (tmp_path / "var" / "secret_key").exists()


def test_it_refuses_production_without_allowed_hosts(tmp_path: Path):
    last = refused(tmp_path, DEBUG="false", SECRET_KEY="k" * 50)
    assert "ALLOWED_HOSTS must be set" in last


@pytest.mark.parametrize(
    "env,named",
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"EMAIL_PORT": "abc"}, "EMAIL_PORT='abc' is not an integer"),
        ({"EMAIL_USE_TLS": "ja"}, "EMAIL_USE_TLS='ja' is not a boolean"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL scheme 'mysql' is not supported"),
        ({"BRYGGA_CORRECTION_LINK_DAYS": "30d"}, "BRYGGA_CORRECTION_LINK_DAYS='30d'"),
    ],
)
def test_it_names_the_malformed_variable(tmp_path: Path, env: dict[str, str], named: str):
    assert named in refused(tmp_path, **env)


def test_it_runs_as_a_local_install_with_nothing_set(tmp_path: Path):
    first = loaded(tmp_path)
    var = tmp_path / "var"
    assert first["DEBUG"] is True
    assert first["ENGINE"] == "django.db.backends.sqlite3"
    assert first["NAME"] == str(var / "brygga.sqlite3")
    assert first["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    assert first["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert first["CELERY_BROKER_URL"] == "filesystem://"
    assert first["SESSION_COOKIE_SECURE"] is False

    secret = var / "secret_key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert secret.read_text().strip() == first["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) >= 50
    # Kept, so sessions survive a restart; another install gets its own.
    assert loaded(tmp_path)["SECRET_KEY"] == first["SECRET_KEY"]
    assert loaded(tmp_path / "other")["SECRET_KEY"] != first["SECRET_KEY"]


def test_it_runs_in_production_with_the_required_variables(tmp_path: Path):
    shown = loaded(
        tmp_path,
        DEBUG="False",
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="brygga.example.se, www.brygga.example.se",
    )
    assert shown["DEBUG"] is False
    assert shown["SECRET_KEY"] == "s" * 50
    assert shown["ALLOWED_HOSTS"] == ["brygga.example.se", "www.brygga.example.se"]
    assert shown["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "var" / "secret_key").exists()


def test_it_uses_postgresql_from_database_url(tmp_path: Path):
    shown = loaded(tmp_path, DATABASE_URL="postgres://brygga:hemligt@db.local:5432/brygga")
    assert shown["ENGINE"] == "django.db.backends.postgresql"
    assert shown["NAME"] == "brygga"


def test_it_sends_mail_by_smtp_when_a_host_is_set(tmp_path: Path):
    shown = loaded(tmp_path, EMAIL_HOST="smtp.example.se", EMAIL_PORT="587")
    assert shown["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert shown["EMAIL_PORT"] == 587


def test_it_uses_redis_for_tasks_when_redis_url_is_set(tmp_path: Path):
    shown = loaded(tmp_path, REDIS_URL="redis://127.0.0.1:6379/3")
    assert shown["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/3"
