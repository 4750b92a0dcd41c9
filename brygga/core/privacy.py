"""Personal data kept outside the register, found and erased by e-mail address.

``manage.py person_extract`` and ``person_erase`` (in the register, which holds most
personal data) also ask every *holder* registered here: an app that keeps
personal data keyed by an e-mail address (the action plan's comments, ideas and
subscribers; the outbox's messages) registers one in its ``AppConfig.ready``. So a
new app's data is covered by registering a holder, not by editing the register.
"""

from __future__ import annotations

from typing import Any, Protocol


class PersonDataHolder(Protocol):
    #: The section name in the extract (``"actionplan"``, ``"outbox"``).
    name: str

    def extract(self, email: str) -> dict[str, Any]:
        """Everything held on the address, as JSON-ready data (empty when nothing)."""

    def erase(self, email: str, *, apply: bool, actor: Any) -> list[str]:
        """Lines (Swedish) saying what is anonymised or deleted; done only when ``apply``.

        Runs inside the caller's transaction.
        """


_HOLDERS: dict[str, PersonDataHolder] = {}


def register_holder(holder: PersonDataHolder) -> None:
    _HOLDERS[holder.name] = holder


def holders() -> list[PersonDataHolder]:
    return list(_HOLDERS.values())


def extract_elsewhere(email: str) -> dict[str, Any]:
    found = {holder.name: holder.extract(email) for holder in holders()}
    return {name: data for name, data in found.items() if data}


def erase_elsewhere(email: str, *, apply: bool, actor: Any) -> list[str]:
    lines: list[str] = []
    for holder in holders():
        lines += holder.erase(email, apply=apply, actor=actor)
    return lines
