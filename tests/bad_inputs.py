"""Files correspondents send, made in the tests: other formats (xls, ods, tsv) and a corpus of bad ones.

Every bad file or row comes with what intake must say about it, so a test can check that nothing crashed,
nothing else was affected, and the reason is precise.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from tests.workbooks import EN_HEADERS, RU_HEADERS, report, write_csv, write_xlsx

KK_HEADERS = {
    "report_id": "Хабарлама №", "event_date": "Оқиға күні", "region": "Облыс", "locality": "Елді мекен",
    "category": "Санат", "outlet": "БАҚ", "summary": "Сипаттама", "source": "Дереккөз",
    "appealed": "Полицияға жүгіну", "confidential": "Құпия",
}


def _columns(rows: list[dict]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    return columns


def write_xls(path: Path, rows: list[dict], headers: dict = RU_HEADERS, title_rows: list[str] = (),
              sheet: str = "Отчёт") -> Path:
    """An Excel 97-2003 workbook (BIFF8), dates as real date cells."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    page = book.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    line = 0
    for title in title_rows:
        page.write(line, 0, title)
        line += 1
    columns = _columns(rows)
    for index, column in enumerate(columns):
        page.write(line, index, headers.get(column, column))
    for row in rows:
        line += 1
        for index, column in enumerate(columns):
            value = row.get(column)
            if isinstance(value, dt.date):
                page.write(line, index, dt.datetime.combine(value, dt.time()), date_style)
            elif value is not None:
                page.write(line, index, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return path


def _ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, dt.date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value:%Y-%m-%d}">'
                f"<text:p>{value:%d.%m.%Y}</text:p></table:table-cell>")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def write_ods(path: Path, sheets: dict[str, list[list]], encrypted: bool = False) -> Path:
    """An OpenDocument spreadsheet written by hand (the format is a zip of XML), one grid per sheet."""
    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join("<table:table-row>" + "".join(_ods_cell(v) for v in line) + "</table:table-row>" for line in grid)
        + "</table:table>"
        for name, grid in sheets.items()
    )
    return write_ods_content(path, tables, encrypted)


def write_ods_content(path: Path, tables: str, encrypted: bool = False) -> Path:
    """An OpenDocument spreadsheet around the tables' XML as given (a zip of XML); ``encrypted`` marks
    content.xml as encrypted in the manifest, as a password-protected file does."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    encryption = '<manifest:encryption-data manifest:checksum-type="SHA1/1K"/>' if encrypted else ""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{encryption}'
        "</manifest:file-entry></manifest:manifest>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def grid(rows: list[dict], headers: dict) -> list[list]:
    columns = _columns(rows)
    return [[headers.get(c, c) for c in columns]] + [[r.get(c) for c in columns] for r in rows]


def write_encrypted_xlsx(path: Path, rows: list[dict]) -> Path:
    """A workbook saved with a password, as Excel does it (an OLE2 container around the encrypted package)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_xlsx(path.with_suffix(".plain.xlsx"), rows)
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    plain.unlink()
    return path


