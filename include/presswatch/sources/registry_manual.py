"""Manual notices: blocking orders that have no machine-readable register (Kazakhstan's among them).

The monitoring service keeps them in CSV files ``<INBOX>/registry/manual*.csv`` (UTF-8 or windows-1251,
``,`` or ``;``) with the header ``authority,decision_number,decision_date,domain,url,note``; dates as
``YYYY-MM-DD`` or ``DD.MM.YYYY``; several domains or URLs joined with `` | ``. All manual files together are
one snapshot of the source ``manual``: a row deleted from them is removed like any register entry.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path
from typing import Iterator

from .registry_common import FileInfo, SnapshotInput, sha256_file

SOURCE = "manual"
REGISTER = "Blocking orders (manual notices)"
COLUMNS = ("authority", "decision_number", "decision_date", "domain", "url", "note")
DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def discover(registry_dir: Path) -> list["ManualSnapshot"]:
    files = sorted(p for p in registry_dir.rglob("*.csv") if p.name.lower().startswith("manual"))
    return [ManualSnapshot(registry_dir, files)] if files else []


class ManualSnapshot(SnapshotInput):
    def __init__(self, registry_dir: Path, paths: list[Path]):
        super().__init__(source=SOURCE, register=REGISTER, origin="manual*.csv")
        self.registry_dir = registry_dir
        self.paths = paths
        self.input_sha256: str | None = None

    def inspect(self) -> None:
        if self.input_sha256 is None:
            self.files = [FileInfo(str(p.relative_to(self.registry_dir)), sha256_file(p), p.stat().st_size)
                          for p in self.paths]
            digest = hashlib.sha256("".join(f"{f.path}:{f.sha256};" for f in self.files).encode())
            self.input_sha256 = self.content_sha256 = digest.hexdigest()

    def rows(self) -> Iterator[tuple]:
        self.inspect()
        for path, info in zip(self.paths, self.files):
            raw = path.read_bytes()
            try:
                text, info.encoding = raw.decode("utf-8-sig"), "utf-8"
            except UnicodeDecodeError:
                text, info.encoding = raw.decode("cp1251", errors="replace"), "cp1251"
            first = text.split("\n", 1)[0]
            reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
            header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
            missing = [c for c in COLUMNS[:5] if c not in header]
            if missing:
                self.problem(f"{info.path}: missing columns {', '.join(missing)} (expected {','.join(COLUMNS)})")
                continue
            for number, row in enumerate(reader, start=2):
                self.rows_read += 1
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
                if not (row.get("domain") or row.get("url")):
                    self.problem(f"{info.path}, line {number}: neither domain nor url", rejected_row=True)
                    continue
                date = row.get("decision_date", "")
                dotted = DOTTED_DATE.match(date)
                if dotted:
                    date = f"{dotted[3]}-{int(dotted[2]):02d}-{int(dotted[1]):02d}"
                yield (None, row.get("domain") or None, row.get("url") or None, row.get("authority") or None,
                       row.get("decision_number") or None, date or None, None, None, None)
