"""Done when: the seed 000 area with all twenty activities and their statuses is on the
public site of ``make run``.

Starts ``scripts/run.sh`` as ``make run`` does, in a process group of its own and with
a newcomer's environment (no ``DATABASE_URL``: SQLite in a temporary ``var`` directory,
a free port), reads the public area page over HTTP and stops everything with Ctrl-C
(SIGINT to the group), as a person at the terminal would.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from brygga.actionplan.tests.test_demo import AREA_TITLE, DONE_TITLES, INVESTIGATING_TITLES

REPO = Path(__file__).resolve().parents[3]
AREA_PATH = "/handlingsplan/topp-50-2017/forbattra-dialogen/"
START_TIMEOUT = 300  # migrations and the demo data on a slow machine
STOP_TIMEOUT = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Outline(HTMLParser):
    """The page's text cut into sections: a heading and everything up to the next heading
    of the same or a higher level."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.headings: list[tuple[int, int]] = []  # (level, index into text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append((int(tag[1]), len(self.text)))
        self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.text.append(" ")

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def sections(self) -> list[tuple[str, str]]:
        result = []
        for n, (level, start) in enumerate(self.headings):
            end = next(
                (i for lvl, i in self.headings[n + 1 :] if lvl <= level),
                len(self.text),
            )
            heading_end = self.headings[n + 1][1] if n + 1 < len(self.headings) else end
            body = " ".join("".join(self.text[start:end]).split())
            title = " ".join("".join(self.text[start:heading_end]).split())
            result.append((title, body))
        return result


def _group(sections: list[tuple[str, str]], label: str) -> tuple[str, str]:
    found = [(h, body) for h, body in sections if re.match(rf"{label}\b", h)]
    assert len(found) == 1, f"one section headed {label!r}: {[h for h, _ in sections]}"
    return found[0]


def _alive(group: int) -> list[str]:
    """The processes still in ``group`` (zombies, which are already dead, left out)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group and fields[0] != "Z":
                alive.append(stat.parent.name)
    return alive


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C for the whole group, then firmer signals if anything is still running."""
    group = process.pid
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, sig)
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None and not _alive(group):
                return
            time.sleep(0.2)


def _fetch(url: str, process: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        assert process.poll() is None, "make run stopped:\n" + log.read_text(errors="replace")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
                assert response.status == 200
                return str(response.read().decode("utf-8"))
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            assert time.monotonic() < deadline, "no answer:\n" + log.read_text(errors="replace")
            time.sleep(0.5)


@pytest.mark.slow
def test_it_shows_the_seed_area_with_all_twenty_activities_on_the_make_run_site(tmp_path):
    port = _free_port()
    env = {
        # What a newcomer's shell has; nothing from the test run leaks in.
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "BRYGGA_VAR_DIR": str(tmp_path / "var"),
        "PORT": str(port),
    }
    log = tmp_path / "make-run.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(REPO / "scripts" / "run.sh")],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a group of its own, like the terminal's job
        )
    try:
        html = _fetch(f"http://127.0.0.1:{port}{AREA_PATH}", process, log)
    finally:
        _stop(process)
    assert process.returncode is not None
    assert _alive(process.pid) == [], "make run left processes behind"
    assert (tmp_path / "var" / "brygga.sqlite3").exists()

    outline = _Outline()
    outline.feed(html)
    sections = outline.sections()
    assert any(AREA_TITLE in heading for heading, _ in sections)
    for label, count, titles in (
        ("Avklarad", 14, DONE_TITLES),
        ("Utredning", 6, INVESTIGATING_TITLES),
    ):
        heading, body = _group(sections, label)
        assert re.search(rf"\b{count}\b", heading), heading
        for title in titles:
            assert title in body, (label, title)
