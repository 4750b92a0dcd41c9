"""A real SMTP server on loopback (aiosmtpd) for e-mail tests.

Tests point Django's SMTP backend at it and read what arrived, parsed with the
standard library, instead of replacing the mail backend. The server can also be
told to refuse an address (``refuse``), to refuse everything for a while
(``refuse_all``), or to hold a delivery in the middle of the SMTP conversation
(``hold_at``), which is how the outbox tests kill a worker mid-send.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


class _Collector:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused: dict[str, str] = {}
        self.refuse_all: str | None = None
        self.rcpt_count = 0
        self.hold_at: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self.arrived = threading.Condition()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if self.refuse_all is not None:
            return self.refuse_all
        reply = self.refused.get(address.lower())
        if reply is not None:
            return reply
        self.rcpt_count += 1
        if self.hold_at is not None and self.rcpt_count == self.hold_at:
            # Stall before the message is sent: the client waits for our reply.
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 120)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 OK"


class SmtpServer:
    def __init__(self, collector: _Collector, port: int) -> None:
        self._collector = collector
        self.port = port

    @property
    def messages(self) -> list[EmailMessage]:
        return self._collector.messages

    def refuse(self, address: str, reply: str = "550 5.1.1 Mailbox unavailable") -> None:
        """Answer RCPT TO for ``address`` with ``reply`` (a 4xx or 5xx line)."""
        self._collector.refused[address.lower()] = reply

    def accept(self, address: str) -> None:
        """Accept ``address`` again after :meth:`refuse`."""
        self._collector.refused.pop(address.lower(), None)

    def refuse_all(self, reply: str | None = "451 4.3.0 Try again later") -> None:
        """Answer every RCPT TO with ``reply``; None accepts again."""
        self._collector.refuse_all = reply

    def hold_at(self, n: int) -> threading.Event:
        """Stall the ``n``-th accepted recipient until :meth:`release`; returns an event set
        once the stall has begun (the message is then in flight, not yet sent)."""
        self._collector.hold_at = n
        return self._collector.holding

    def release(self) -> None:
        self._collector.release.set()

    def wait_for(self, count: int, timeout: float = 30) -> bool:
        """Wait until ``count`` messages have arrived."""
        deadline = time.monotonic() + timeout
        with self._collector.arrived:
            while len(self._collector.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._collector.arrived.wait(left)
        return True

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


def start_smtp_server() -> tuple[SmtpServer, Controller]:
    collector = _Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    return SmtpServer(collector, port), controller


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    server, controller = start_smtp_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield server
    finally:
        server.release()
        controller.stop()
