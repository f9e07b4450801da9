"""A header written over three rows or more, up to MAX_HEADER_ROWS: a group title merged over several groups,
their labels merged over sub-headers, the sub-headers, and above them a report title inside the table's frame;
or a header's words split over three or four stacked cells. Its columns are read with every row they need, data
starts below its last row, and neither a title above it nor a data row below it is read into it."""

import datetime as dt
from pathlib import Path

import pytest

from include.presswatch.intake import ingest_inbox
from include.presswatch.normalize.headers import HEADER_SEARCH_ROWS, MAX_HEADER_ROWS
from include.presswatch.sources.workbooks import read_workbook
from tests.bad_inputs import write_ods_content
from tests.test_intake_bad_inputs import unaccounted_rows
from tests.test_intake_headers_formulas import (ODS_REST_OF_SHEET, fields_of, grouped_rows, merged_ods_rows,
                                                merged_range, ods_table, shift_down, write_grid_xlsx)

TODAY = dt.date(2024, 4, 10)

# Row 1: group titles, "Событие" merged over B:E and "Судебное дело" over H:L; the other headers are merged
# down over all three rows. Row 2: group labels, "Место" over C:D, "Тип" over I:J, "Сумма" over K:L; "Дата",
# "Категория" and "№ дела" merged down over rows 2-3. Row 3: the sub-headers.
THREE_ROW_HEADER = [
    ["№ сообщения", "Событие", None, None, None, "Описание", "Источник", "Судебное дело", None, None, None, None],
    [None, "Дата", "Место", None, "Категория", None, None, "№ дела", "Тип", None, "Сумма", None],
    [None, None, "Регион", "Город", None, None, None, None, "нарушителя", "истца", "иска", "взыскания"],
]
THREE_ROW_MERGES = ["B1:E1", "H1:L1", "A1:A3", "F1:F3", "G1:G3",
                    "C2:D2", "I2:J2", "K2:L2", "B2:B3", "E2:E3", "H2:H3"]
THREE_ROW_FIELDS = {
    0: "report_id", 1: "event_date", 2: "region", 3: "locality", 4: "category", 5: "summary", 6: "source",
    7: "case_ref", 8: "perpetrator_type", 9: "plaintiff_type", 10: "amount_claimed_kzt", 11: "amount_awarded_kzt",
}
BANNER = ["Мониторинг нарушений свободы слова, март 2024"] + [None] * 11


def write_csv_grid(path: Path, grid: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(";".join("" if c is None else str(c) for c in line) for line in grid), encoding="utf-8")
    return path


def three_row_ods_table(name: str, grid: list[list], merges: list[str] = THREE_ROW_MERGES) -> str:
    """As LibreOffice saves it: the header's three rows repeated on each printed page (a group of their own),
    the rest of the sheet as one empty repeated row."""
    rows = merged_ods_rows(grid, merges)
    return ods_table(name, ['<table:table-column table:number-columns-repeated="12"/>',
                            f"<table:table-header-rows>{''.join(rows[:3])}</table:table-header-rows>",
                            *rows[3:], ODS_REST_OF_SHEET])


def assert_every_column_of_the_three_row_header_is_read(sheet, header_row: int = 2, height: int = 3) -> None:
    """THREE_ROW_HEADER read with THREE_ROW_MERGES, its last row at ``header_row`` (0-based), grouped_rows below;
    or a deeper header over the same columns (``height`` rows)."""
    assert sheet.header.columns == THREE_ROW_FIELDS
    # The group title stays out of a label its group's label and sub-header name a field with.
    assert [sheet.header.headers[i] for i in (2, 8, 9, 11)] == ["Регион", "Тип нарушителя", "Тип истца",
                                                                 "Сумма взыскания"]
    assert (sheet.header.unknown, sheet.header.duplicates, sheet.header.missing_required) == ([], [], [])
    assert (sheet.header.row_index, sheet.header.height) == (header_row, height)
    assert sheet.rows[0].row_number == header_row + 2, "data starts below the header's last row"
    assert {f: v for f, v in fields_of(sheet, sheet.rows[0]).items() if f in ("region", "plaintiff_type")} == {
        "region": "Костанайская область", "plaintiff_type": "company"}


def test_a_header_over_three_rows_with_merged_group_titles_reads_every_column(tmp_path):
    path = write_grid_xlsx(tmp_path / "a.xlsx", THREE_ROW_HEADER + grouped_rows(2), THREE_ROW_MERGES)

    (sheet,) = read_workbook(path).sheets

    assert_every_column_of_the_three_row_header_is_read(sheet)
    assert [row.row_number for row in sheet.rows] == [4, 5]


