"""The z-i CSV mirror of Russia's register of prohibited resources: ``dump.csv`` or ``dump-00..19.csv``.

Format (see shared/reference/registry-formats.md): no header row, an optional first line
``Updated: YYYY-MM-DD HH:MM:SS +ZZZZ``, ``;``-separated, exactly 6 fields
``ip;domain;url;organization;decision_number;decision_date``, fields may be double-quoted, windows-1251
(strict UTF-8 is tried first).

Reading is two passes over the bytes. The first (``inspect``) hashes the data, finds the encoding, the
register time and a cut-off last line, all at C speed. The second streams the bytes to PostgreSQL's own
CSV parser (``copy_parts``). Only when that fails (wrong column count, a stray quote, bytes that are
neither UTF-8 nor windows-1251) does the loader fall back to ``rows()``, which reads line by line and
records each bad line as a problem: the snapshot is then partial.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .registry_common import FileInfo, SnapshotInput

log = logging.getLogger(__name__)

SOURCE = "rkn_csv"
REGISTER = "Russia: register of prohibited resources (Roskomnadzor)"
FIELDS = ("ip", "domain", "url", "organization", "decision_number", "decision_date")
PART_NAME = re.compile(r"^dump-(\d{2})\.csv$", re.IGNORECASE)
EXPECTED_PARTS = 20
UPDATED_LINE = re.compile(r"^Updated:\s*(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\s*([+-]\d{4})?\s*$")
BLOCK = 1 << 20

# Names PostgreSQL's COPY knows the encodings by.
SERVER_ENCODING = {"utf-8": "UTF8", "cp1251": "WIN1251"}


@dataclass
class _Part:
    path: Path
    name: str
    info: FileInfo
    data_start: int = 0          # byte offset after the Updated: line
    data_end: int = 0            # byte offset after the last complete line
    blank_lines: bool = False


def discover(registry_dir: Path) -> list["ZiCsvSnapshot"]:
    """One snapshot per folder holding ``dump.csv`` or ``dump-NN.csv`` parts, in folder-name order."""
    folders: dict[Path, list[Path]] = {}
    for path in sorted(registry_dir.rglob("*.csv")):
        if path.name.lower() == "dump.csv" or PART_NAME.match(path.name):
            folders.setdefault(path.parent, []).append(path)
    snapshots = []
    for folder in sorted(folders, key=lambda p: str(p.relative_to(registry_dir))):
        paths = folders[folder]
        parts = [p for p in paths if PART_NAME.match(p.name)]
        if parts and len(parts) != len(paths):
            log.warning("%s holds dump.csv and dump-NN.csv parts: reading the parts", folder)
        relative = str(folder.relative_to(registry_dir)) or "."
        snapshots.append(ZiCsvSnapshot(registry_dir, relative, parts or paths, is_parts=bool(parts)))
    return snapshots


def _parse_updated(line: str) -> dt.datetime | None:
    match = UPDATED_LINE.match(line.strip())
    if not match:
        return None
    moment = dt.datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S")
    if match[2]:
        sign = 1 if match[2][0] == "+" else -1
        offset = dt.timedelta(hours=int(match[2][1:3]), minutes=int(match[2][3:5]))
        return moment.replace(tzinfo=dt.timezone(sign * offset))
    return moment.replace(tzinfo=dt.timezone.utc)


class ZiCsvSnapshot(SnapshotInput):
    def __init__(self, registry_dir: Path, relative: str, paths: list[Path], is_parts: bool):
        super().__init__(source=SOURCE, register=REGISTER, origin=relative)
        self.registry_dir = registry_dir
        self.is_parts = is_parts
        self._parts = [
            _Part(p, p.name, FileInfo(str(p.relative_to(registry_dir))))
            for p in sorted(paths, key=lambda p: p.name.lower())
        ]
        self.input_sha256: str | None = None
        self._inspected = False

    # -- pass 1 -------------------------------------------------------------------------------------
    def inspect(self) -> None:
        """Hash, encoding, register time, cut-off lines and missing parts; reads every byte once."""
        if self._inspected:
            return
        self._inspected = True
        content = hashlib.sha256()
        identity = hashlib.sha256()
        if self.is_parts:
            numbers = {int(PART_NAME.match(p.name)[1]) for p in self._parts}
            for missing in sorted(set(range(EXPECTED_PARTS)) - numbers):
                self.problem(f"part dump-{missing:02d}.csv is missing")
        for part in self._parts:
            self._inspect_part(part, content)
            identity.update(f"{part.name}:{part.info.sha256};".encode())
        # The same data under another Updated: line is another reading of the register; the same bytes
        # read again are not.
        identity.update(str(self.register_time).encode())
        self.content_sha256 = content.hexdigest()
        self.input_sha256 = identity.hexdigest()
        self.files = [p.info for p in self._parts]

    def _inspect_part(self, part: _Part, content) -> None:
        data_digest = hashlib.sha256()
        decoder = codecs.getincrementaldecoder("utf-8")()
        utf8_ok, has_0x98, lines, last_byte, offset = True, False, 0, b"\n", 0
        previous_tail = b"\n"
        with open(part.path, "rb") as handle:
            first = handle.readline()
            header = first.decode("utf-8", errors="replace") if first.startswith(b"Updated:") else None
            if header is not None:
                moment = _parse_updated(header)
                if moment and (self.register_time is None or moment > self.register_time):
                    self.register_time = moment
                part.data_start = len(first)
            else:
                handle.seek(0)
            offset = part.data_start
            for block in iter(lambda: handle.read(BLOCK), b""):
                data_digest.update(block)
                lines += block.count(b"\n")
                if utf8_ok:
                    try:
                        decoder.decode(block)
                    except UnicodeDecodeError:
                        utf8_ok = False
                has_0x98 = has_0x98 or b"\x98" in block
                if b"\n\n" in block or b"\n\r\n" in block or (previous_tail == b"\n" and block[:1] in (b"\n", b"\r")
                                                               and offset > part.data_start):
                    part.blank_lines = True
                previous_tail = block[-1:]
                offset += len(block)
                last_byte = block[-1:]
        if utf8_ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok = False
        part.info.encoding = "utf-8" if utf8_ok else ("cp1251" if not has_0x98 else None)
        part.info.bytes = offset
        part.info.sha256 = data_digest.hexdigest()
        content.update(data_digest.digest())
        part.data_end = offset
        if offset > part.data_start and last_byte != b"\n":
            # Cut off mid-line: drop the fragment rather than load a bogus entry.
            part.data_end = self._last_newline_end(part.path, offset, part.data_start)
            lines += 1
            self.problem(f"{part.info.path}, line {lines + (1 if header else 0)}: file ends mid-line (truncated); "
                         "the cut-off line is not loaded", rejected_row=True)
        if part.info.encoding is None:
            self.problem(f"{part.info.path}: bytes that are neither UTF-8 nor windows-1251; those lines are not loaded")
        self.rows_read += lines

    @staticmethod
    def _last_newline_end(path: Path, size: int, floor: int) -> int:
        with open(path, "rb") as handle:
            position = size
            while position > floor:
                start = max(floor, position - BLOCK)
                handle.seek(start)
                chunk = handle.read(position - start)
                found = chunk.rfind(b"\n")
                if found >= 0:
                    return start + found + 1
                position = start
        return floor

    # -- pass 2: fast path ----------------------------------------------------------------------------
    def copy_parts(self):
        """Blocks of each part for ``COPY (FORMAT csv)``; None when a part needs the line-by-line path."""
        self.inspect()
        if any(p.info.encoding is None or p.blank_lines for p in self._parts):
            return None
        return [(SERVER_ENCODING[p.info.encoding], self._blocks(p)) for p in self._parts]

    @staticmethod
    def _blocks(part: _Part) -> Iterator[bytes]:
        with open(part.path, "rb") as handle:
            handle.seek(part.data_start)
            remaining = part.data_end - part.data_start
            while remaining > 0:
                block = handle.read(min(BLOCK, remaining))
                if not block:
                    break
                remaining -= len(block)
                yield block

    # -- pass 2: slow path ------------------------------------------------------------------------------
    def rows(self) -> Iterator[tuple]:
        """Line by line, every bad line recorded as a problem; for files the fast path refused."""
        self.inspect()
        for part in self._parts:
            encoding = part.info.encoding or "cp1251"
            line_number = 1 if part.data_start else 0
            with open(part.path, "rb") as handle:
                handle.seek(part.data_start)
                data = handle.read(part.data_end - part.data_start)
            for raw in data.split(b"\n"):
                line_number += 1
                if not raw.strip():
                    continue
                where = f"{part.info.path}, line {line_number}"
                text = raw.decode(encoding, errors="replace").rstrip("\r")
                if "\ufffd" in text:
                    self.problem(f"{where}: bytes that are not {encoding}", rejected_row=True)
                    continue
                try:
                    fields = next(csv.reader([text], delimiter=";", quotechar='"'))
                except csv.Error as error:
                    self.problem(f"{where}: unreadable CSV ({error})", rejected_row=True)
                    continue
                if len(fields) != len(FIELDS):
                    self.problem(f"{where}: expected {len(FIELDS)} fields ({';'.join(FIELDS)}), found {len(fields)}",
                                 rejected_row=True)
                    continue
                yield tuple(f if f != "" else None for f in fields) + (None, None, None)
