"""A header written over three rows or more: a group title merged over several groups, their labels merged
over sub-headers, the sub-headers; or a header's words split over three stacked cells. Its columns are read
with every row they need, and data starts below its last row."""

import datetime as dt
from pathlib import Path

from include.presswatch.intake import ingest_inbox
from include.presswatch.normalize.headers import HEADER_SEARCH_ROWS
from include.presswatch.sources.workbooks import read_workbook
from tests.bad_inputs import write_ods_content
from tests.test_intake_bad_inputs import unaccounted_rows
from tests.test_intake_headers_formulas import (ODS_REST_OF_SHEET, fields_of, grouped_rows, merged_ods_rows,
                                                ods_table, shift_down, write_grid_xlsx)

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


def assert_every_column_of_the_three_row_header_is_read(sheet, header_row: int = 2) -> None:
    """THREE_ROW_HEADER read with THREE_ROW_MERGES, its last row at ``header_row`` (0-based), grouped_rows below."""
    assert sheet.header.columns == THREE_ROW_FIELDS
    # The group title stays out of a label its group's label and sub-header name a field with.
    assert [sheet.header.headers[i] for i in (2, 8, 9, 11)] == ["Регион", "Тип нарушителя", "Тип истца",
                                                                 "Сумма взыскания"]
    assert (sheet.header.unknown, sheet.header.duplicates, sheet.header.missing_required) == ([], [], [])
    assert (sheet.header.row_index, sheet.header.height) == (header_row, 3)
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