def test_a_header_over_three_rows_is_read_in_an_ods_sheet_with_its_merges(tmp_path):
    path = write_ods_content(tmp_path / "a.ods", three_row_ods_table("Март", THREE_ROW_HEADER + grouped_rows(2)))

    (sheet,) = read_workbook(path).sheets

    assert_every_column_of_the_three_row_header_is_read(sheet)
    assert [row.row_number for row in sheet.rows] == [4, 5]


def test_a_three_row_header_starting_at_the_last_row_searched_has_its_merges_read_in_an_ods_sheet(tmp_path):
    # Its group labels' merges start below the rows a header may start in: they are read as far as it reaches.
    first = HEADER_SEARCH_ROWS - 1
    merges = list(THREE_ROW_MERGES)
    for _ in range(first):
        merges = [shift_down(cells) for cells in merges]
    notes = [["Заполнять по инструкции"] + [None] * 11] + [[None] * 12] * (first - 1)
    path = write_ods_content(tmp_path / "a.ods", ods_table("Март", [
        *merged_ods_rows(notes + THREE_ROW_HEADER + grouped_rows(1), merges), ODS_REST_OF_SHEET]))

    (sheet,) = read_workbook(path).sheets

    assert_every_column_of_the_three_row_header_is_read(sheet, header_row=first + 2)


def test_a_title_band_above_a_three_row_header_stays_out_of_it(tmp_path):
    path = write_grid_xlsx(tmp_path / "a.xlsx", [BANNER] + THREE_ROW_HEADER + grouped_rows(2),
                           ["A1:L1", *(shift_down(cells) for cells in THREE_ROW_MERGES)])

    (sheet,) = read_workbook(path).sheets

    assert_every_column_of_the_three_row_header_is_read(sheet, header_row=3)
    assert not [text for text in sheet.header.headers.values() if "Мониторинг" in text]
    assert [row.row_number for row in sheet.rows] == [5, 6]


def test_words_of_a_header_split_over_three_rows_of_a_csv_are_read_together(tmp_path):
    path = write_csv_grid(tmp_path / "a.csv", [
        ["Дата", "Регион", "Категория", "Описание", "Источник", "Обращение", "Решение в", "Сумма"],
        ["события", None, None, None, None, "в правоохранительные", "пользу", "иска,"],
        [None, None, None, None, None, "органы", "журналиста", "тенге"],
        ["12.03.2024", "Костанайская область", "threats", "Угрозы редакции", "корреспондент", "да", "нет", "0"],
    ])

    (sheet,) = read_workbook(path).sheets

    assert sheet.header.columns == {
        0: "event_date", 1: "region", 2: "category", 3: "summary", 4: "source", 5: "appealed_to_police",
        6: "verdict_for_journalist", 7: "amount_claimed_kzt"}
    assert [sheet.header.headers[i] for i in (0, 5, 7)] == [
        "Дата события", "Обращение в правоохранительные органы", "Сумма иска, тенге"]
    assert (sheet.header.row_index, sheet.header.height) == (2, 3)
    assert [row.row_number for row in sheet.rows] == [4]


def test_without_merges_a_csv_header_over_three_rows_still_ends_at_its_last_row(tmp_path):
    # A CSV cannot say how far "Тип" or "Сумма" reached: "истца" and "взыскания" stay as written, unknown; the
    # sub-header row is still the header's, not a report.
    path = write_csv_grid(tmp_path / "a.csv", THREE_ROW_HEADER + grouped_rows(2))

    (sheet,) = read_workbook(path).sheets

    assert sheet.header.columns == {i: f for i, f in THREE_ROW_FIELDS.items() if i not in (9, 11)}
    assert sheet.header.unknown == ["истца", "взыскания"]
    assert (sheet.header.row_index, sheet.header.height) == (2, 3)
    assert [row.row_number for row in sheet.rows] == [4, 5]


def test_a_title_and_a_blank_row_above_a_one_row_header_stay_out_of_it(tmp_path):
    # Three rows above the data, as in a three-row header, but a blank one between: the header is the third
    # alone, and neither the title nor the first data row is read into it.
    header = ["Дата события", "Регион", "Категория", "Описание", "Источник", "Примечание"]
    data = [["12.03.2024", "Костанайская область", "threats", "Угрозы", "корреспондент", "Дата уточняется"],
            ["13.03.2024", "Костанайская область", "threats", "Звонки", "корреспондент", "проверено"]]
    grid = [["Мониторинг за март 2024"] + [None] * 5, [None] * 6, header, *data]
    workbook = write_grid_xlsx(tmp_path / "a.xlsx", grid, ["A1:F1"])
    text = write_csv_grid(tmp_path / "a.csv", grid)

    for path in (workbook, text):
        (sheet,) = read_workbook(path).sheets

        assert (sheet.header.row_index, sheet.header.height) == (2, 1), path.name
        assert sheet.header.headers == dict(enumerate(header)), path.name
        assert sheet.header.unknown == ["Примечание"], path.name
        assert [row.row_number for row in sheet.rows] == [4, 5], path.name


