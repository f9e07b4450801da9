"""What every register reader hands the loader: a snapshot's description and its rows.

A reader never touches the warehouse. It says what it read (files, hashes, register time), what is wrong
with the input (``problems``; any problem makes the snapshot *partial*), and gives the rows either as
raw blocks for a ``COPY … (FORMAT csv)`` fast path (the z-i CSV) or as tuples (everything else).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

# Columns of the staging table a reader fills (sql/registry/create_stage.sql).
STAGE_COLUMNS = ("ip", "domain", "url", "organization", "decision_number", "decision_date",
                 "entry_id", "entry_hash", "listed_at")
MULTI_VALUE_SEPARATOR = " | "
MAX_PROBLEMS_KEPT = 50


def keep_problem(problems: list[str], text: str) -> None:
    """Append ``text`` to ``problems``, at most MAX_PROBLEMS_KEPT of them and then one line saying there are more.

    Every reader counts what it rejects itself; only the texts are capped, so a file of a million bad lines
    does not become a million-line report.
    """
    if len(problems) < MAX_PROBLEMS_KEPT:
        problems.append(text)
    elif len(problems) == MAX_PROBLEMS_KEPT:
        problems.append("(further problems not listed)")


class RegistryReadError(RuntimeError):
    """The input cannot be read at all: the snapshot fails and the earlier state stays as it was."""


@dataclass
class FileInfo:
    path: str
    sha256: str = ""
    bytes: int = 0
    encoding: str | None = None

    def as_dict(self) -> dict:
        return {"path": self.path, "sha256": self.sha256, "bytes": self.bytes, "encoding": self.encoding}


@dataclass
class SnapshotInput:
    """One reading of one register."""

    source: str
    register: str
    origin: str
    files: list[FileInfo] = field(default_factory=list)
    register_time: dt.datetime | None = None
    content_sha256: str | None = None
    problems: list[str] = field(default_factory=list)
    rejected: int = 0
    rows_read: int = 0

    def problem(self, text: str, rejected_row: bool = False) -> None:
        if rejected_row:
            self.rejected += 1
        keep_problem(self.problems, text)

    # Readers override one of these two.
    def copy_parts(self) -> Iterator[tuple[str, Iterator[bytes]]] | None:
        """``(server encoding name, blocks of CSV lines)`` per file for the COPY fast path, or None."""
        return None

    def rows(self) -> Iterator[tuple]:
        """Rows as tuples in STAGE_COLUMNS order (the slow path; every problem recorded)."""
        raise NotImplementedError


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
