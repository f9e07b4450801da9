"""A data row right under a header stays a data row, however few its cells and whatever words they hold.

A correspondent starts a report and leaves it: only its violator type is filled in, "СМИ" or "Суд", which are
also header words (the media outlet's column, the court's). Read into the header, that row would be lost (neither
loaded nor quarantined) and its column read as another field for the whole sheet. Only a row that completes the
header's words ("Дата" over "события"), or says the header again in another language, belongs to it; and a title
above a header names no field, so it stays out however many rows the header has."""

import datetime as dt

import pytest

from include.presswatch.intake import ingest_inbox
from include.presswatch.normalize.headers import field_for, find_header
from include.presswatch.sources.workbooks import read_workbook
from tests.test_intake_bad_inputs import unaccounted_rows
from tests.test_intake_headers_formulas import write_grid_xlsx
from tests.test_intake_multirow_headers import write_csv_grid
from tests.workbooks import RU_HEADERS, report, write_xlsx

TODAY = dt.date(2024, 4, 10)

# A sheet without a media outlet or court column, so that a header word naming either would not be a duplicate:
# read into the header, it would make the violator type's column name another field, as many fields as before.
COLUMNS = ("event_date", "region", "locality", "category", "summary", "source", "perpetrator_type")
HEADERS = {**RU_HEADERS, "perpetrator_type": "Тип нарушителя"}
HEADER_ROW = [HEADERS[column] for column in COLUMNS]
VIOLATOR_COLUMN = COLUMNS.index("perpetrator_type")
# Violator types that are also header words: the media outlet ("СМИ") and the court ("Суд").
HEADER_WORD_VIOLATORS = pytest.mark.parametrize("word", ["СМИ", "Суд"])

# "Дата" over "события": the header's words split over two rows, the second completing the first.
TWO_ROW_HEADER = [["Дата", *HEADER_ROW[1:]], ["события"] + [None] * (len(COLUMNS) - 1)]


def report_row(**values) -> dict:
    """A valid report of the sheet's columns, by field."""
    full = report(perpetrator_type="частное лицо", **values)
    return {column: full[column] for column in COLUMNS}


def started_row(violator_type: str) -> dict:
    """A report a correspondent started and left: only its violator type."""
    return {column: None for column in COLUMNS} | {"perpetrator_type": violator_type}


def cells(row: dict) -> list:
    return [row[column] for column in COLUMNS]


def assert_a_header_word(word: str) -> None:
    """The word names a field of its own, not the violator type: read into the header it would change the column."""
    assert field_for(word) not in (None, "perpetrator_type"), word


@HEADER_WORD_VIOLATORS
def test_a_row_holding_only_a_header_word_under_a_one_row_header_is_not_read_into_it(word):
    assert_a_header_word(word)
    grid = [HEADER_ROW, cells(started_row(word)), cells(report_row()), cells(report_row(summary="Второе"))]

    header = find_header(grid)

    assert (header.row_index, header.height) == (0, 1)
    assert header.columns == dict(enumerate(COLUMNS))
    assert header.headers == dict(enumerate(HEADER_ROW))


@HEADER_WORD_VIOLATORS
def test_a_row_holding_only_a_header_word_under_a_two_row_header_is_not_read_into_it(word, tmp_path):
    assert_a_header_word(word)
    data = [started_row(word), report_row(), report_row(summary="Второе")]
    path = write_csv_grid(tmp_path / "a.csv", TWO_ROW_HEADER + [cells(row) for row in data])

    (sheet,) = read_workbook(path).sheets

    assert (sheet.header.row_index, sheet.header.height) == (1, 2)
    assert sheet.header.columns == dict(enumerate(COLUMNS))
    assert sheet.header.headers[0] == "Дата события"
    first_data_row = len(TWO_ROW_HEADER) + 1
    assert [row.row_number for row in sheet.rows] == list(range(first_data_row, first_data_row + len(data)))
    assert sheet.rows[0].cells[VIOLATOR_COLUMN] == word


def test_a_header_word_in_a_column_without_a_header_is_not_read_into_the_header():
    # The sheet names the media outlet; a column right of the header has no name of its own. A row holding only
    # "СМИ" there would add a second outlet column to the header, naming the same fields as before.
    header_row = HEADER_ROW + [RU_HEADERS["outlet"], None]
    started = [None] * (len(header_row) - 1) + [RU_HEADERS["outlet"]]
    grid = [header_row, started, cells(report_row()) + ["TobolInfo", None]]

    header = find_header(grid)

    assert (header.row_index, header.height) == (0, 1)
    assert header.columns == {**dict(enumerate(COLUMNS)), len(COLUMNS): "outlet"}


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_title_right_above_a_two_row_header_stays_out_of_it(tmp_path, suffix):
    title = "Мониторинг нарушений свободы слова, март 2024"
    grid = [[title] + [None] * (len(COLUMNS) - 1), *TWO_ROW_HEADER, cells(report_row())]
    path = (write_csv_grid(tmp_path / "a.csv", grid) if suffix == ".csv"
            else write_grid_xlsx(tmp_path / "a.xlsx", grid, [f"A1:{chr(ord('A') + len(COLUMNS) - 1)}1"]))

    (sheet,) = read_workbook(path).sheets

    assert (sheet.header.row_index, sheet.header.height) == (2, 2)
    assert sheet.header.columns == dict(enumerate(COLUMNS))
    assert not [text for text in sheet.header.headers.values() if title in text]
    assert [row.row_number for row in sheet.rows] == [len(grid)]


