"""The Word draft, built from the Markdown draft so both formats say exactly the same.

The Markdown is our own template's output, a small known subset: headings (#, ##), a quote line, bullet
lists (two levels), pipe tables with an alignment row, images, paragraphs with hard line breaks, and
inline **bold**, _italic_ and backslash escapes. Each becomes the real Word construct (heading styles,
tables with a repeated header row, embedded pictures), so editors can restyle and navigate the file.
Output is reproducible: fixed document properties and fixed zip timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

TABLE_ALIGN_ROW = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")
IMAGE = re.compile(r"^!\[(?P<caption>[^\]]*)\]\((?P<file>[^)]+)\)\s*$")
FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def split_row(line: str) -> list[str]:
    """Cells of a pipe-table row; escaped pipes stay in their cell."""
    cells, current, escaped = [], "", False
    for char in line.strip()[1:]:
        if escaped:
            current += "\\" + char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            cells.append(current.strip())
            current = ""
        else:
            current += char
    return cells


def inline_runs(text: str) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) runs of a line of our Markdown."""
    runs: list[tuple[str, bool, bool]] = []
    bold = italic = False
    current = ""
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current += text[i + 1]
            i += 2
            continue
        if text.startswith("**", i) or char == "_":
            if current:
                runs.append((current, bold, italic))
                current = ""
            if char == "_":
                italic = not italic
                i += 1
            else:
                bold = not bold
                i += 2
            continue
        current += char
        i += 1
    if current:
        runs.append((current, bold, italic))
    return runs


def _add_runs(paragraph, text: str, force_bold: bool = False) -> None:
    for chunk, bold, italic in inline_runs(text):
        run = paragraph.add_run(chunk)
        run.bold = bold or force_bold or None
        run.italic = italic or None


def _set_language(document, locale: str) -> None:
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement

    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), locale)
    lang.set(qn("w:eastAsia"), locale)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _keep_row_on_one_page(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _column_widths(rows: list[list[str]], columns: int, total_inches: float = 6.3) -> list[float]:
    """Widths in inches by the text of each column: long labels get room (up to a cap), and no column
    is narrower than its longest word, so dates, amounts and headings never break inside a word."""
    weights = []
    for c in range(columns):
        texts = [inline_text(r[c]) for r in rows if c < len(r)]
        longest_word = max((len(w) for t in texts for w in t.split(" ")), default=4)  # not at no-break spaces
        weights.append(min(40, max(longest_word + 2, 8, max((len(t) for t in texts), default=0) // 3)))
    return [total_inches * w / sum(weights) for w in weights]


def inline_text(text: str) -> str:
    return "".join(chunk for chunk, _, _ in inline_runs(text))


def _add_table(document, lines: list[str]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches

    header = split_row(lines[0])
    aligns = [cell.strip().endswith(":") for cell in split_row(lines[1])]
    body = [split_row(line) for line in lines[2:]]
    table = document.add_table(rows=1 + len(body), cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    _repeat_header(table.rows[0])
    widths = _column_widths([header] + body, len(header))
    for c, width in enumerate(widths):
        table.columns[c].width = Inches(width)  # the grid LibreOffice lays out by; Word reads the cells
    for r, cells in enumerate([header] + body):
        _keep_row_on_one_page(table.rows[r])
        for c in range(len(header)):
            table.cell(r, c).width = Inches(widths[c])
            paragraph = table.cell(r, c).paragraphs[0]
            _add_runs(paragraph, cells[c] if c < len(cells) else "", force_bold=(r == 0))
            if c < len(aligns) and aligns[c]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _reproducible(blob: bytes) -> bytes:
    """The same package with fixed member timestamps (python-docx stamps the current time)."""
    source = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def render_docx(markdown: str, images: dict[str, bytes], *, title: str, author: str, locale: str,
                created: dt.datetime) -> bytes:
    """The Word file of a Markdown draft; ``images`` holds the bytes of the pictures it references."""
    from docx import Document
    from docx.shared import Inches

    document = Document()
    _set_language(document, locale)
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = title, author, author
    properties.created = properties.modified = created
    properties.revision = 1

    lines = markdown.splitlines()
    paragraph_lines: list[str] = []

    def flush() -> None:
        if not paragraph_lines:
            return
        paragraph = document.add_paragraph()
        for n, line in enumerate(paragraph_lines):
            hard_break = line.endswith("  ")
            _add_runs(paragraph, line.strip())
            if n < len(paragraph_lines) - 1:
                paragraph.add_run().add_break() if hard_break else paragraph.add_run(" ")
        paragraph_lines.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if line.startswith("{#"):
            i += 1
            continue
        if not stripped:
            flush()
        elif stripped.startswith("|") and i + 1 < len(lines) and TABLE_ALIGN_ROW.match(lines[i + 1].strip()):
            flush()
            end = i + 2
            while end < len(lines) and lines[end].strip().startswith("|"):
                end += 1
            _add_table(document, lines[i:end])
            i = end
            continue
        elif line.startswith("## "):
            flush()
            _add_runs(document.add_heading(level=2), line[3:].strip())
        elif line.startswith("# "):
            flush()
            _add_runs(document.add_heading(level=1), line[2:].strip())
        elif line.startswith("> "):
            flush()
            _add_runs(document.add_paragraph(style="Quote"), line[2:].strip())
        elif line.startswith("- ") or line.startswith("  - "):
            flush()
            style = "List Bullet 2" if line.startswith("  ") else "List Bullet"
            _add_runs(document.add_paragraph(style=style), stripped[2:])
        elif IMAGE.match(stripped):
            flush()
            match = IMAGE.match(stripped)
            document.add_picture(io.BytesIO(images[match["file"]]), width=Inches(6.3))
            _add_runs(document.add_paragraph(style="Caption"), match["caption"])
        else:
            paragraph_lines.append(line)
        i += 1
    flush()
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible(buffer.getvalue())


def docx_text(blob: bytes) -> str:
    """All text of a Word file: paragraphs and table cells (what a reader of the file can see)."""
    from docx import Document

    document = Document(io.BytesIO(blob))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    parts += [document.core_properties.title or "", document.core_properties.author or ""]
    return "\n".join(parts)