def test_a_workbook_with_a_three_row_header_loads_every_row_and_column(conn, inbox):
    write_grid_xlsx(inbox / "correspondents" / "2024-03" / "three_rows.xlsx", THREE_ROW_HEADER + grouped_rows(3),
                    THREE_ROW_MERGES)

    (outcome,) = ingest_inbox(conn, inbox, TODAY)

    assert (outcome.status, outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (
        "loaded", 3, 3, 0), outcome.describe()
    assert unaccounted_rows(conn) == []
    assert conn.execute("SELECT count(*) FROM core.report").fetchone() == (3,)
    assert conn.execute(
        "SELECT row_number, external_id, event_date, region_code, locality_name, perpetrator_type "
        "FROM core.report ORDER BY row_number"
    ).fetchall() == [(n + 3, f"R-{n}", dt.date(2024, 3, 10 + n), "kostanay", "Костанай", "частное лицо")
                     for n in (1, 2, 3)]
    assert conn.execute(
        "SELECT case_ref, plaintiff_type, amount_claimed_kzt, amount_awarded_kzt FROM core.legal_case ORDER BY case_ref"
    ).fetchall() == [(f"2-{n}/2024", "company", 5_000_000, n * 100_000) for n in (1, 2, 3)]
    (sheets,) = conn.execute("SELECT sheets FROM raw.file").fetchone()
    assert [(s["header_row"], s["missing_columns"]) for s in sheets] == [(3, [])]


# --- Four rows and more ------------------------------------------------------------------------------------

# THREE_ROW_HEADER under a report title inside the table's frame: "№ сообщения" merged down over all four rows,
# the title merged over the other columns; "Описание" and "Источник" merged down under it.
FOUR_ROW_HEADER = [
    ["№ сообщения", "Сведения о нарушениях свободы слова"] + [None] * 10,
    [None] + THREE_ROW_HEADER[0][1:],
    *THREE_ROW_HEADER[1:],
]
FOUR_ROW_MERGES = ["A1:A4", "B1:L1", "B2:E2", "H2:L2", "F2:F4", "G2:G4",
                   *(shift_down(cells) for cells in ["C2:D2", "I2:J2", "K2:L2", "B2:B3", "E2:E3", "H2:H3"])]

# Six rows, as deep as a header may be: a form's title and a section title, both inside the frame, over
# FOUR_ROW_HEADER's groups, and "Сумма" / "иска," / "тенге" over three stacked cells.
SIX_ROW_HEADER = [
    ["№ сообщения", "Форма мониторинга, март 2024"] + [None] * 10,
    [None, "Сведения о нарушениях свободы слова"] + [None] * 10,
    *FOUR_ROW_HEADER[1:3],
    [None, None, "Регион", "Город", None, None, None, None, "нарушителя", "истца", "иска,", "взыскания"],
    [None] * 10 + ["тенге", None],
]
SIX_ROW_MERGES = ["A1:A6", "B1:L1", "B2:L2", "B3:E3", "H3:L3", "F3:F6", "G3:G6", "C4:D4", "I4:J4", "K4:L4",
                  "B4:B6", "E4:E6", "H4:H6", "C5:C6", "D5:D6", "I5:I6", "J5:J6", "L5:L6"]


def write_grid_xls(path: Path, grid: list[list], merges: list[str] = ()) -> Path:
    """An Excel 97-2003 workbook of the grid, each merged range written once with its first cell's text."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    page = book.add_sheet("Март")
    covered = set()
    for cells in merges:
        (first_row, first_column), (last_row, last_column) = merged_range(cells)
        page.write_merge(first_row, last_row, first_column, last_column, grid[first_row][first_column])
        covered |= {(row, column) for row in range(first_row, last_row + 1)
                    for column in range(first_column, last_column + 1)}
    for row, line in enumerate(grid):
        for column, value in enumerate(line):
            if value is not None and (row, column) not in covered:
                page.write(row, column, value.isoformat() if isinstance(value, dt.date) else value)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return path


def write_grid_ods(path: Path, grid: list[list], merges: list[str], header_rows: int) -> Path:
    """As LibreOffice saves it: the header's rows repeated on each printed page (a group of their own), the rest
    of the sheet as one empty repeated row."""
    rows = merged_ods_rows(grid, merges)
    return write_ods_content(path, ods_table("Март", [
        '<table:table-column table:number-columns-repeated="12"/>',
        f"<table:table-header-rows>{''.join(rows[:header_rows])}</table:table-header-rows>",
        *rows[header_rows:], ODS_REST_OF_SHEET]))


def write_grid(path: Path, grid: list[list], merges: list[str], header_rows: int) -> Path:
    """The grid in the format of the path's suffix (xlsx, xls or ods), with its merged cells."""
    if path.suffix == ".xls":
        return write_grid_xls(path, grid, merges)
    if path.suffix == ".ods":
        return write_grid_ods(path, grid, merges, header_rows)
    return write_grid_xlsx(path, grid, merges)


SPREADSHEETS = pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])


