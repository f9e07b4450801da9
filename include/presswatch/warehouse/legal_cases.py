"""Legal cases and their dated history, rebuilt from the reports about them.

Every report of the legal-claims group with a case reference is an event of its case
(``core.legal_case_event``); the case (``core.legal_case``) is what its events say, the latest word on each
detail winning. Only the first event, given as a new claim, counts in the overview; the counting itself
stays in ``core.counted_reports``.

Rules are data: articles, kinds and outcomes in include/data/legal_cases.yaml, kinds of actor (violator,
plaintiff) in include/data/actor_types.yaml. Details the report record does not carry (plaintiff type,
defendant journalist, court, amount awarded, outcome) are read from the row as loaded (``raw.row``) through
the header synonyms, so a correspondent adds them as ordinary columns.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import psycopg
import yaml
from psycopg.rows import dict_row

from ..normalize.headers import field_for
from ..normalize.reference import data_path
from ..normalize.text import fold
from ..normalize.values import parse_amount
from .bulk import copy_rows, upsert_via_copy
from .sql_files import statement

log = logging.getLogger(__name__)

# Fields of a case read from the loaded row rather than from core.report.
PAYLOAD_FIELDS = ("plaintiff_type", "journalist", "court", "amount_awarded_kzt", "outcome")
EVENT_COLUMNS = (
    "report_key", "case_ref", "sequence", "event_date", "event_month", "category_code", "stage", "counted",
    "kind", "legal_article", "article_normalized", "plaintiff", "plaintiff_type", "outlet", "journalist", "court",
    "amount_claimed_kzt", "amount_awarded_kzt", "outcome",
)


# ---- reference data --------------------------------------------------------------------------------------

def _load(name: str) -> dict:
    return yaml.safe_load(data_path(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def case_rules() -> dict:
    return _load("legal_cases.yaml")


@lru_cache(maxsize=None)
def actor_types() -> tuple[dict, ...]:
    return tuple(_load("actor_types.yaml")["types"])


@lru_cache(maxsize=None)
def _actor_names() -> tuple[tuple[str, str], ...]:
    """(folded name, code), every code's own code and names."""
    return tuple((fold(n), t["code"]) for t in actor_types() for n in (t["code"], *t["names"]))


def actor_type_of(written: object) -> str:
    """The actor type code a wording means: an exact name, else the name found earliest in the text
    ('deputy of the city maslikhat' is an official), else ``other``; empty is ``unknown``."""
    if written is None or not str(written).strip():
        return "unknown"
    text = fold(written)
    exact = {name: code for name, code in _actor_names()}
    if text in exact:
        return exact[text]
    found = []
    for name, code in _actor_names():
        match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        if match:
            found.append((match.start(), -len(name), code))
    return min(found)[2] if found else "other"


def sync_actor_types(conn: psycopg.Connection) -> None:
    """Upsert ref.actor_type from include/data/actor_types.yaml."""
    upsert_via_copy(
        conn, "ref.actor_type", ["code"], ["code", "label_en", "label_ru", "in_state_share", "sort_order"],
        [(t["code"], t["en"], t["ru"], bool(t["in_state_share"]), i) for i, t in enumerate(actor_types(), start=1)],
    )


def map_actor_wordings(conn: psycopg.Connection, month: dt.date | None = None) -> int:
    """Add every violator-type wording of core.report (of one month, when given) that ref.actor_type_alias
    does not know yet; returns how many were added. Known wordings keep their mapping."""
    where = "AND r.event_month = %(month)s" if month else ""
    written = [w for (w,) in conn.execute(
        f"""SELECT DISTINCT r.perpetrator_type FROM core.report r
            WHERE r.perpetrator_type IS NOT NULL {where}
              AND NOT EXISTS (SELECT 1 FROM ref.actor_type_alias a WHERE a.written = r.perpetrator_type)""",
        {"month": month},
    )]
    return _add_aliases(conn, written)


def _add_aliases(conn: psycopg.Connection, written: list[str]) -> int:
    if not written:
        return 0
    (known,) = conn.execute("SELECT count(*) FROM ref.actor_type").fetchone()
    if known < len(actor_types()):
        sync_actor_types(conn)
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO ref.actor_type_alias (written, actor_type) VALUES (%s, %s) ON CONFLICT (written) DO NOTHING",
            [(w, actor_type_of(w)) for w in written],
        )
    return len(written)


# ---- articles, kinds, outcomes ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Article:
    code: str | None  # CC, AdmC, CivC
    number: str | None  # 274, 73-3, 456-2
    kind: str | None

    @property
    def normalized(self) -> str | None:
        return f"{self.code} {self.number}" if self.code and self.number else None


def _words_pattern(words: list[str]) -> str:
    return "|".join(re.escape(w.casefold()) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=None)
def _article_patterns():
    rules = case_rules()
    codes = []
    for code, spec in rules["codes"].items():
        for name in spec["names"]:
            pattern = re.escape(name.casefold()).replace(r"\ ", r"\s+")
            codes.append((re.compile(rf"(?<!\w){pattern}(?!\w)"), code, spec["kind"]))
    article = re.compile(rf"(?<!\w)(?:{_words_pattern(rules['article_words'])})\.?\s*(\d+(?:-\d+)?)")
    part = re.compile(rf"(?<!\w)(?:{_words_pattern(rules['part_words'])})\.?\s*$")
    return codes, article, part


