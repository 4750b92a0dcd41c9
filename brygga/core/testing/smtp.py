"""A real SMTP server on loopback (aiosmtpd) for e-mail tests.

Tests point Django's SMTP backend at it and read what arrived, parsed with the
standard library, instead of replacing the mail backend.
"""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


class _Collector:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"


class SmtpServer:
    def __init__(self, collector: _Collector, port: int) -> None:
        self._collector = collector
        self.port = port

    @property
    def messages(self) -> list[EmailMessage]:
        return self._collector.messages

    @staticmethod
    def body(message: EmailMessage, subtype: str = "plain") -> str:
        part = message.get_body(preferencelist=(subtype,))
        assert part is not None, f"no text/{subtype} part"
        content = part.get_content()
        assert isinstance(content, str)
        return content


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    collector = _Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield SmtpServer(collector, port)
    finally:
        controller.stop()