@SPREADSHEETS
def test_a_header_over_four_rows_under_a_title_inside_its_frame_reads_every_column(tmp_path, suffix):
    path = write_grid(tmp_path / f"a{suffix}", FOUR_ROW_HEADER + grouped_rows(2), FOUR_ROW_MERGES, 4)

    (sheet,) = read_workbook(path).sheets

    assert_every_column_of_the_three_row_header_is_read(sheet, header_row=3, height=4)
    assert not [text for text in sheet.header.headers.values() if "Сведения" in text]
    assert [row.row_number for row in sheet.rows] == [5, 6]


@SPREADSHEETS
def test_a_header_over_six_rows_the_most_allowed_reads_every_column(tmp_path, suffix):
    assert MAX_HEADER_ROWS == len(SIX_ROW_HEADER)
    path = write_grid(tmp_path / f"a{suffix}", SIX_ROW_HEADER + grouped_rows(2), SIX_ROW_MERGES, 6)

    (sheet,) = read_workbook(path).sheets

    assert_every_column_of_the_three_row_header_is_read(sheet, header_row=5, height=6)
    assert sheet.header.headers[10] == "Сумма иска, тенге"
    assert not [text for text in sheet.header.headers.values() if "Форма" in text or "Сведения" in text]
    assert [row.row_number for row in sheet.rows] == [7, 8]


def test_without_merges_a_csv_header_over_four_rows_still_ends_at_its_last_row(tmp_path):
    path = write_csv_grid(tmp_path / "a.csv", FOUR_ROW_HEADER + grouped_rows(2))

    (sheet,) = read_workbook(path).sheets

    assert sheet.header.columns == {i: f for i, f in THREE_ROW_FIELDS.items() if i not in (9, 11)}
    assert sheet.header.unknown == ["истца", "взыскания"]
    assert (sheet.header.row_index, sheet.header.height) == (3, 4)
    assert [row.row_number for row in sheet.rows] == [5, 6]


def test_words_of_a_header_split_over_four_rows_of_a_csv_are_read_together(tmp_path):
    path = write_csv_grid(tmp_path / "a.csv", [
        ["Дата", "Регион", "Категория", "Описание", "Источник", "Обращение", "Решение", "Сумма"],
        ["события", None, None, None, None, "в", "в пользу", "иска,"],
        [None, None, None, None, None, "правоохранительные", "журналиста", "тенге"],
        [None, None, None, None, None, "органы", None, None],
        ["12.03.2024", "Костанайская область", "threats", "Угрозы редакции", "корреспондент", "да", "нет", "0"],
    ])

    (sheet,) = read_workbook(path).sheets

    assert sheet.header.columns == {
        0: "event_date", 1: "region", 2: "category", 3: "summary", 4: "source", 5: "appealed_to_police",
        6: "verdict_for_journalist", 7: "amount_claimed_kzt"}
    assert sheet.header.headers[5] == "Обращение в правоохранительные органы"
    assert (sheet.header.row_index, sheet.header.height) == (3, 4)
    assert [row.row_number for row in sheet.rows] == [5]


@SPREADSHEETS
def test_a_title_band_above_a_four_row_header_stays_out_of_it(tmp_path, suffix):
    path = write_grid(tmp_path / f"a{suffix}", [BANNER] + FOUR_ROW_HEADER + grouped_rows(2),
                      ["A1:L1", *(shift_down(cells) for cells in FOUR_ROW_MERGES)], 5)

    (sheet,) = read_workbook(path).sheets

    assert_every_column_of_the_three_row_header_is_read(sheet, header_row=4, height=4)
    assert not [text for text in sheet.header.headers.values() if "Мониторинг" in text]
    assert [row.row_number for row in sheet.rows] == [6, 7]