@pytest.mark.parametrize("top, bottom", [("№", "дела"), ("Perpetrator", "type")])
def test_header_words_split_so_that_the_first_names_another_field_are_read_together(top, bottom):
    # The second row changes the column's field ("№" alone is the report id), but only by completing its words.
    named_together = field_for(f"{top} {bottom}")
    assert field_for(top) not in (None, named_together)
    grid = [[top, *HEADER_ROW[:-1]], [bottom] + [None] * (len(COLUMNS) - 1), [None, *cells(report_row())[:-1]]]

    header = find_header(grid)

    assert (header.row_index, header.height) == (1, 2)
    assert header.columns == {0: named_together, **{i + 1: field for i, field in enumerate(COLUMNS[:-1])}}


def test_a_header_said_again_in_another_language_on_the_row_below_is_read_whole():
    # A Kazakh header over the Russian one: the second row names the same fields, each in its own column.
    kazakh = ["Оқиға күні", "Облыс", "Елді мекен", "Санат", "Сипаттама", "Дереккөз", "Бұзушы түрі"]
    assert [field_for(text) for text in kazakh] == list(COLUMNS)
    grid = [kazakh, HEADER_ROW, cells(report_row())]

    header = find_header(grid)

    assert (header.row_index, header.height) == (1, 2)
    assert header.columns == dict(enumerate(COLUMNS))


@HEADER_WORD_VIOLATORS
def test_a_started_row_under_the_header_is_quarantined_and_every_column_keeps_its_field(conn, inbox, word):
    assert_a_header_word(word)
    data = [started_row(word), report_row(), report_row(summary="Второе сообщение")]
    write_xlsx(inbox / "correspondents" / "2024-03" / "started.xlsx", data, HEADERS)

    (outcome,) = ingest_inbox(conn, inbox, TODAY)

    assert (outcome.status, outcome.rows_read) == ("loaded", len(data)), outcome.describe()
    assert unaccounted_rows(conn) == []
    data_row_numbers = list(range(2, 2 + len(data)))  # the header is the sheet's first row
    assert conn.execute(
        "SELECT row_number FROM core.report UNION ALL SELECT row_number FROM quarantine.row ORDER BY 1"
    ).fetchall() == [(number,) for number in data_row_numbers]
    assert conn.execute("SELECT row_number FROM quarantine.row").fetchall() == [(data_row_numbers[0],)]
    assert conn.execute("SELECT perpetrator_type, outlet FROM core.report ORDER BY row_number").fetchall() == [
        (row["perpetrator_type"], None) for row in data[1:]]
    (sheets,) = conn.execute("SELECT sheets FROM raw.file").fetchone()
    assert [sheet["header_row"] for sheet in sheets] == [1]


@pytest.mark.parametrize("placeholder", ["-", "—", "/"])
def test_a_row_of_placeholder_dashes_under_a_header_is_not_read_into_it(placeholder):
    # "-" written for "nothing to say" in every cell, or in the first only: it completes no header's words.
    for started in ([placeholder] * len(COLUMNS), [placeholder] + [None] * (len(COLUMNS) - 1)):
        grid = [HEADER_ROW, started, cells(report_row())]

        header = find_header(grid)

        assert (header.row_index, header.height) == (0, 1), started
        assert header.columns == dict(enumerate(COLUMNS))


@pytest.mark.parametrize("label", ["-", "/", "*", "()"])
def test_a_label_of_punctuation_only_names_no_field(label):
    # "№" alone names the report id; punctuation folded away must not read as the same name.
    assert field_for("№") == field_for("#") == "report_id"
    assert field_for(label) is None


@pytest.mark.parametrize("label, named", [("№ сообщения", "report_id"), ("Іс №", "case_ref"), ("№ дела", "case_ref"),
                                          ("Дубликат №", "duplicate_of")])
def test_a_name_with_the_number_sign_needs_its_other_words_too(label, named):
    # Without its "№", the rest names nothing: "Хабарлама" (a message) or "дела" alone is not an id.
    assert field_for(label) == named
    rest = label.replace("№", "").strip()
    assert field_for(rest) in (None, named) and field_for(rest) != "report_id"


# A column whose header names no field: a note ("Примечание"), or no header text at all. A header word a
# correspondent leaves in it ("Суд", "СМИ") names a field the header lacks, so the header and that row together
# name one field more than the header alone, as group cells over sub-headers do.
UNNAMED_COLUMNS = pytest.mark.parametrize("label", ["Примечание", None], ids=["note", "no header"])


