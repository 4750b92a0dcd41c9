"""Shared test fixtures: the named personas every app's tests use."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from brygga.accounts.models import Department, User
from brygga.accounts.services import user_create

pytest_plugins = ["brygga.core.testing.smtp", "brygga.core.testing.browser"]

PASSWORD = "correct-horse-battery-9"  # noqa: S105  (test persona)


@pytest.fixture(scope="session", autouse=True)
def _celery_in_memory() -> Iterator[None]:
    """Tasks that code under test queues go to an in-memory broker, not to files under var/.

    A test that needs a task's work done calls the worker's function itself
    (``outbox_deliver_due()``, ``update_fanout()``), or starts a real worker.
    """
    from brygga.celery import app

    old = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = "memory://"
    app.conf.broker_transport_options = {}
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = old


@pytest.fixture(autouse=True)
def _own_cache(settings: Any) -> None:
    """A cache of the test's own: rate limits and throttles start at zero and stay private
    (the file cache under var/ belongs to the dev server and to other test runs)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Real hashers are slow by design; tests hash many persona passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def department_bygglov(db: None) -> Department:
    return Department.objects.create(name="Bygglov", slug="bygglov")


@pytest.fixture
def department_miljo(db: None) -> Department:
    return Department.objects.create(name="Miljö- och hälsoskydd", slug="miljo")


@pytest.fixture
def admin_user(db: None) -> User:
    return user_create(
        email="anna.admin@example.se",
        full_name="Anna Admin",
        role=User.Role.ADMIN,
        password=PASSWORD,
    )


@pytest.fixture
def developer(db: None) -> User:
    """A business developer (näringslivsutvecklare)."""
    return user_create(
        email="nils.utvecklare@example.se",
        full_name="Nils Utvecklare",
        role=User.Role.DEVELOPER,
        password=PASSWORD,
    )


@pytest.fixture
def case_officer(department_bygglov: Department) -> User:
    """A case officer (handläggare) of the building permits department."""
    return user_create(
        email="hanna.handlaggare@example.se",
        full_name="Hanna Handläggare",
        role=User.Role.CASE_OFFICER,
        department=department_bygglov,
        password=PASSWORD,
    )


@pytest.fixture
def reader(db: None) -> User:
    """A politician or manager with read-only access."""
    return user_create(
        email="lars.lasare@example.se",
        full_name="Lars Läsare",
        role=User.Role.READER,
        password=PASSWORD,
    )


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    """A test client logged in as the given persona (None: an anonymous visitor)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """On SQLite, a test database in a file of this run's own, not in memory.

    Tests that start real processes (a Celery worker, the web server) need to see
    the same database; a file in a fresh temporary directory also keeps parallel
    test runs apart.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    test: dict[str, Any] = database.setdefault("TEST", {})  # type: ignore[assignment]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not test.get("NAME"):
        test["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")