def write_zip_bomb(path: Path, inflated_bytes: int = 16 * 1024 * 1024) -> Path:
    """An xlsx-shaped zip whose sheet inflates to tens of megabytes of nothing from a few tens of kilobytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1024 * 1024)
            for _ in range(inflated_bytes // len(block)):
                sheet.write(block)
    return path


@dataclass(frozen=True)
class BadFile:
    name: str
    reason: str  # a fragment quarantine.file.reason must contain


def bad_files(folder: Path) -> list[BadFile]:
    """Files that cannot be read at all, each with the reason intake must give."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []

    def add(name: str, reason: str, data: bytes | None = None) -> Path:
        if data is not None:
            (folder / name).write_bytes(data)
        made.append(BadFile(name, reason))
        return folder / name

    good = write_xlsx(folder / "_template.xlsx", [report()])
    whole = good.read_bytes()
    good.unlink()
    add("truncated.xlsx", "damaged", whole[: len(whole) // 2])
    write_encrypted_xlsx(add("with_password.xlsx", "password-protected"), [report()])
    write_ods(add("with_password.ods", "password-protected"), {"Лист1": grid([report()], RU_HEADERS)}, encrypted=True)
    add("empty.csv", "the file is empty", b"")
    add("blank_lines.csv", "the file is empty", b"\r\n \r\n\t\r\n")
    write_xlsx(add("no_data.xlsx", "the workbook is empty"), [], sheet="Лист1")
    add("scan.pdf", "not a spreadsheet", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    add("scan_renamed.xlsx", "PDF", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")
    add("web_page.xls", "web page (HTML)", "<html><body><table><tr><td>Дата события</td></tr></table></body></html>".encode())
    add("random.csv", "binary data", bytes(range(256)) * 8)
    write_zip_bomb(add("bomb.xlsx", "decompression bomb"))
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    add("letter.xlsx", "Word document", docx.getvalue())
    write_xlsx(add("no_header.xlsx", "no sheet has a recognizable header"), [], sheet="Лист1",
               extra_sheets={"Данные": [[1, 2, 3], [4, 5, 6]]})
    add("old_format.xlsx", "not a valid .xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    return made


# Rows that cannot be accepted, each with the column and the reason intake must name.
BAD_ROWS = [
    (report(event_date="32.03.2024"), "Дата события", "is not a calendar date"),
    (report(event_date="03/04/2024"), "Дата события", "ambiguous: 03.04.2024 or 04.03.2024"),
    (report(event_date="позавчера"), "Дата события", "is not a date"),
    (report(event_date=dt.date(2024, 5, 2)), "Дата события", "the date must be between"),
    (report(event_date="01.03.1924"), "Дата события", "the date must be between"),
    (report(region="Нарния"), "Регион", "is not a region or locality"),
    (report(locality="Атырау"), "Город", "not in Kostanay Region"),
    (report(category="что-то странное"), "Категория", "is not a category"),
    (report(summary=None), "Описание", "a value is required"),
    (report(source=None), "Источник", "a value is required"),
    (report(category="civil_claims", case_ref=None), "№ дела", "a legal claim needs a case reference"),
    (report(category="civil_claims", case_ref="2-9/2024", amount="1,500"), "Сумма иска, тенге", "ambiguous: 1 500 or 1.50"),
    (report(category="civil_claims", case_ref="2-8/2024", amount="десять долларов"), "Сумма иска, тенге", "not an amount"),
    (report(confidential="может быть"), "Конфиденциально", "is not yes or no"),
    (report(case_stage="на луне"), "Стадия", "not a known case stage"),
    (report(report_id="A-7"), "№ сообщения", "already given in"),  # the second row with id A-7
    (report(report_id="A-8", duplicate_of="A-999"), "Дубликат", "no report with id A-999 is known"),
    (report(report_id="A-9", duplicate_of="A-9"), "Дубликат", "cannot be a duplicate of itself"),
    # A formula cell that was never calculated (no cached value) reads as empty.
    (report(summary="=CONCATENATE(A1,B1)"), "Описание", "no saved value"),
]
BAD_ROW_HEADERS = {**RU_HEADERS, "report_id": "№ сообщения", "duplicate_of": "Дубликат"}


def bad_rows_workbook(path: Path) -> tuple[list[tuple[int, str, str]], int]:
    """A workbook of good and bad rows; returns (row number, column, reason) per bad row and the good count."""
    rows = [report(report_id="A-7", summary="Первое сообщение с номером A-7")]
    expected = []
    for values, column, reason in BAD_ROWS:
        rows.append(values)
        expected.append((len(rows) + 1, column, reason))
    # Formula-like text is no error: it is stored as the text it is.
    rows.append(report(summary="-5 градусов, акимат закрыт", outlet="+7 777", source="@tip"))
    rows.append(report(summary="'); DROP TABLE core.report; --"))
    write_xlsx(path, rows, headers=BAD_ROW_HEADERS)
    return expected, 3


def unseen_inbox(folder: Path) -> dict[str, tuple[int, int]]:
    """An inbox in layouts no other test uses; returns (loaded, quarantined) per file."""
    expected = {}
    # Kazakh headers, under a title block, after an instructions sheet, other column order, an extra column,
    # Kazakh categories, Kazakh dates as text, Kazakh yes/no.
    kk_rows = [
        {"summary": "Әкімдік ақпарат беруден бас тартты", "event_date": "15 наурыз 2024", "region": "Қостанай облысы",
         "category": "Ақпарат беруден бас тарту", "source": "тілші", "appealed": "жоқ", "Ескерту": "тексерілді"},
        {"summary": "Журналиске қоқан-лоқы көрсетілді", "event_date": "2024 жылғы 20 наурыз", "region": "СҚО",
         "category": "Қоқан-лоқы", "source": "тілші", "appealed": "иә", "Ескерту": ""},
        {"summary": "Сайт бұғатталды", "event_date": "22.03.24", "region": "Алматы облысы", "locality": "Қонаев",
         "category": "Бұғаттау", "source": "БАҚ", "appealed": "жоқ"},
        {"summary": "Белгісіз санат", "event_date": "23.03.2024", "region": "Қостанай облысы",
         "category": "Бір нәрсе", "source": "тілші"},
    ]
    kk = folder / "2024-03" / "qostanay_nauryz.xlsx"
    write_xlsx(kk, kk_rows, headers=KK_HEADERS, title_rows=["Сөз бостандығын бұзу мониторингі", "Наурыз 2024", ""],
               sheet="Есеп", extra_sheets={"Нұсқаулық": [["Әр жолға бір хабарлама"], ["Күні: КК.АА.ЖЖЖЖ"]]})
    _move_sheet_first(kk, "Нұсқаулық")
    expected["2024-03/qostanay_nauryz.xlsx"] = (3, 1)
    # Excel 97-2003 with real date cells and Russian headers, columns in another order.
    xls_rows = [
        {"category": "Угрозы", "event_date": dt.date(2024, 3, 4), "summary": "Угрозы редактору", "region": "ВКО",
         "locality": "Усть-Каменогорск", "source": "редакция"},
        {"category": "Нападения", "event_date": dt.date(2024, 3, 5), "summary": "Нападение на оператора",
         "region": "г. Шымкент", "source": "полиция"},
    ]
    write_xls(folder / "2024-03" / "vko.xls", xls_rows, title_rows=["Мониторинг за март"])
    expected["2024-03/vko.xls"] = (2, 0)
    # OpenDocument with English headers and Excel-style dates, two data sheets.
    en = [report(region="Mangystau Region", locality="Aktau", category="detentions", outlet="Lada",
                 summary="Journalist detained for two hours", source="correspondent", event_date=dt.date(2024, 3, 7))]
    en2 = [report(region="Atyrau Region", locality=None, category="accreditation_denial", outlet="Azattyq",
                  summary="Accreditation refused", source="correspondent", event_date=45370)]
    write_ods(folder / "2024-03" / "west.ods", {"Week 1": grid(en, EN_HEADERS), "Notes": [["checked by editor"]],
                                                "Week 2": grid(en2, EN_HEADERS)})
    expected["2024-03/west.ods"] = (2, 0)
    # cp1251 CSV, comma-delimited, descriptions with commas and quotes.
    csv_rows = [
        report(summary='Акимат, вопреки закону, не ответил на запрос "Тобол-Инфо"', region="Костанайская обл."),
        report(summary="Отказ, снова, в доступе", event_date="15 марта 2024", category="Отказ в аккредитации"),
        report(summary="Неизвестный регион", region="Атлантида"),
    ]
    write_csv(folder / "2024-03" / "sever.csv", csv_rows, encoding="cp1251", delimiter=",")
    expected["2024-03/sever.csv"] = (2, 1)
    # Tab-separated UTF-8 with BOM.
    write_csv(folder / "2024-03" / "yug.tsv", [report(region="Туркестанская область", locality=None)],
              encoding="utf-8-sig", delimiter="\t")
    expected["2024-03/yug.tsv"] = (1, 0)
    return expected


def _move_sheet_first(path: Path, name: str) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book[name]
    book.move_sheet(sheet, offset=-book.index(sheet))
    book.save(path)


def refuse_in_the_warehouse(conn, path_fragment: str = "refused", trigger: str = "refuse_one_file") -> None:
    """Make the warehouse refuse the rows of files whose path contains ``path_fragment``: a refusal only the
    server can make (a trigger standing in for, say, a constraint a migration added). The function is
    temporary; drop the trigger when done."""
    from psycopg import sql

    conn.execute("""CREATE FUNCTION pg_temp.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF (SELECT inbox_path FROM raw.file WHERE file_id = NEW.file_id) LIKE '%' || TG_ARGV[0] || '%' THEN
                            RAISE EXCEPTION 'refused by the test';
                        END IF;
                        RETURN NEW;
                    END $$""")
    conn.execute(sql.SQL("CREATE TRIGGER {} BEFORE INSERT ON raw.row FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse({})")
                 .format(sql.Identifier(trigger), sql.Literal(path_fragment)))