@UNNAMED_COLUMNS
@HEADER_WORD_VIOLATORS
def test_a_header_word_under_a_column_that_names_no_field_is_not_read_into_the_header(label, word):
    assert_a_header_word(word)
    assert label is None or field_for(label) is None
    header_row = HEADER_ROW + [label]
    grid = [header_row, [None] * len(COLUMNS) + [word], cells(report_row()) + ["уточняется"]]

    header = find_header(grid)

    assert (header.row_index, header.height) == (0, 1)
    assert header.columns == dict(enumerate(COLUMNS))
    assert header.headers == {i: text for i, text in enumerate(header_row) if text}


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("group, sub_headers, fields, values", [
    ("Судебное дело", ("Суд", "Журналист"), ("court", "journalist"), ("Суд №2 г. Костанай", "Петров П.")),
    # A group label naming a field itself, over a sub-header naming it too.
    ("СМИ", ("Название СМИ", "Сайт СМИ"), ("outlet", "outlet_domain"), ("TobolInfo", "tobolinfo.kz")),
], ids=["label naming no field", "label naming a field"])
def test_a_group_label_over_sub_headers_the_header_lacks_is_still_read_with_them(tmp_path, suffix, group,
                                                                                sub_headers, fields, values):
    # The rule that keeps a data row out must not cut a real group: merged across its sub-headers in xlsx,
    # standing over the first of them in csv with the cell beside it empty.
    width = len(COLUMNS) + 2
    grid = [HEADER_ROW + [group, None], [None] * len(COLUMNS) + list(sub_headers),
            cells(report_row()) + list(values)]
    merges = [f"{chr(ord('A') + i)}1:{chr(ord('A') + i)}2" for i in range(len(COLUMNS))]
    path = (write_csv_grid(tmp_path / "a.csv", grid) if suffix == ".csv" else write_grid_xlsx(
        tmp_path / "a.xlsx", grid, merges + [f"{chr(ord('A') + width - 2)}1:{chr(ord('A') + width - 1)}1"]))

    (sheet,) = read_workbook(path).sheets

    assert (sheet.header.row_index, sheet.header.height) == (1, 2)
    assert sheet.header.columns == {**dict(enumerate(COLUMNS)), len(COLUMNS): fields[0], len(COLUMNS) + 1: fields[1]}
    assert [row.row_number for row in sheet.rows] == [3]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@UNNAMED_COLUMNS
@HEADER_WORD_VIOLATORS
def test_a_started_row_with_a_header_word_under_a_column_naming_no_field_is_quarantined(conn, inbox, suffix, label,
                                                                                      word):
    assert_a_header_word(word)
    note = "уточняется"
    grid = [HEADER_ROW + [label], [None] * len(COLUMNS) + [word], cells(report_row()) + [note],
            cells(report_row(summary="Второе сообщение")) + [note]]
    folder = inbox / "correspondents" / "2024-03"
    if suffix == ".csv":
        grid = [[value.strftime("%d.%m.%Y") if isinstance(value, dt.date) else value for value in line]
                for line in grid]
        write_csv_grid(folder / "started.csv", grid)
    else:
        write_grid_xlsx(folder / "started.xlsx", grid)

    (outcome,) = ingest_inbox(conn, inbox, TODAY)

    data_rows = len(grid) - 1
    assert (outcome.status, outcome.rows_read) == ("loaded", data_rows), outcome.describe()
    assert unaccounted_rows(conn) == []
    data_row_numbers = list(range(2, 2 + data_rows))  # the header is the sheet's first row
    assert conn.execute(
        "SELECT row_number FROM core.report UNION ALL SELECT row_number FROM quarantine.row ORDER BY 1"
    ).fetchall() == [(number,) for number in data_row_numbers]
    assert conn.execute("SELECT row_number FROM quarantine.row").fetchall() == [(data_row_numbers[0],)]
    assert conn.execute("SELECT outlet FROM core.report").fetchall() == [(None,)] * (data_rows - 1)
    (sheets, unknown) = conn.execute("SELECT sheets, unknown_columns FROM raw.file").fetchone()
    assert [sheet["header_row"] for sheet in sheets] == [1]
    assert unknown == ([label] if label else [])
    # The column keeps its header as written (a column without one is named by its place) in every row's payload.
    key = label or f"column {len(COLUMNS) + 1}"
    assert conn.execute("SELECT payload->>%s FROM raw.row ORDER BY row_number", (key,)).fetchall() == [
        (word,), (note,), (note,)]


@pytest.mark.parametrize("upper, lower", [("Регион /", "Область"), ("Регион", "/ Область")])
def test_a_second_name_of_a_column_split_at_a_slash_is_read_into_the_header(upper, lower):
    # The lower cell names alone what its column names, as a started row's only word may; the slash tells that
    # it goes on with the label above.
    region = COLUMNS.index("region")
    assert field_for(lower) == field_for(upper) == "region"
    upper_row = [upper if i == region else label for i, label in enumerate(HEADER_ROW)]
    lower_row = [lower if i == region else None for i in range(len(COLUMNS))]

    header = find_header([upper_row, lower_row, cells(report_row())])

    assert (header.row_index, header.height) == (1, 2)
    assert header.columns == dict(enumerate(COLUMNS))
