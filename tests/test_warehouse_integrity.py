"""References of the bulk-loaded tables (core.report, raw.row), checked once per statement (sql/0041)."""

import psycopg
import pytest


@pytest.fixture
def keys(conn):
    """A file version, and a region, locality and category the gazetteer and taxonomy know."""
    (file_id,) = conn.execute(
        "INSERT INTO raw.file (source_kind, inbox_path, sha256, size_bytes, status) "
        "VALUES ('correspondent', 'a.xlsx', 'x', 1, 'loaded') RETURNING file_id"
    ).fetchone()
    region, locality = conn.execute("SELECT region_code, code FROM ref.locality ORDER BY code LIMIT 1").fetchone()
    (category,) = conn.execute("SELECT code FROM ref.category ORDER BY code LIMIT 1").fetchone()
    conn.commit()
    return {"file_id": file_id, "region": region, "locality": locality, "category": category}


def insert_reports(conn, rows: list[dict]) -> None:
    """COPY, as intake loads: the check runs once over all rows of the statement."""
    columns = ("file_id", "sheet", "row_number", "event_date", "region_code", "locality_code", "category_code",
               "summary", "source", "content_hash")
    with conn.cursor().copy(f"COPY core.report ({', '.join(columns)}) FROM STDIN") as copy:
        for number, row in enumerate(rows, start=2):
            copy.write_row((row["file_id"], "", number, "2024-03-01", row["region"], row.get("locality"),
                            row["category"], "s", "correspondent", f"h{number}"))


def test_known_references_load(conn, keys):
    insert_reports(conn, [keys, {**keys, "locality": None}])
    conn.commit()
    assert conn.execute("SELECT count(*) FROM core.report").fetchone() == (2,)


@pytest.mark.parametrize("field, value, named", [
    ("region", "atlantis", "region_code 'atlantis' is not in ref.region"),
    ("category", "gossip", "category_code 'gossip' is not in ref.category"),
    ("locality", "nowhere", "locality_code 'nowhere' is not in ref.locality"),
    ("file_id", 987654, "file_id 987654 is not in raw.file"),
])
def test_one_unknown_reference_refuses_the_whole_statement(conn, keys, field, value, named):
    rows = [keys] * 3 + [{**keys, field: value}] + [keys] * 3
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match=named) as raised:
        insert_reports(conn, rows)
    assert "row 5" in str(raised.value)  # the fourth row, numbered from 2 as in a sheet
    conn.rollback()
    assert conn.execute("SELECT count(*) FROM core.report").fetchone() == (0,)


def test_an_update_to_an_unknown_code_is_refused(conn, keys):
    insert_reports(conn, [keys])
    conn.commit()
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match="region_code 'atlantis'"):
        conn.execute("UPDATE core.report SET region_code = 'atlantis'")
    conn.rollback()


def test_raw_rows_need_their_file(conn, keys):
    conn.execute("INSERT INTO raw.row (file_id, sheet, row_number, payload) VALUES (%s, '', 2, '{}')",
                 (keys["file_id"],))
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match="file_id 424242 is not in raw.file"):
        conn.execute("INSERT INTO raw.row (file_id, sheet, row_number, payload) VALUES (424242, '', 2, '{}')")
    conn.rollback()


def test_a_used_key_cannot_be_deleted_or_changed_but_an_unused_one_can(conn, keys):
    insert_reports(conn, [keys])
    conn.execute("INSERT INTO raw.row (file_id, sheet, row_number, payload) VALUES (%s, '', 2, '{}')",
                 (keys["file_id"],))
    conn.commit()
    refused = [
        ("DELETE FROM ref.locality WHERE code = %s", keys["locality"], "ref.locality code"),
        ("UPDATE ref.category SET code = code || '_renamed' WHERE code = %s", keys["category"], "ref.category code"),
        ("DELETE FROM raw.file WHERE file_id = %s", keys["file_id"], "raw.file file_id"),
    ]
    for statement, key, named in refused:
        with pytest.raises(psycopg.errors.ForeignKeyViolation, match=f"{named} = {key} is still used by"):
            conn.execute(statement, (key,))
        conn.rollback()

    # A change that keeps the keys (what intake does to a file every time) takes no lock and passes.
    conn.execute("UPDATE raw.file SET rows_read = 1 WHERE file_id = %s", (keys["file_id"],))
    unused = conn.execute(
        "SELECT code FROM ref.locality WHERE code <> %s ORDER BY code LIMIT 1", (keys["locality"],)
    ).fetchone()[0]
    conn.execute("SAVEPOINT unused")
    conn.execute("DELETE FROM ref.locality WHERE code = %s", (unused,))
    assert conn.execute("SELECT count(*) FROM ref.locality WHERE code = %s", (unused,)).fetchone() == (0,)
    conn.rollback()  # the gazetteer stays as the session loaded it
