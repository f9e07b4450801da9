"""All files of a month's drafts: Markdown and Word per language, with their charts.

Rendering happens in two steps so a re-run can tell whether anything changed before it numbers a
version: ``compose`` renders the content with the version and generation date left as placeholders
and fingerprints it; ``finish`` fills them in and builds the Word files.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import psycopg

from ..warehouse.sql_files import statement
from . import charts, versions
from .docx import render_docx
from .draft_data import DraftData
from .language import load_language, organisation
from .markdown import GENERATED_PLACEHOLDER, localized, render_markdown
from .storage import draft_name

VERSION_PLACEHOLDER = "@@VERSION@@"
PLAN = ".render.json"


def chart_name(month: dt.date, chart: str, language: str) -> str:
    return f"monitoring-{month:%Y-%m}.{chart}.{language}.png"


@dataclass
class Composed:
    data: DraftData
    languages: tuple[str, ...]
    markdown: dict[str, str]          # language -> Markdown with placeholders
    images: dict[str, bytes]          # file name -> PNG
    fingerprint: str


def compose(data: DraftData, languages: tuple[str, ...]) -> Composed:
    markdown, images = {}, {}
    for language in languages:
        t = load_language(language)
        labels = {g["code"]: localized(g, "label", language) for g in data.groups}
        names = {"groups": chart_name(data.month, "groups", language),
                 "regions": chart_name(data.month, "regions", language)}
        images[names["groups"]] = charts.groups_chart(data, t, labels)
        images[names["regions"]] = charts.regions_chart(data, t, f"name_{language}")
        markdown[language] = render_markdown(data, language, generated=GENERATED_PLACEHOLDER, charts=names,
                                             draft_version=VERSION_PLACEHOLDER)
    parts = {draft_name(data.month, lang, "md"): text.encode("utf-8") for lang, text in markdown.items()}
    return Composed(data, tuple(languages), markdown, images, versions.fingerprint({**parts, **images}))


def finish(composed: Composed, version: int, generated: dt.datetime) -> dict[str, bytes]:
    """Every file of the version: Markdown and Word per language, and the charts they show."""
    files: dict[str, bytes] = {}
    month = composed.data.month
    org = organisation()
    for language, template in composed.markdown.items():
        t = load_language(language)
        text = template.replace(GENERATED_PLACEHOLDER, generated.date().isoformat()).replace(
            VERSION_PLACEHOLDER, str(version))
        files[draft_name(month, language, "md")] = text.encode("utf-8")
        files[draft_name(month, language, "docx")] = render_docx(
            text, composed.images, title=t.text("title", **t.month_values(month)),
            author=org["names"].get(language) or org["names"]["en"], locale=t.strings.get("locale", language),
            created=generated.replace(microsecond=0),
        )
    return {**files, **composed.images}


def loaded_since(conn: psycopg.Connection, month: dt.date, since: str) -> tuple[int, int]:
    """Reports of the month (and the files they came in) loaded after ``since``: the late reports."""
    return conn.execute(statement("reports/loaded_since.sql"), {"month": month, "since": since}).fetchone()


def write_plan(folder: Path, plan: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PLAN).write_text(json.dumps(plan, ensure_ascii=False, indent=2), encoding="utf-8")


def read_plan(folder: Path) -> dict:
    return json.loads((folder / PLAN).read_text(encoding="utf-8"))


def is_draft(name: str) -> bool:
    return name.endswith((".md", ".docx")) and name.startswith("monitoring-")
