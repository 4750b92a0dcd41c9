"""Opening an import file and reading it line by line, whatever its packaging.

The official files arrive as a zip holding one text file, or as that text file;
their encoding varies (UTF-8 with or without a BOM, ISO-8859-1, CP1252) and so do
line endings. Everything here streams: a zip member is read through
``ZipFile.open`` and never extracted whole, so memory stays flat at any size.
"""

from __future__ import annotations

import codecs
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

SAMPLE_SIZE = 256 * 1024
READ_BUFFER = 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (not a row: the whole file)."""


@dataclass(frozen=True)
class SourceFile:
    stream: BinaryIO
    total_bytes: int
    name: str


@contextmanager
def open_source(path: Path | str) -> Iterator[SourceFile]:
    """The byte stream of ``path`` or, for a zip, of the one text file inside it."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"Filen {path} finns inte.")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and not info.filename.startswith("__MACOSX/")
                and not Path(info.filename).name.startswith(".")
            ]
            if len(members) != 1:
                raise ImportFileError(
                    f"Zip-filen ska innehålla exakt en textfil men innehåller {len(members)}."
                )
            info = members[0]
            with archive.open(info) as member:
                buffered = io.BufferedReader(member, buffer_size=READ_BUFFER)  # type: ignore[type-var]
                yield SourceFile(buffered, info.file_size, info.filename)
        return
    with path.open("rb", buffering=READ_BUFFER) as handle:
        yield SourceFile(handle, path.stat().st_size, path.name)


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (``utf-8-sig`` with a BOM), else CP1252 or ISO-8859-1.

    Bytes 0x80-0x9F are control characters in ISO-8859-1 that no text uses, but
    typographic quotes, dashes and € in CP1252: their presence decides between the
    two single-byte encodings.
    """
    if sample.startswith(UTF8_BOM):
        return "utf-8-sig"
    try:
        # The sample may end inside a multi-byte character; an incremental decoder
        # without ``final`` tolerates exactly that and nothing else.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        if any(0x80 <= byte <= 0x9F for byte in sample):
            return "cp1252"
        return "iso-8859-1"
    return "utf-8"


@dataclass
class LineReader:
    """Decoded lines with their 1-based line numbers and a running byte count.

    A line that does not decode in the detected encoding falls back to CP1252 and
    then ISO-8859-1 (which decodes anything), so a mixed-up file never stops the
    import on one line.
    """

    stream: BinaryIO
    encoding: str = ""
    bytes_done: int = 0
    line_no: int = 0

    def __post_init__(self) -> None:
        if not self.encoding:
            sample = self.stream.peek(SAMPLE_SIZE)[:SAMPLE_SIZE]  # type: ignore[attr-defined]
            self.encoding = detect_encoding(sample)

    def __iter__(self) -> Iterator[tuple[int, str]]:
        try:
            yield from self._lines()
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ImportFileError(
                f"Filen är skadad efter rad {self.line_no} ({exc}); inget importerades."
            ) from exc

    def _lines(self) -> Iterator[tuple[int, str]]:
        encoding = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
        first = True
        for raw in self.stream:
            self.bytes_done += len(raw)
            self.line_no += 1
            if first:
                first = False
                if raw.startswith(UTF8_BOM):
                    raw = raw[len(UTF8_BOM) :]
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                try:
                    text = raw.decode("cp1252")
                except UnicodeDecodeError:
                    text = raw.decode("iso-8859-1")
            yield self.line_no, text.rstrip("\r\n")