def normalize_article(written: object) -> Article | None:
    """'ГК РК ст. 143' → CivC 143, 'ч. 1 ст. 456-2 КоАП' → AdmC 456-2, 'AdmC 73-3' → AdmC 73-3; None for nothing."""
    if written is None or not str(written).strip():
        return None
    text = str(written).casefold().replace("ё", "е").replace("–", "-").replace("—", "-")
    codes, article_word, part_word = _article_patterns()
    found = [(m.start(), code, kind) for pattern, code, kind in codes if (m := pattern.search(text))]
    code, kind = (min(found)[1], min(found)[2]) if found else (None, None)
    match = article_word.search(text)
    number = match.group(1) if match else None
    if number is None:
        # No "Art."/"ст.": the first number that is not a part ("AdmC 73-3", "КоАП 456-2 ч. 1").
        for candidate in re.finditer(r"(?<![\w-])(\d+(?:-\d+)?)(?![\w-])", text):
            if not part_word.search(text[:candidate.start()]):
                number = candidate.group(1)
                break
    return Article(code, number, kind)


def case_kind(article: Article | None, category_code: str) -> str:
    rules = case_rules()
    if article and article.kind:
        return article.kind
    return rules["kind_by_category"].get(category_code, rules["default_kind"])


@lru_cache(maxsize=None)
def _outcome_words() -> dict[str, str]:
    return {fold(w): code for code, words in case_rules()["outcomes"].items() for w in (code, *words)}


def parse_outcome(written: object, stage: str | None = None) -> str | None:
    """The outcome code a wording means (unknown wordings are kept as written), else the one the stage implies."""
    if written is not None and str(written).strip():
        return _outcome_words().get(fold(written), str(written).strip())
    return case_rules()["outcome_by_stage"].get(stage)


# ---- the rebuild --------------------------------------------------------------------------------------------

def _payload_fields(payload: dict | None) -> dict[str, str]:
    """Case details by presswatch field from a loaded row keyed by header text as written."""
    found: dict[str, str] = {}
    for header, value in (payload or {}).items():
        name = field_for(header)
        if name in PAYLOAD_FIELDS and value not in (None, "") and name not in found:
            found[name] = str(value).strip()
    return found


def _amount(value: str | None, case_ref: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return parse_amount(value)
    except ValueError as exc:
        log.warning("case %s: amount awarded ignored: %s", case_ref, exc)
        return None


def build_events(reports: list[dict]) -> list[tuple]:
    """Events (rows of core.legal_case_event) from the reports on cases, ordered by case, date, report."""
    events = []
    sequence, previous_case = 0, None
    for r in reports:
        sequence = sequence + 1 if r["case_ref"] == previous_case else 1
        previous_case = r["case_ref"]
        extra = _payload_fields(r["payload"])
        article = normalize_article(r["legal_article"])
        plaintiff_type = (
            actor_type_of(extra["plaintiff_type"]) if "plaintiff_type" in extra
            else actor_type_of(r["perpetrator_type"]) if r["perpetrator_type"]
            else actor_type_of(r["plaintiff"]) if r["plaintiff"]
            else None
        )
        counted = sequence == 1 and (r["case_stage"] or "new_claim") == "new_claim"
        events.append((
            r["report_key"], r["case_ref"], sequence, r["event_date"], r["event_month"], r["category_code"],
            r["case_stage"], counted, case_kind(article, r["category_code"]), r["legal_article"],
            article.normalized if article else None, r["plaintiff"], plaintiff_type, r["outlet"],
            extra.get("journalist") or r["affected"], extra.get("court"), r["amount_claimed_kzt"],
            _amount(extra.get("amount_awarded_kzt"), r["case_ref"]), parse_outcome(extra.get("outcome"), r["case_stage"]),
        ))
    return events


def refresh(conn: psycopg.Connection) -> int:
    """Rebuild core.legal_case and core.legal_case_event from core.report in one transaction; returns cases."""
    with conn.transaction():
        sync_actor_types(conn)
        map_actor_wordings(conn)
        with conn.cursor(row_factory=dict_row) as cur:
            reports = cur.execute(statement("core/legal_case_reports.sql")).fetchall()
        events = build_events(reports)
        conn.execute("DELETE FROM core.legal_case")  # cascades to the events
        conn.execute("DROP TABLE IF EXISTS pg_temp.legal_case_event_input")
        conn.execute("CREATE TEMP TABLE legal_case_event_input (LIKE core.legal_case_event) ON COMMIT DROP")
        copy_rows(conn, "legal_case_event_input", EVENT_COLUMNS, events)
        conn.execute(statement("core/legal_case_refresh.sql"))
        conn.execute(f"INSERT INTO core.legal_case_event ({', '.join(EVENT_COLUMNS)}) "
                     f"SELECT {', '.join(EVENT_COLUMNS)} FROM legal_case_event_input")
        conn.execute("DROP TABLE legal_case_event_input")
        (count,) = conn.execute("SELECT count(*) FROM core.legal_case").fetchone()
    log.info("legal cases rebuilt: %d cases, %d events", count, len(events))
    return count
