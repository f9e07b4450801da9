"""Two gaps of correspondent intake: a header written over two rows (group cells merged over sub-headers),
and formula cells a script saved without their calculated value."""

import datetime as dt
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape


from include.presswatch.intake import ingest_file, ingest_inbox
from include.presswatch.normalize.headers import HEADER_SEARCH_ROWS
from include.presswatch.sources.formulas import _CHUNK_BYTES as FORMULA_SCAN_CHUNK_BYTES
from include.presswatch.sources.workbooks import formula_without_value, read_workbook
from tests.test_intake_bad_inputs import unaccounted_rows
from tests.bad_inputs import write_ods_content
from tests.workbooks import RU_HEADERS, report, write_csv, write_xlsx

TODAY = dt.date(2024, 4, 10)

# A title, then a header over rows 2-3: "Событие" merged over "Дата" and "Регион"; "№", "Категория",
# "Описание" and "Источник" each merged over both rows; "Сумма иска" over "тенге" (not merged).
TWO_ROW_HEADER = [
    ["Мониторинг за март 2024", None, None, None, None, None, None],
    ["№", "Событие", None, "Категория", "Описание", "Источник", "Сумма иска"],
    [None, "Дата", "Регион", None, None, None, "тенге"],
]
TWO_ROW_MERGES = ["B2:C2", "A2:A3", "D2:D3", "E2:E3", "F2:F3"]


def two_row_header_rows(count: int) -> list[list]:
    return [
        [f"R-{n}", dt.date(2024, 3, 10 + n), "Костанайская область", "threats", f"Угрозы редакции, случай {n}",
         "корреспондент", None]
        for n in range(1, count + 1)
    ]