def test_a_title_right_above_a_deep_header_whose_first_rows_read_as_one_stays_out_of_it(tmp_path):
    # "Дата" over "события" and "Сумма иска," over "тенге" already read as a header of two rows, which the title
    # above could join; but the group beside them goes two rows further: "Судебное дело" merged over two rows,
    # "Тип" under it, then "нарушителя" and "истца". The header is the four rows, without the title.
    grid = [
        ["Мониторинг за март 2024"] + [None] * 7,
        ["Дата", "Регион", "Категория", "Описание", "Источник", "Сумма иска,", "Судебное дело", None],
        ["события", None, None, None, None, "тенге", None, None],
        [None, None, None, None, None, None, "Тип", None],
        [None, None, None, None, None, None, "нарушителя", "истца"],
        [dt.date(2024, 3, 12), "Костанайская область", "civil_claims", "Иск к редакции", "корреспондент",
         "5 000 000", "частное лицо", "company"],
    ]
    path = write_grid_xlsx(tmp_path / "a.xlsx", grid, ["A1:H1", "B2:B5", "C2:C5", "D2:D5", "E2:E5", "G2:H3", "G4:H4"])

    (sheet,) = read_workbook(path).sheets

    assert sheet.header.columns == {
        0: "event_date", 1: "region", 2: "category", 3: "summary", 4: "source", 5: "amount_claimed_kzt",
        6: "perpetrator_type", 7: "plaintiff_type"}
    assert (sheet.header.row_index, sheet.header.height) == (4, 4)
    assert not [text for text in sheet.header.headers.values() if "Мониторинг" in text]
    assert [row.row_number for row in sheet.rows] == [6]


# A report being filled in: so far only its violator type, "СМИ", which is also a header word (the media outlet
# column). Joined under the header it would make the violator type's column the outlet's, naming as many fields.
INCOMPLETE_ROW = [None] * 8 + ["СМИ"] + [None] * 3


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("header, merges, header_row", [
    (THREE_ROW_HEADER, THREE_ROW_MERGES, 2), (FOUR_ROW_HEADER, FOUR_ROW_MERGES, 3)], ids=["three_rows", "four_rows"])
def test_data_rows_right_under_a_header_are_not_read_into_it(tmp_path, suffix, header, merges, header_row):
    grid = header + [INCOMPLETE_ROW] + grouped_rows(2) + [[None] * 6 + ["СМИ"] + [None] * 5]
    path = (write_csv_grid(tmp_path / "a.csv", grid) if suffix == ".csv"
            else write_grid_xlsx(tmp_path / "a.xlsx", grid, merges))

    (sheet,) = read_workbook(path).sheets

    assert (sheet.header.row_index, sheet.header.height) == (header_row, len(header))
    assert (sheet.header.columns[8], sheet.header.columns[6]) == ("perpetrator_type", "source")
    assert "outlet" not in sheet.header.columns.values()
    assert [row.row_number for row in sheet.rows] == [header_row + n for n in (2, 3, 4, 5)]
    assert fields_of(sheet, sheet.rows[0])["perpetrator_type"] == "СМИ"


def test_a_workbook_with_a_four_row_header_loads_every_row_and_column(conn, inbox):
    write_grid_xlsx(inbox / "correspondents" / "2024-03" / "four_rows.xlsx", FOUR_ROW_HEADER + grouped_rows(3),
                    FOUR_ROW_MERGES)

    (outcome,) = ingest_inbox(conn, inbox, TODAY)

    assert (outcome.status, outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (
        "loaded", 3, 3, 0), outcome.describe()
    assert unaccounted_rows(conn) == []
    assert conn.execute(
        "SELECT row_number, external_id, event_date, region_code, locality_name, perpetrator_type "
        "FROM core.report ORDER BY row_number"
    ).fetchall() == [(n + 4, f"R-{n}", dt.date(2024, 3, 10 + n), "kostanay", "Костанай", "частное лицо")
                     for n in (1, 2, 3)]
    assert conn.execute(
        "SELECT case_ref, plaintiff_type, amount_claimed_kzt, amount_awarded_kzt FROM core.legal_case ORDER BY case_ref"
    ).fetchall() == [(f"2-{n}/2024", "company", 5_000_000, n * 100_000) for n in (1, 2, 3)]
    (sheets,) = conn.execute("SELECT sheets FROM raw.file").fetchone()
    assert [(s["header_row"], s["missing_columns"]) for s in sheets] == [(4, [])]
