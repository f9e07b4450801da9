"""Reading z-i CSV dumps: encodings, quoting, parts, and every kind of broken file."""

import psycopg

from include.presswatch.registry import ingest_registry
from include.presswatch.sources import registry_csv

from .registry_fixtures import DECOYS, write_dump


def read(conn: psycopg.Connection, inbox):
    outcome = ingest_registry(conn, inbox)
    return outcome.snapshots


def notices(conn):
    return conn.execute(
        "SELECT authority, decision_number, decision_date, domains, urls, ips FROM core.registry_notice ORDER BY 4, 2"
    ).fetchall()


def test_cp1251_dump_loads_every_field_with_quotes_and_multi_values(conn, inbox):
    write_dump(inbox / "registry" / "day1", DECOYS)
    [snapshot] = read(conn, inbox)
    assert snapshot.status == "valid" and snapshot.rows_loaded == len(DECOYS)
    rows = notices(conn)
    assert len(rows) == len(DECOYS)
    by_domain = {tuple(r[3]): r for r in rows}
    assert by_domain[("decoy.com", "*.decoy.com")][4] == ["http://decoy.com?test=x", "http://decoy.com?test=y"]
    assert by_domain[("decoy.com", "*.decoy.com")][5] == ["1.2.3.4", "1.2.3.0/24"]
    assert by_domain[()][0] == "org;string"  # a quoted field may hold the separator
    smotret = by_domain[("smotret-kinogo.online",)]
    assert smotret[0] == "Мосгорсуд" and str(smotret[2]) == "2020-01-14"
    (register_time,) = conn.execute("SELECT register_time FROM core.registry_snapshot").fetchone()
    assert register_time.isoformat() == "2024-03-20T07:00:00+00:00"


def test_utf8_dump_is_read_as_utf8(conn, inbox):
    write_dump(inbox / "registry" / "day1", DECOYS, encoding="utf-8")
    [snapshot] = read(conn, inbox)
    assert snapshot.status == "valid"
    assert conn.execute("SELECT count(*) FROM core.registry_notice WHERE authority = 'Мосгорсуд'").fetchone()[0] == 2


def test_truncated_file_is_partial_and_the_cut_line_is_not_loaded(conn, inbox):
    lines = DECOYS[:4] + ["195.210.46.37;snus-tob"]
    write_dump(inbox / "registry" / "day1", lines, newline_at_end=False)
    [snapshot] = read(conn, inbox)
    assert snapshot.status == "partial"
    assert snapshot.rows_loaded == 4
    assert any("truncated" in p for p in snapshot.problems)
    assert conn.execute("SELECT count(*) FROM core.registry_notice WHERE 'snus-tob' = ANY(domains)").fetchone()[0] == 0


def test_wrong_column_count_rejects_those_lines_with_their_line_numbers(conn, inbox):
    lines = DECOYS[:3] + ["1.1.1.1;four.ru;http://four.ru;суд"] + DECOYS[3:5]
    write_dump(inbox / "registry" / "day1", lines)
    [snapshot] = read(conn, inbox)
    assert snapshot.status == "partial" and snapshot.rows_loaded == 5
    assert "day1/dump.csv, line 5: expected 6 fields" in snapshot.problems[0]


def test_bytes_neither_utf8_nor_cp1251_reject_the_line_not_the_file(conn, inbox):
    path = write_dump(inbox / "registry" / "day1", DECOYS[:3])
    path.write_bytes(path.read_bytes() + b"9.9.9.9;bad\x98host.ru;;\xd1\xf3\xe4;1;2020-01-01\n")
    [snapshot] = read(conn, inbox)
    assert snapshot.status == "partial" and snapshot.rows_loaded == 3
    assert any("neither UTF-8 nor windows-1251" in p for p in snapshot.problems)


def test_parts_form_one_snapshot_and_a_missing_part_makes_it_partial(conn, inbox, tmp_path):
    folder = inbox / "registry" / "parts"
    for number in range(registry_csv.EXPECTED_PARTS):
        write_dump(folder, [DECOYS[number % len(DECOYS)].replace("2019", f"{2000 + number}")],
                   updated="2024-03-20 10:00:00 +0300" if number == 0 else None, name=f"dump-{number:02d}.csv")
    [snapshot] = read(conn, inbox)
    assert snapshot.status == "valid" and snapshot.rows_loaded == registry_csv.EXPECTED_PARTS
    (folder / "dump-07.csv").unlink()
    (folder / "dump-00.csv").write_bytes((folder / "dump-00.csv").read_bytes().replace(b"10:00", b"11:00"))
    [snapshot] = read(conn, inbox)
    assert snapshot.status == "partial"
    assert "part dump-07.csv is missing" in snapshot.problems


def test_the_same_file_read_twice_is_not_a_second_snapshot(conn, inbox):
    write_dump(inbox / "registry" / "day1", DECOYS)
    read(conn, inbox)
    [again] = read(conn, inbox)
    assert again.status == "skipped"
    assert conn.execute("SELECT count(*) FROM core.registry_snapshot").fetchone()[0] == 1