def write_grid_xlsx(path: Path, grid: list[list], merges: list[str] = ()) -> Path:
    """An xlsx as openpyxl writes it: a string starting with '=' becomes a formula without a saved value."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Март"
    for line in grid:
        sheet.append(line)
    for cells in merges:
        sheet.merge_cells(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def rewrite_sheet_xml(path: Path, change) -> None:
    """Edit the first sheet's XML in place, as another program would have written it."""
    with zipfile.ZipFile(path) as archive:
        parts = {info: archive.read(info.filename) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts.items():
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            archive.writestr(info.filename, data)


def fields_of(sheet, row) -> dict:
    return {field: row.cells[i] for i, field in sheet.header.columns.items() if i < len(row.cells)}


# --- A header over two rows ------------------------------------------------------------------------------


def test_group_cells_merged_over_sub_headers_read_as_one_header(tmp_path):
    path = write_grid_xlsx(tmp_path / "a.xlsx", TWO_ROW_HEADER + two_row_header_rows(2), TWO_ROW_MERGES)

    (sheet,) = read_workbook(path).sheets

    assert sheet.header.columns == {
        0: "report_id", 1: "event_date", 2: "region", 3: "category", 4: "summary", 5: "source",
        6: "amount_claimed_kzt",
    }
    assert sheet.header.headers[6] == "Сумма иска тенге"
    assert sheet.header.missing_required == []
    assert (sheet.header.row_index, sheet.header.height) == (2, 2), "the lower header row is row 3"
    assert [row.row_number for row in sheet.rows] == [4, 5], "row numbers are the spreadsheet's"
    assert fields_of(sheet, sheet.rows[1])["summary"] == "Угрозы редакции, случай 2"


def test_words_of_a_header_split_over_two_rows_are_read_together(tmp_path):
    grid = [
        ["Дата", "Регион", "Категория", "Описание", "Источник"],
        ["события", None, None, None, None],
        ["12.03.2024", "Костанайская область", "threats", "Угрозы", "корреспондент"],
    ]
    path = tmp_path / "a.csv"
    path.write_text("\n".join(";".join(c or "" for c in line) for line in grid), encoding="utf-8")

    (sheet,) = read_workbook(path).sheets

    assert sheet.header.headers[0] == "Дата события"
    assert sheet.header.columns[0] == "event_date"
    assert [row.row_number for row in sheet.rows] == [3]


def test_a_one_row_header_is_not_joined_with_a_title_or_the_first_data_row(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [report(), report(summary="Второе")], title_rows=["Отчёт", ""])

    (sheet,) = read_workbook(path).sheets

    assert (sheet.header.row_index, sheet.header.height) == (2, 1)
    assert [row.row_number for row in sheet.rows] == [4, 5]


def test_a_group_row_that_already_names_fields_takes_the_sub_headers_below_it(tmp_path):
    # The upper row alone names three required fields, enough for a header: the lower row must still join it,
    # else "Дата" and "Регион" would be read as a data row and the dates and regions lost.
    path = write_grid_xlsx(tmp_path / "a.xlsx", TWO_ROW_HEADER[1:] + two_row_header_rows(1), ["B1:C1"])

    (sheet,) = read_workbook(path).sheets

    assert sheet.header.missing_required == []
    assert [row.row_number for row in sheet.rows] == [3]


def test_a_two_row_header_workbook_loads_with_correct_counts(conn, inbox):
    write_grid_xlsx(inbox / "correspondents" / "2024-03" / "two_rows.xlsx",
                    TWO_ROW_HEADER + two_row_header_rows(5), TWO_ROW_MERGES)

    outcome = ingest_file(conn, inbox, "2024-03/two_rows.xlsx", TODAY)

    assert (outcome.status, outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (
        "loaded", 5, 5, 0), outcome.describe()
    assert unaccounted_rows(conn) == []
    reports = conn.execute(
        "SELECT row_number, external_id, event_date, region_code, category_code FROM core.report ORDER BY row_number"
    ).fetchall()
    assert reports[0] == (4, "R-1", dt.date(2024, 3, 11), "kostanay", "threats")
    assert [r[0] for r in reports] == [4, 5, 6, 7, 8]
    (sheets,) = conn.execute("SELECT sheets FROM raw.file").fetchone()
    assert [(s["header_row"], s["missing_columns"]) for s in sheets] == [(3, [])]


# Group cells merged across two columns each, over their sub-headers: "Место / Place" over "Регион" and
# "Город", "Тип" over "нарушителя" and "истца", "Сумма" over "иска" and "взыскания"; the other headers are
# each merged over both rows.
GROUPED_HEADER = [
    ["№ сообщения", "Дата события", "Место / Place", None, "Категория", "Описание", "Источник", "№ дела", "Тип",
     None, "Сумма", None],
    [None, None, "Регион", "Город", None, None, None, None, "нарушителя", "истца", "иска", "взыскания"],
]
GROUPED_MERGES = ["C1:D1", "I1:J1", "K1:L1", "A1:A2", "B1:B2", "E1:E2", "F1:F2", "G1:G2", "H1:H2"]
GROUPED_FIELDS = {
    0: "report_id", 1: "event_date", 2: "region", 3: "locality", 4: "category", 5: "summary", 6: "source",
    7: "case_ref", 8: "perpetrator_type", 9: "plaintiff_type", 10: "amount_claimed_kzt", 11: "amount_awarded_kzt",
}


def grouped_rows(count: int) -> list[list]:
    return [
        [f"R-{n}", dt.date(2024, 3, 10 + n), "Костанайская область", "Костанай", "civil_claims",
         f"Иск к редакции, дело {n}", "корреспондент", f"2-{n}/2024", "частное лицо", "company", "5 000 000",
         f"{n}00 000"]
        for n in range(1, count + 1)
    ]


def test_a_group_label_merged_across_columns_is_read_over_each_of_its_sub_headers(tmp_path):
    path = write_grid_xlsx(tmp_path / "a.xlsx", GROUPED_HEADER + grouped_rows(1), GROUPED_MERGES)

    (sheet,) = read_workbook(path).sheets

    assert_each_sub_header_is_read_with_its_group_label(sheet)


def assert_each_sub_header_is_read_with_its_group_label(sheet) -> None:
    """GROUPED_HEADER read with GROUPED_MERGES: every column named, the first data row's values in their fields."""
    assert sheet.header.columns == GROUPED_FIELDS
    assert (sheet.header.headers[9], sheet.header.headers[11]) == ("Тип истца", "Сумма взыскания")
    assert (sheet.header.unknown, sheet.header.duplicates) == ([], [])
    assert (sheet.header.row_index, sheet.header.height) == (1, 2)
    assert {f: v for f, v in fields_of(sheet, sheet.rows[0]).items() if f.startswith(("plaintiff", "amount"))} == {
        "plaintiff_type": "company", "amount_claimed_kzt": "5 000 000", "amount_awarded_kzt": "100 000"}


def test_a_group_label_reaches_each_sub_header_in_an_xls_workbook(tmp_path):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    page = book.add_sheet("Март")
    for cells in GROUPED_MERGES:  # "A1:B1" → rows and columns 0-based, inclusive
        (first_column, first_row), (last_column, last_row) = (
            (ord(cell[0]) - ord("A"), int(cell[1:]) - 1) for cell in cells.split(":"))
        page.write_merge(first_row, last_row, first_column, last_column, GROUPED_HEADER[first_row][first_column])
    for index, value in enumerate(GROUPED_HEADER[1]):
        if value is not None:
            page.write(1, index, value)
    for index, value in enumerate(grouped_rows(1)[0]):
        page.write(2, index, value.isoformat() if isinstance(value, dt.date) else value)
    book.save(str(tmp_path / "a.xls"))

    (sheet,) = read_workbook(tmp_path / "a.xls").sheets

    assert sheet.header.columns == GROUPED_FIELDS


def test_sub_headers_that_name_a_field_alone_map_the_same_under_a_merged_group(tmp_path):
    # "Регион" and "Город" name fields; read as "Место / Place Регион" they would name none.
    with_merges = write_grid_xlsx(tmp_path / "merged.xlsx", GROUPED_HEADER + grouped_rows(1), GROUPED_MERGES)
    without = write_grid_xlsx(tmp_path / "plain.xlsx", GROUPED_HEADER + grouped_rows(1))

    (merged,) = read_workbook(with_merges).sheets
    (plain,) = read_workbook(without).sheets

    assert [(merged.header.columns[i], merged.header.headers[i]) for i in (2, 3)] == [
        ("region", "Регион"), ("locality", "Город")]
    assert {i: merged.header.columns[i] for i in plain.header.columns} == plain.header.columns


def test_without_merge_information_a_group_label_stays_over_its_first_column(tmp_path):
    # A CSV cannot say how far "Тип" or "Сумма" reached: "истца" and "взыскания" stay as written, unknown.
    path = tmp_path / "a.csv"
    path.write_text("\n".join(";".join("" if c is None else str(c) for c in line)
                              for line in GROUPED_HEADER + grouped_rows(1)), encoding="utf-8")

    (sheet,) = read_workbook(path).sheets

    assert sheet.header.columns == {i: f for i, f in GROUPED_FIELDS.items() if i not in (9, 11)}
    assert sheet.header.unknown == ["истца", "взыскания"]


BANNER = ["Мониторинг за март 2024"] + [None] * 11


def test_a_banner_merged_across_all_columns_stays_out_of_a_grouped_header(tmp_path):
    path = write_grid_xlsx(tmp_path / "a.xlsx", [BANNER] + GROUPED_HEADER + grouped_rows(2), [
        "A1:L1", *(shift_down(cells) for cells in GROUPED_MERGES)])

    (sheet,) = read_workbook(path).sheets

    assert_the_banner_stays_out_of_the_grouped_header(sheet)


def assert_the_banner_stays_out_of_the_grouped_header(sheet) -> None:
    """BANNER merged over all columns, above GROUPED_HEADER and two data rows."""
    assert (sheet.header.row_index, sheet.header.height) == (2, 2)
    assert sheet.header.columns == GROUPED_FIELDS
    assert not [text for text in sheet.header.headers.values() if "Мониторинг" in text]
    assert [row.row_number for row in sheet.rows] == [4, 5]


def test_a_banner_merged_across_all_columns_stays_out_of_a_one_row_header(tmp_path):
    path = write_grid_xlsx(tmp_path / "a.xlsx", [
        ["Мониторинг за март 2024", None, None, None, None, None],
        ["Дата события", "Регион", "Категория", "Описание", "Источник", "Примечание"],
        ["12.03.2024", "Костанайская область", "threats", "Угрозы", "корреспондент", "проверено"],
    ], ["A1:F1"])

    (sheet,) = read_workbook(path).sheets

    assert (sheet.header.row_index, sheet.header.height) == (1, 1)
    assert sheet.header.unknown == ["Примечание"]
    assert [row.row_number for row in sheet.rows] == [3]


def shift_down(cells: str) -> str:
    """A1:B1 → A2:B2."""
    return ":".join(f"{cell[0]}{int(cell[1:]) + 1}" for cell in cells.split(":"))


def test_a_workbook_with_group_labels_over_several_columns_loads_every_column(conn, inbox):
    write_grid_xlsx(inbox / "correspondents" / "2024-03" / "grouped.xlsx", GROUPED_HEADER + grouped_rows(3),
                    GROUPED_MERGES)

    (outcome,) = ingest_inbox(conn, inbox, TODAY)

    assert_every_grouped_column_is_loaded(conn, outcome)


def assert_every_grouped_column_is_loaded(conn, outcome) -> None:
    """A file of GROUPED_HEADER and grouped_rows(3), with GROUPED_MERGES, loaded whole."""
    assert (outcome.status, outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (
        "loaded", 3, 3, 0), outcome.describe()
    assert unaccounted_rows(conn) == []
    assert conn.execute(
        "SELECT row_number, external_id, locality_name, perpetrator_type FROM core.report ORDER BY row_number"
    ).fetchall() == [(3, "R-1", "Костанай", "частное лицо"), (4, "R-2", "Костанай", "частное лицо"),
                     (5, "R-3", "Костанай", "частное лицо")]
    assert conn.execute(
        "SELECT case_ref, plaintiff_type, amount_claimed_kzt, amount_awarded_kzt FROM core.legal_case ORDER BY case_ref"
    ).fetchall() == [("2-1/2024", "company", 5_000_000, 100_000), ("2-2/2024", "company", 5_000_000, 200_000),
                     ("2-3/2024", "company", 5_000_000, 300_000)]
    (sheets,) = conn.execute("SELECT sheets FROM raw.file").fetchone()
    assert [(s["header_row"], s["missing_columns"]) for s in sheets] == [(2, [])]


# --- Formula cells without a saved value -----------------------------------------------------------------


def test_a_formula_saved_without_its_value_is_named_on_its_row(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [
        report(), report(summary='=CONCATENATE("Угрозы ", "редакции")'), report(source="=F2"),
    ])

    (sheet,) = read_workbook(path).sheets

    assert [row.unreadable_cells for row in sheet.rows][0] == ()
    (summary,) = sheet.rows[1].unreadable_cells
    assert (sheet.header.columns[summary.index], summary.shown) == ("summary", '=CONCATENATE("Угрозы ", "редакции")')
    assert "no saved value" in summary.reason and "save it again" in summary.reason
    (source,) = sheet.rows[2].unreadable_cells
    assert (sheet.header.columns[source.index], source.shown) == ("source", "=F2")


def test_formulas_with_a_saved_value_or_an_empty_text_result_are_read_as_values(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [report(summary="=1+1"), report(outlet='=""')])
    # As a spreadsheet program saves them: the result kept beside the formula ("" as text for ="").
    rewrite_sheet_xml(path, lambda xml: xml.replace("<f>1+1</f><v></v>", "<f>1+1</f><v>2</v>").replace(
        '<c r="E3"><f>""</f><v></v></c>', '<c r="E3" t="str"><f>""</f><v></v></c>'))

    (sheet,) = read_workbook(path).sheets

    assert [row.unreadable_cells for row in sheet.rows] == [(), ()]
    assert fields_of(sheet, sheet.rows[0])["summary"] == 2


def test_formulas_in_rows_left_empty_are_no_problem(tmp_path):
    # A template with its formulas copied down below the filled rows.
    rows = [report()] + [dict.fromkeys(report(), None) | {"outlet": "=UPPER(B3)"} for _ in range(3)]
    path = write_xlsx(tmp_path / "a.xlsx", rows)

    (sheet,) = read_workbook(path).sheets

    assert [(row.row_number, row.unreadable_cells) for row in sheet.rows] == [(2, ())]


def assert_only_the_formula_row_is_quarantined(conn, outcome) -> None:
    """Row 3 of three, whose Описание holds =B2&C2 without a value, is quarantined saying so; the others load."""
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (3, 2, 1), outcome.describe()
    assert unaccounted_rows(conn) == []
    (row_number, message), = conn.execute("SELECT row_number, message FROM quarantine.row").fetchall()
    assert row_number == 3
    assert message.startswith("sheet Отчёт, row 3, column Описание: the cell holds the formula =B2&C2 but no saved value")
    assert "open the file in a spreadsheet program and save it again" in message


def test_a_formula_without_a_saved_value_quarantines_its_row_and_the_rest_loads(conn, inbox):
    write_xlsx(inbox / "correspondents" / "2024-03" / "scripted.xlsx", [
        report(), report(summary="=B2&C2"), report(summary="Третье сообщение"),
    ])

    outcome = ingest_file(conn, inbox, "2024-03/scripted.xlsx", TODAY)

    assert_only_the_formula_row_is_quarantined(conn, outcome)


def test_csv_is_not_searched_for_formulas(tmp_path):
    # A CSV holds text: "=B2" there is what the correspondent typed (and is made safe when written back).
    path = write_csv(tmp_path / "a.csv", [report(outlet="=B2")])
    (sheet,) = read_workbook(path).sheets
    assert sheet.rows[0].unreadable_cells == ()
    assert re.fullmatch("=B2", fields_of(sheet, sheet.rows[0])["outlet"])


# --- Formula cells without a saved value in an OpenDocument spreadsheet ----------------------------------


def ods_cell(value) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, str) and value.startswith("<table:"):
        return value  # written out already: a formula, a merge
    if isinstance(value, dt.date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value:%Y-%m-%d}">'
                f"<text:p>{value:%d.%m.%Y}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{xml_escape(str(value))}</text:p></table:table-cell>'


def ods_formula(formula: str, saved_value: str = "", saved_text: str | None = None) -> str:
    """A formula cell; ``saved_value``/``saved_text``: its result's attributes and text:p, as a program saves them."""
    attribute = xml_escape(formula, {'"': "&quot;"})
    cell = f'<table:table-cell table:formula="{attribute}" {saved_value}'
    return f"{cell}/>" if saved_text is None else f"{cell}><text:p>{xml_escape(saved_text)}</text:p></table:table-cell>"


def ods_row(values: dict | list, repeated: int = 1) -> str:
    cells = "".join(ods_cell(v) for v in (values.values() if isinstance(values, dict) else values))
    repeat = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{repeat}>{cells}</table:table-row>"


def ods_table(name: str, rows: list[str]) -> str:
    return f'<table:table table:name="{name}">{"".join(rows)}</table:table>'


ODS_HEADER = ods_row({field: RU_HEADERS[field] for field in report()})
# LibreOffice closes a sheet with the rest of its rows and columns, empty, as one repeated row.
ODS_REST_OF_SHEET = ('<table:table-row table:number-rows-repeated="1048566">'
                     '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')


def test_an_ods_formula_saved_without_its_value_is_named_on_its_row_and_column(tmp_path):
    path = write_ods_content(tmp_path / "a.ods", ods_table("Отчёт", [
        '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="7"/>'
        "</table:table-row>",  # rows 1-2, empty
        ODS_HEADER,  # row 3
        ods_row(report()),
        ods_row(report(summary=ods_formula('of:=CONCATENATE([.C5];" — ";[.E5])'))),
        ods_row(report(source=ods_formula("of:=[.E6]")), repeated=2),  # rows 6 and 7
        # As a spreadsheet program saves formulas: with their result (LibreOffice; older writers as text only).
        ods_row(report(
            locality=ods_formula('of:="Костанай"', 'office:value-type="string"', "Костанай"),
            outlet=ods_formula('of:=""', 'office:value-type="string" office:string-value=""', ""),
            summary=ods_formula('of:="Угрозы "&"редакции"',
                                'office:value-type="string" office:string-value="Угрозы редакции"', "Угрозы редакции"),
        )),
        # Row 9: the region merged over the city's column (a covered cell), three empty cells in one element.
        ods_row([dt.date(2024, 3, 12),
                 '<table:table-cell table:number-columns-spanned="2" office:value-type="string">'
                 "<text:p>Костанайская область</text:p></table:table-cell>",
                 "<table:covered-table-cell/>", '<table:table-cell table:number-columns-repeated="3"/>',
                 ods_formula("of:=[.E9]")]),
        ODS_REST_OF_SHEET,
    ]))

    (sheet,) = read_workbook(path).sheets

    assert [
        (row.row_number, [(sheet.header.columns[cell.index], cell.shown) for cell in row.unreadable_cells])
        for row in sheet.rows
    ] == [
        (4, []),
        (5, [("summary", '=CONCATENATE(C5;" — ";E5)')]),
        (6, [("source", "=E6")]),
        (7, [("source", "=E6")]),
        (8, []),
        (9, [("source", "=E9")]),
    ]
    assert {field: fields_of(sheet, sheet.rows[4])[field] for field in ("locality", "outlet", "summary")} == {
        "locality": "Костанай", "outlet": "", "summary": "Угрозы редакции"}
    assert sheet.rows[1].unreadable_cells[0].reason.startswith(
        'the cell holds the formula =CONCATENATE(C5;" — ";E5) but no saved value')


def test_an_ods_formula_cell_cut_by_the_scans_read_boundary_is_still_found(tmp_path):
    # content.xml is searched a chunk at a time: put the boundary inside the formula cell's start tag.
    def tables(padding: str) -> str:
        return (ods_table("Инструкция", [ods_row([padding])])
                + ods_table("Отчёт", [ODS_HEADER, ods_row(report(source=ods_formula("of:=[.E2]")))]))

    unpadded = write_ods_content(tmp_path / "a.ods", tables(""))
    with zipfile.ZipFile(unpadded) as archive:
        offset = archive.read("content.xml").index(b"table:formula")
    path = write_ods_content(tmp_path / "a.ods", tables("x" * (FORMULA_SCAN_CHUNK_BYTES - offset - 6)))
    with zipfile.ZipFile(path) as archive:
        assert archive.read("content.xml")[FORMULA_SCAN_CHUNK_BYTES - 6:][:13] == b"table:formula"

    book = read_workbook(path)

    assert [(sheet.name, [row.unreadable_cells for row in sheet.rows]) for sheet in book.sheets] == [
        ("Отчёт", [(formula_without_value(6, "=E2"),)])]


def test_an_ods_formula_without_a_saved_value_quarantines_its_row_and_the_rest_loads(conn, inbox):
    write_ods_content(inbox / "correspondents" / "2024-03" / "scripted.ods", ods_table("Отчёт", [
        ODS_HEADER, ods_row(report()), ods_row(report(summary=ods_formula("of:=[.B2]&[.C2]"))),
        ods_row(report(summary="Третье сообщение")), ODS_REST_OF_SHEET,
    ]))

    outcome = ingest_file(conn, inbox, "2024-03/scripted.ods", TODAY)

    assert_only_the_formula_row_is_quarantined(conn, outcome)


# --- Merged cells of an OpenDocument spreadsheet ---------------------------------------------------------
# calamine gives no merged ranges for ods: they are read from content.xml, as far down as a header can reach.


def merged_range(cells: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """C1:D2 → ((0, 2), (1, 3)): first and last row and column, 0-based (columns A to Z)."""
    first, last = ((int(cell[1:]) - 1, ord(cell[0]) - ord("A")) for cell in cells.split(":"))
    return first, last


def merged_ods_rows(grid: list[list], merges: list[str] = ()) -> list[str]:
    """The grid's rows with its merged cells as LibreOffice writes them: the first cell spans the range, the
    others are covered cells (each takes its place on the grid and shows nothing)."""
    spans, covered = {}, set()
    for cells in merges:
        (first_row, first_column), (last_row, last_column) = merged_range(cells)
        spans[(first_row, first_column)] = (last_row - first_row + 1, last_column - first_column + 1)
        covered |= {(row, column) for row in range(first_row, last_row + 1)
                    for column in range(first_column, last_column + 1)} - {(first_row, first_column)}
    rows = []
    for row, line in enumerate(grid):
        cells = []
        for column, value in enumerate(line):
            if (row, column) in covered:
                cells.append("<table:covered-table-cell/>")
            elif (row, column) in spans:
                down, across = spans[(row, column)]
                cells.append(ods_cell(value).replace("<table:table-cell", (
                    f'<table:table-cell table:number-rows-spanned="{down}" table:number-columns-spanned="{across}"'), 1))
            else:
                cells.append(ods_cell(value))
        rows.append(ods_row(cells))
    return rows


def grouped_ods_table(name: str, grid: list[list], merges: list[str] = GROUPED_MERGES) -> str:
    """A sheet as LibreOffice saves it: column styles first, the header's two rows as the rows repeated on
    each printed page (a group of their own), the rest of the sheet as one empty repeated row at the end."""
    rows = merged_ods_rows(grid, merges)
    return ods_table(name, ['<table:table-column table:number-columns-repeated="12"/>',
                            f"<table:table-header-rows>{''.join(rows[:2])}</table:table-header-rows>",
                            *rows[2:], ODS_REST_OF_SHEET])


def unparsable(text: str) -> str:
    """A text cell whose paragraph is closed by the wrong tag: calamine reads it, the XML parser refuses it."""
    return f'<table:table-cell office:value-type="string"><text:p>{xml_escape(text)}</text:span></table:table-cell>'


def test_a_group_label_merged_across_columns_is_read_over_each_of_its_sub_headers_in_an_ods_sheet(tmp_path):
    path = write_ods_content(tmp_path / "a.ods", grouped_ods_table("Март", GROUPED_HEADER + grouped_rows(1)))

    (sheet,) = read_workbook(path).sheets

    assert_each_sub_header_is_read_with_its_group_label(sheet)


def test_an_ods_workbook_with_group_labels_over_several_columns_loads_every_column(conn, inbox):
    write_ods_content(inbox / "correspondents" / "2024-03" / "grouped.ods",
                      grouped_ods_table("Март", GROUPED_HEADER + grouped_rows(3)))

    (outcome,) = ingest_inbox(conn, inbox, TODAY)

    assert_every_grouped_column_is_loaded(conn, outcome)


def test_a_banner_merged_across_all_columns_stays_out_of_a_grouped_header_in_an_ods_sheet(tmp_path):
    path = write_ods_content(tmp_path / "a.ods", ods_table("Март", [*merged_ods_rows(
        [BANNER] + GROUPED_HEADER + grouped_rows(2), ["A1:L1", *(shift_down(cells) for cells in GROUPED_MERGES)],
    ), ODS_REST_OF_SHEET]))

    (sheet,) = read_workbook(path).sheets

    assert_the_banner_stays_out_of_the_grouped_header(sheet)


def test_an_ods_sheet_is_parsed_for_its_merges_no_further_than_a_header_can_reach(tmp_path):
    # A row the XML parser refuses, below the rows a header is searched in: the merges above it are read,
    # and so are those of the next sheet, which the rest of this one is searched through to find.
    rows = [list(row) for row in grouped_rows(1) * (HEADER_SEARCH_ROWS + 10)]
    below = HEADER_SEARCH_ROWS + 5
    rows[below - len(GROUPED_HEADER)][5] = unparsable("Иск к редакции, записан другой программой")
    path = write_ods_content(tmp_path / "a.ods", grouped_ods_table("Март", GROUPED_HEADER + rows)
                             + grouped_ods_table("Апрель", GROUPED_HEADER + grouped_rows(1)))

    march, april = read_workbook(path).sheets

    assert_each_sub_header_is_read_with_its_group_label(march)
    assert_each_sub_header_is_read_with_its_group_label(april)
    assert len(march.rows) == HEADER_SEARCH_ROWS + 10
    (unusual,) = [row for row in march.rows if row.row_number == below + 1]
    assert fields_of(march, unusual)["summary"] == "Иск к редакции, записан другой программой"


def test_an_ods_sheet_whose_top_the_xml_parser_refuses_is_read_without_merges_and_other_sheets_keep_theirs(
        tmp_path):
    path = write_ods_content(tmp_path / "a.ods", (
        ods_table("Заметки", [ods_row([unparsable("проверено редактором")])])
        + grouped_ods_table("Март", GROUPED_HEADER + grouped_rows(1))))

    book = read_workbook(path)

    assert [name for name, _ in book.skipped_sheets] == ["Заметки"]
    (march,) = book.sheets
    assert_each_sub_header_is_read_with_its_group_label(march)
