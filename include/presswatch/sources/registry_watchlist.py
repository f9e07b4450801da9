"""The outlets watchlist: ``include/data/outlets.yaml``, extended by ``<INBOX>/watchlist.csv``.

The inbox file uses the Citizen Lab test-list layout (``url,category_code,category_description,date_added,
source,notes``); each row's URL host becomes an outlet of its own unless a product outlet already has that
domain. Entries that are not usable hosts, or are a bare public suffix, are skipped with a warning.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import settings
from ..normalize.domains import InvalidHost, WatchedDomain, url_host, watch_entry

log = logging.getLogger(__name__)

OUTLETS_FILE = settings.DATA_DIR / "outlets.yaml"
INBOX_WATCHLIST = "watchlist.csv"
CITIZEN_LAB_COLUMNS = ("url", "category_code", "category_description", "date_added", "source", "notes")


@dataclass
class Outlet:
    outlet_id: str
    name: str
    origin: str
    name_ru: str | None = None
    city: str | None = None
    domains: list[tuple[str, str, bool]] = field(default_factory=list)  # (ascii, unicode, wildcard)


@dataclass
class Watchlist:
    outlets: list[Outlet]
    skipped: list[str]

    def domains(self) -> list[WatchedDomain]:
        return [WatchedDomain(o.outlet_id, o.name, a, u, w) for o in self.outlets for a, u, w in o.domains]

    def fingerprint(self) -> str:
        """Changes whenever an outlet, name or domain changes: then every entry is matched again."""
        text = "\n".join(sorted(f"{d.outlet_id}\t{d.outlet}\t{d.domain}\t{d.wildcard}" for d in self.domains()))
        return hashlib.sha256(text.encode()).hexdigest()


def _product_outlets(path: Path, skipped: list[str]) -> list[Outlet]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    outlets = []
    # A domain belongs to one outlet: listed for two, every listing or measurement of it would count for both.
    claimed: dict[tuple[str, bool], str] = {}
    for item in data.get("outlets", []):
        outlet = Outlet(item["id"], item["name"], "product", item.get("name_ru"), item.get("city"))
        for text in item.get("domains", []):
            try:
                entry = watch_entry(str(text))
            except InvalidHost as error:
                skipped.append(f"{path.name}, outlet {item['id']}: {error}")
                continue
            owner = claimed.setdefault((entry[0], entry[2]), outlet.outlet_id)
            if owner != outlet.outlet_id:
                skipped.append(f"{path.name}, outlet {item['id']}: {text} is listed for outlet {owner} already")
                continue
            if entry not in outlet.domains:
                outlet.domains.append(entry)
        outlets.append(outlet)
    return outlets


def _inbox_outlets(path: Path, known: set[str], skipped: list[str]) -> list[Outlet]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "url" not in [f.strip().lower() for f in reader.fieldnames]:
        skipped.append(f"{path.name}: no url column (expected {','.join(CITIZEN_LAB_COLUMNS)})")
        return []
    outlets: dict[str, Outlet] = {}
    for number, row in enumerate(reader, start=2):
        # An unquoted comma in the notes spills into extra fields (key None): keep them with the notes.
        extra = ",".join(row.pop(None, None) or [])
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if extra:
            row["notes"] = f"{row.get('notes', '')},{extra}"
        value = row.get("url", "")
        try:
            entry = watch_entry(value if value.startswith("*.") else (url_host(value) or ""))
        except InvalidHost as error:
            skipped.append(f"{path.name}, line {number}: {error}")
            continue
        if entry[0] in known:
            continue
        known.add(entry[0])
        outlet_id = f"wl:{entry[0]}"
        outlet = outlets.setdefault(outlet_id, Outlet(outlet_id, row.get("notes") or entry[1], "inbox_watchlist"))
        outlet.domains.append(entry)
    return list(outlets.values())


def load_watchlist(inbox: Path | None = None, outlets_file: Path = OUTLETS_FILE) -> Watchlist:
    skipped: list[str] = []
    outlets = _product_outlets(outlets_file, skipped)
    if inbox is not None and (Path(inbox) / INBOX_WATCHLIST).is_file():
        known = {a for o in outlets for a, _u, _w in o.domains}
        outlets += _inbox_outlets(Path(inbox) / INBOX_WATCHLIST, known, skipped)
    for reason in skipped:
        log.warning("watchlist entry skipped: %s", reason)
    return Watchlist(outlets, skipped)
