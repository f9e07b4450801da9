"""Every format and layout correspondents use reads the same rows: xls, ods, xlsm, csv/tsv in any encoding."""

import datetime as dt

import pytest

from include.presswatch.sources import workbooks
from include.presswatch.sources.workbooks import UnreadableFile, read_workbook
from tests.bad_inputs import EN_HEADERS, grid, write_ods, write_xls
from tests.workbooks import RU_HEADERS, report, write_csv, write_xlsx


def fields_of(book):
    """Per data row: (sheet, row number, field → value) as the header maps it."""
    out = []
    for sheet in book.sheets:
        for row in sheet.rows:
            mapped = {f: row.cells[i] for i, f in sheet.header.columns.items() if i < len(row.cells)}
            out.append((sheet.name, row.row_number, mapped))
    return out


def test_xls_with_date_cells_under_a_title_is_read(tmp_path):
    path = write_xls(tmp_path / "a.xls", [report(), report(summary="Второе")], title_rows=["Мониторинг"])
    rows = fields_of(read_workbook(path))
    assert [(s, n) for s, n, _ in rows] == [("Отчёт", 3), ("Отчёт", 4)]
    assert rows[0][2]["event_date"] in (dt.datetime(2024, 3, 12), dt.date(2024, 3, 12))
    assert rows[1][2]["summary"] == "Второе"


def test_ods_reads_every_sheet_with_a_header_and_skips_the_others(tmp_path):
    path = write_ods(tmp_path / "a.ods", {
        "Инструкция": [["Одна строка — одно сообщение"]],
        "Март": grid([report()], EN_HEADERS),
        "Апрель": grid([report(), report()], RU_HEADERS),
    })
    book = read_workbook(path)
    assert [s.name for s in book.sheets] == ["Март", "Апрель"]
    assert book.skipped_sheets[0][0] == "Инструкция"
    assert book.row_count == 3


def test_xlsm_is_read_like_xlsx(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [report()])
    macro = path.rename(tmp_path / "a.xlsm")
    assert read_workbook(macro).row_count == 1


@pytest.mark.parametrize("encoding, delimiter, suffix", [
    ("utf-8", ";", ".csv"), ("utf-8-sig", ",", ".csv"), ("cp1251", ";", ".csv"), ("cp1251", "\t", ".tsv"),
    ("utf-8", "|", ".txt"),
])
def test_text_files_in_any_encoding_and_delimiter(tmp_path, encoding, delimiter, suffix):
    path = write_csv(tmp_path / f"a{suffix}", [report(summary="Акимат, как обычно, молчит; \"ответа нет\"")],
                     encoding=encoding, delimiter=delimiter)
    (_, _, fields), = fields_of(read_workbook(path))
    assert fields["summary"] == "Акимат, как обычно, молчит; \"ответа нет\""
    assert fields["region"] == "Костанайская область"


def test_a_delimiter_the_sniffer_gets_wrong_is_found_by_the_header(tmp_path):
    # Commas in every description outnumber the semicolons that separate the columns.
    rows = [report(summary="a, b, c, d, e, f, g, h, i, j, k, l") for _ in range(3)]
    path = write_csv(tmp_path / "a.csv", rows, delimiter=";")
    assert [f["summary"] for _, _, f in fields_of(read_workbook(path))] == ["a, b, c, d, e, f, g, h, i, j, k, l"] * 3


def test_blank_rows_and_trailing_empty_columns_are_ignored(tmp_path):
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "a.xlsx", [report(), report(summary="Второе")], title_rows=["Заголовок", ""])
    book = load_workbook(path)
    sheet = book.active
    sheet.insert_rows(5)  # a blank row between the two reports
    sheet.cell(row=2, column=30, value="   ")  # a stray space far right
    sheet.cell(row=6, column=25).value = None
    book.save(path)
    read = read_workbook(path)
    assert [r.row_number for r in read.sheets[0].rows] == [4, 6]
    assert all(len(r.cells) <= 7 for r in read.sheets[0].rows)


def test_header_under_merged_title_cells_is_found(tmp_path):
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "a.xlsx", [report()], title_rows=["Мониторинг нарушений свободы слова", "Март 2024"])
    book = load_workbook(path)
    book.active.merge_cells("A1:G1")
    book.active.merge_cells("A2:G2")
    book.save(path)
    read = read_workbook(path)
    assert read.sheets[0].header.row_index == 2
    assert [r.row_number for r in read.sheets[0].rows] == [4]


def test_a_sheet_over_the_row_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_ROWS_PER_SHEET", 5)
    path = write_csv(tmp_path / "a.csv", [report()] * 6)
    with pytest.raises(UnreadableFile, match="more than 5 rows"):
        read_workbook(path)


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_FILE_BYTES", 100)
    path = write_csv(tmp_path / "a.csv", [report()] * 3)
    with pytest.raises(UnreadableFile, match="more than the limit"):
        read_workbook(path)
