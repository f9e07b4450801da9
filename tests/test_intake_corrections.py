"""Which row stands when files of a month give the same report id, in hard sequences: corrections sent again,
taken back, replaced by unreadable files, submitted out of order, chains undone in any order, editors' marks;
and a model of the rules checked against the warehouse after every step of random sequences."""

import datetime as dt
import itertools
import random
import shutil

import pytest

from include.presswatch.intake import ingest_file, ingest_files, ingest_inbox
from tests.test_intake_bad_inputs import unaccounted_rows
from tests.test_intake_resubmission import file_counts_off, snapshot
from tests.workbooks import RU_HEADERS, report, write_xlsx

TODAY = dt.date(2024, 4, 10)
HEADERS = {**RU_HEADERS, "report_id": "№ сообщения", "duplicate_of": "Дубликат"}
MARCH = dt.date(2024, 3, 1)
START = dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.timezone.utc)


def at(hours):
    return START + dt.timedelta(hours=hours)


def put(inbox, path, rows, headers=HEADERS):
    write_xlsx(inbox / "correspondents" / path, rows, headers=headers)


def unreadable(inbox, path, tag=""):
    (inbox / "correspondents" / path).parent.mkdir(parents=True, exist_ok=True)
    (inbox / "correspondents" / path).write_bytes(b"this is not a spreadsheet" + tag.encode())


def load(conn, inbox, path, hours, today=TODAY):
    outcome = ingest_file(conn, inbox, path, today, submitted_at=at(hours))
    conn.commit()
    return outcome


def rule2_violations(conn):
    """Rows of current files with a report id placed against rule 2: of the current files of a month giving an id
    (in core, quarantine or withdrawn), the latest file's rows stand and every other file's rows are withdrawn."""
    return conn.execute(
        """WITH cur AS (SELECT file_id, inbox_path, submitted_at, submission_month FROM raw.file
                        WHERE source_kind = 'correspondent' AND status = 'loaded'),
               placed AS (
                   SELECT file_id, sheet, row_number, external_id, 'core' AS place FROM core.report
                   WHERE external_id IS NOT NULL
                   UNION ALL SELECT file_id, sheet, row_number, external_id, 'quarantine' FROM quarantine.row
                   WHERE external_id IS NOT NULL
                   UNION ALL SELECT file_id, sheet, row_number, external_id, 'withdrawn' FROM raw.row_replacement),
               r AS (SELECT p.*, f.inbox_path, f.submitted_at, f.submission_month FROM placed p JOIN cur f USING (file_id)),
               latest AS (SELECT DISTINCT ON (submission_month, external_id) submission_month, external_id, file_id
                          FROM r ORDER BY submission_month, external_id, submitted_at DESC, inbox_path DESC)
           SELECT r.inbox_path, r.row_number, r.external_id, r.place, r.file_id = l.file_id AS in_latest_file
           FROM r JOIN latest l USING (submission_month, external_id)
           WHERE (r.file_id = l.file_id) = (r.place = 'withdrawn')
           ORDER BY 1, 2"""
    ).fetchall()


def stale_rows(conn):
    """core/quarantine rows of files that are not current, and rows placed twice."""
    return conn.execute(
        """SELECT 'core of non-current', c.file_id, c.row_number FROM core.report c JOIN raw.file f USING (file_id)
           WHERE f.status <> 'loaded'
           UNION ALL
           SELECT 'quarantine of non-current', q.file_id, q.row_number FROM quarantine.row q JOIN raw.file f USING (file_id)
           WHERE f.status <> 'loaded'
           UNION ALL
           SELECT 'core and withdrawn', c.file_id, c.row_number FROM core.report c JOIN raw.row_replacement h
             USING (file_id, sheet, row_number)
           UNION ALL
           SELECT 'quarantine and withdrawn', q.file_id, q.row_number FROM quarantine.row q JOIN raw.row_replacement h
             USING (file_id, sheet, row_number)
           UNION ALL
           SELECT 'core and quarantine', q.file_id, q.row_number FROM quarantine.row q JOIN core.report c
             USING (file_id, sheet, row_number)"""
    ).fetchall()


def invariants(conn):
    return {
        "unaccounted": unaccounted_rows(conn), "counts": file_counts_off(conn), "rule2": rule2_violations(conn),
        "stale": stale_rows(conn),
    }


OK = {"unaccounted": [], "counts": [], "rule2": [], "stale": []}


def summaries(conn, report_id):
    return sorted(s for (s,) in conn.execute(
        "SELECT summary FROM core.report WHERE external_id = %s", (report_id,)).fetchall())


def counted(conn, month=MARCH):
    (n,) = conn.execute("SELECT count(*) FROM core.counted_reports(%s)", (month,)).fetchone()
    return n


@pytest.mark.parametrize("last", ["without_id", "unreadable"])
def test_a_correction_sent_again_with_the_id_then_without_it_gives_the_original_back(conn, inbox, last):
    put(inbox, "2024-03/a.xlsx", [report(report_id="K", summary="Из a")])
    load(conn, inbox, "2024-03/a.xlsx", 1)
    put(inbox, "2024-03/b.xlsx", [report(report_id="K", summary="Из b, версия 1")])
    load(conn, inbox, "2024-03/b.xlsx", 2)
    put(inbox, "2024-03/b.xlsx", [report(report_id="K", summary="Из b, версия 2")])  # b still carries K
    load(conn, inbox, "2024-03/b.xlsx", 3)
    assert summaries(conn, "K") == ["Из b, версия 2"]
    assert invariants(conn) == OK
    if last == "without_id":
        put(inbox, "2024-03/b.xlsx", [report(report_id="L", summary="Другое")])
    else:
        unreadable(inbox, "2024-03/b.xlsx")
    outcome = load(conn, inbox, "2024-03/b.xlsx", 4)
    assert (outcome.rows_restored, summaries(conn, "K")) == (1, ["Из a"]), "b no longer gives K: a's row is back"
    assert invariants(conn) == OK


def test_a_list_of_duplicate_marks_sent_again_with_one_more_keeps_both(conn, inbox):
    put(inbox, "2024-03/north.xlsx", [
        report(report_id="N-1", summary="Первое"), report(report_id="N-2", summary="Второе", outlet="Orda.kz"),
        report(report_id="N-3", summary="Третье", outlet="KazTAG"),
    ])
    load(conn, inbox, "2024-03/north.xlsx", 1)
    assert counted(conn) == 3
    put(inbox, "2024-03/marks.xlsx", [{"report_id": "N-2", "duplicate_of": "N-1"}])
    load(conn, inbox, "2024-03/marks.xlsx", 2)
    assert counted(conn) == 2
    # The editor adds a second mark to the same list.
    put(inbox, "2024-03/marks.xlsx", [{"report_id": "N-2", "duplicate_of": "N-1"},
                                      {"report_id": "N-3", "duplicate_of": "N-1"}])
    outcome = load(conn, inbox, "2024-03/marks.xlsx", 3)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (2, 0), outcome.describe()
    assert counted(conn) == 1, "N-2 and N-3 are both marked duplicates of N-1"
    assert invariants(conn) == OK


def test_a_file_outside_a_month_folder_replaced_a_month_later_gives_back_what_it_withdrew(conn, inbox):
    april, may = dt.date(2024, 4, 10), dt.date(2024, 5, 3)
    put(inbox, "kostanay.xlsx", [report(report_id="K-1", summary="Первое")])
    load(conn, inbox, "kostanay.xlsx", 1, today=april)
    put(inbox, "kostanay_fixed.xlsx", [report(report_id="K-1", summary="Исправлено")])
    load(conn, inbox, "kostanay_fixed.xlsx", 2, today=april)
    assert summaries(conn, "K-1") == ["Исправлено"]
    # In May the correspondent takes the correction back.
    put(inbox, "kostanay_fixed.xlsx", [report(report_id="K-9", summary="Другое")])
    outcome = load(conn, inbox, "kostanay_fixed.xlsx", 30 * 24, today=may)
    assert (outcome.rows_restored, summaries(conn, "K-1")) == (1, ["Первое"])
    assert invariants(conn) == OK


def test_a_new_version_with_the_bytes_of_another_file_still_replaces_its_path(conn, inbox):
    put(inbox, "2024-03/a.xlsx", [report(report_id="K", summary="Из a")])
    put(inbox, "2024-03/b.xlsx", [report(report_id="K", summary="Из b")])
    put(inbox, "2024-03/c.xlsx", [report(report_id="X", summary="Из c")])
    for hours, path in enumerate(("2024-03/a.xlsx", "2024-03/b.xlsx", "2024-03/c.xlsx"), start=1):
        load(conn, inbox, path, hours)
    assert summaries(conn, "K") == ["Из b"]
    # b.xlsx is overwritten with a copy of c.xlsx: b no longer gives K.
    shutil.copy(inbox / "correspondents/2024-03/c.xlsx", inbox / "correspondents/2024-03/b.xlsx")
    load(conn, inbox, "2024-03/b.xlsx", 4)
    assert summaries(conn, "K") == ["Из a"], "the old version of b.xlsx is no longer what the path holds"


def test_a_copy_skipped_as_identical_is_loaded_once_its_twin_changes_in_the_same_run(conn, inbox):
    folder = inbox / "correspondents" / "2024-03"
    put(inbox, "2024-03/b.xlsx", [report(report_id="X", summary="Первое")])
    ingest_inbox(conn, inbox, TODAY)
    conn.commit()
    shutil.copy(folder / "b.xlsx", folder / "a.xlsx")  # a copy under a name sorting first
    put(inbox, "2024-03/b.xlsx", [report(report_id="Y", summary="Второе")])
    ingest_inbox(conn, inbox, TODAY)
    conn.commit()
    before = snapshot(conn)
    outcomes = ingest_inbox(conn, inbox, TODAY)  # nothing changed in the inbox
    conn.commit()
    assert {o.status for o in outcomes} == {"unchanged"}
    assert snapshot(conn) == before


def test_a_failed_duplicate_mark_leaves_the_report_it_names_as_it_was(conn, inbox):
    put(inbox, "2024-03/north.xlsx", [report(report_id="N-2", summary="Первое")])
    load(conn, inbox, "2024-03/north.xlsx", 1)
    put(inbox, "2024-03/north_fixed.xlsx", [report(report_id="N-2", summary="Исправлено")])
    load(conn, inbox, "2024-03/north_fixed.xlsx", 2)
    put(inbox, "2024-03/marks.xlsx", [{"report_id": "N-2", "duplicate_of": "N-999"}])  # names a report nobody sent
    outcome = load(conn, inbox, "2024-03/marks.xlsx", 3)
    assert (outcome.rows_quarantined, summaries(conn, "N-2")) == (1, ["Исправлено"])
    violations_after_mark = rule2_violations(conn)
    unreadable(inbox, "2024-03/north_fixed.xlsx")
    load(conn, inbox, "2024-03/north_fixed.xlsx", 4)
    assert summaries(conn, "N-2") == ["Первое"], "the correction is gone and the failed mark changed nothing"


def test_a_failed_duplicate_mark_holds_no_report_id(conn, inbox):
    put(inbox, "2024-03/north.xlsx", [report(report_id="N-2", summary="Первое")])
    load(conn, inbox, "2024-03/north.xlsx", 2)
    put(inbox, "2024-03/marks.xlsx", [{"report_id": "N-2", "duplicate_of": "N-999"}])
    load(conn, inbox, "2024-03/marks.xlsx", 3)
    assert summaries(conn, "N-2") == ["Первое"]
    put(inbox, "2024-03/early.xlsx", [report(report_id="N-2", summary="Раньше")])
    load(conn, inbox, "2024-03/early.xlsx", 1)  # found by an earlier run, loaded last
    assert summaries(conn, "N-2") == ["Первое"], "north.xlsx is later than early.xlsx; the failed mark changes nothing"


def test_an_editors_mark_outlives_the_correspondent_sending_the_report_again(conn, inbox):
    rows = [report(report_id="N-1", summary="Первое"), report(report_id="N-2", summary="Второе", outlet="Orda.kz")]
    put(inbox, "2024-03/north.xlsx", rows)
    load(conn, inbox, "2024-03/north.xlsx", 1)
    put(inbox, "2024-03/marks.xlsx", [{"report_id": "N-2", "duplicate_of": "N-1"}])
    load(conn, inbox, "2024-03/marks.xlsx", 2)
    assert counted(conn) == 1
    # The correspondent adds a new, unrelated report to the file and sends it again.
    put(inbox, "2024-03/north.xlsx", rows + [report(report_id="N-3", summary="Третье", outlet="KazTAG")])
    load(conn, inbox, "2024-03/north.xlsx", 3)
    assert counted(conn) == 2, "N-2 stays marked as a duplicate of N-1"


def test_a_new_version_submitted_before_the_file_it_had_corrected_loses_to_it(conn, inbox):
    put(inbox, "2024-03/a.xlsx", [report(report_id="K", summary="Из a")])
    load(conn, inbox, "2024-03/a.xlsx", 2)
    put(inbox, "2024-03/b.xlsx", [report(report_id="K", summary="Из b, версия 1")])
    load(conn, inbox, "2024-03/b.xlsx", 3)
    put(inbox, "2024-03/b.xlsx", [report(report_id="K", summary="Из b, версия 2")])
    load(conn, inbox, "2024-03/b.xlsx", 1)  # a run that began before a.xlsx's loads b's new version last
    assert invariants(conn) == OK
    assert summaries(conn, "K") == ["Из a"], "a.xlsx (hour 2) is later than b.xlsx's current version (hour 1)"


def test_a_path_may_go_back_to_the_bytes_of_an_earlier_version(conn, inbox):
    folder = inbox / "correspondents" / "2024-03"
    put(inbox, "2024-03/a.xlsx", [report(report_id="K", summary="Первая версия")])
    ingest_inbox(conn, inbox, TODAY)
    conn.commit()
    first = (folder / "a.xlsx").read_bytes()
    put(inbox, "2024-03/a.xlsx", [report(report_id="K", summary="Вторая версия")])
    ingest_inbox(conn, inbox, TODAY)
    conn.commit()
    (folder / "a.xlsx").write_bytes(first)  # the correspondent takes the first version back
    put(inbox, "2024-03/z.xlsx", [report(report_id="Z", summary="Другой файл")])
    outcomes = ingest_inbox(conn, inbox, TODAY)
    conn.commit()
    assert [o.status for o in outcomes] == ["loaded", "loaded"], [o.describe() for o in outcomes]
    assert summaries(conn, "K") == ["Первая версия"]
    assert invariants(conn) == OK


def test_the_same_unreadable_bytes_may_come_back_after_a_readable_version(conn, inbox):
    put(inbox, "2024-03/b.xlsx", [report(report_id="K", summary="Годное")])
    load(conn, inbox, "2024-03/b.xlsx", 1)
    unreadable(inbox, "2024-03/b.xlsx")
    load(conn, inbox, "2024-03/b.xlsx", 2)
    put(inbox, "2024-03/b.xlsx", [report(report_id="K", summary="Снова")])
    load(conn, inbox, "2024-03/b.xlsx", 3)
    unreadable(inbox, "2024-03/b.xlsx")
    assert load(conn, inbox, "2024-03/b.xlsx", 4).status == "quarantined"
    assert summaries(conn, "K") == [] and invariants(conn) == OK


def test_an_id_given_twice_in_a_file_is_withdrawn_and_given_back_with_both_rows(conn, inbox):
    put(inbox, "2024-03/a.xlsx", [report(report_id="K", summary="Один"), report(report_id="K", summary="Два"),
                                  report(report_id="M", summary="Другое")])
    load(conn, inbox, "2024-03/a.xlsx", 1)
    assert invariants(conn) == OK
    put(inbox, "2024-03/b.xlsx", [report(report_id="K", summary="Исправлено")])
    load(conn, inbox, "2024-03/b.xlsx", 2)
    assert summaries(conn, "K") == ["Исправлено"] and invariants(conn) == OK
    put(inbox, "2024-03/b.xlsx", [report(report_id="Z", summary="Иное")])
    out = load(conn, inbox, "2024-03/b.xlsx", 3)
    assert out.rows_restored == 2 and summaries(conn, "K") == ["Один"]
    assert conn.execute("SELECT count(*) FROM quarantine.row WHERE external_id = 'K'").fetchone() == (1,)
    assert invariants(conn) == OK


def test_a_quarantined_correction_replaced_by_unreadable_and_readable_versions(conn, inbox):
    put(inbox, "2024-03/a.xlsx", [report(report_id="K", summary="Годное")])
    load(conn, inbox, "2024-03/a.xlsx", 1)
    put(inbox, "2024-03/b.xlsx", [report(report_id="K", region="Нарния", summary="Плохое")])
    load(conn, inbox, "2024-03/b.xlsx", 2)
    assert summaries(conn, "K") == [] and invariants(conn) == OK
    unreadable(inbox, "2024-03/b.xlsx")
    assert load(conn, inbox, "2024-03/b.xlsx", 3).rows_restored == 1
    assert summaries(conn, "K") == ["Годное"] and invariants(conn) == OK
    put(inbox, "2024-03/b.xlsx", [report(report_id="K", summary="Снова")])
    load(conn, inbox, "2024-03/b.xlsx", 4)
    assert summaries(conn, "K") == ["Снова"] and invariants(conn) == OK
    unreadable(inbox, "2024-03/b.xlsx", "again")
    load(conn, inbox, "2024-03/b.xlsx", 5)
    assert summaries(conn, "K") == ["Годное"] and invariants(conn) == OK
    assert conn.execute("SELECT count(*) FROM raw.row_restoration").fetchone() == (2,)


def test_the_same_id_in_two_submission_months_is_two_reports(conn, inbox):
    put(inbox, "2024-02/a.xlsx", [report(report_id="K", summary="Фев a", event_date=dt.date(2024, 2, 7))])
    put(inbox, "2024-03/a.xlsx", [report(report_id="K", summary="Мар a")])
    load(conn, inbox, "2024-02/a.xlsx", 1)
    load(conn, inbox, "2024-03/a.xlsx", 1)
    put(inbox, "2024-02/b.xlsx", [report(report_id="K", summary="Фев b", event_date=dt.date(2024, 2, 7))])
    load(conn, inbox, "2024-02/b.xlsx", 2)
    assert summaries(conn, "K") == ["Мар a", "Фев b"] and invariants(conn) == OK
    put(inbox, "2024-03/b.xlsx", [report(report_id="K", summary="Мар b")])
    load(conn, inbox, "2024-03/b.xlsx", 3)
    unreadable(inbox, "2024-02/b.xlsx")
    load(conn, inbox, "2024-02/b.xlsx", 4)
    assert summaries(conn, "K") == ["Мар b", "Фев a"] and invariants(conn) == OK


def test_a_mark_after_a_correction_and_the_marks_file_going(conn, inbox):
    put(inbox, "2024-03/north.xlsx", [report(report_id="N-1", summary="Первое"),
                                      report(report_id="N-2", summary="Второе", outlet="Orda.kz")])
    load(conn, inbox, "2024-03/north.xlsx", 1)
    put(inbox, "2024-03/north_fix.xlsx", [report(report_id="N-2", summary="Второе, исправлено", outlet="Orda.kz")])
    load(conn, inbox, "2024-03/north_fix.xlsx", 2)
    put(inbox, "2024-03/marks.xlsx", [{"report_id": "N-2", "duplicate_of": "N-1"}])
    load(conn, inbox, "2024-03/marks.xlsx", 3)
    assert summaries(conn, "N-2") == ["Второе, исправлено"] and counted(conn) == 1
    assert invariants(conn) == OK
    unreadable(inbox, "2024-03/marks.xlsx")
    load(conn, inbox, "2024-03/marks.xlsx", 4)
    assert summaries(conn, "N-2") == ["Второе, исправлено"] and counted(conn) == 2 and invariants(conn) == OK


def test_running_a_mixed_inbox_again_changes_nothing(conn, inbox):
    put(inbox, "2024-03/a.xlsx", [report(report_id="K", summary="a"), report(report_id="M", summary="a M")])
    put(inbox, "2024-03/b.xlsx", [report(report_id="K", summary="b"), report(report_id="K", summary="b2")])
    put(inbox, "2024-03/c.xlsx", [report(report_id="M", summary="c")])
    unreadable(inbox, "2024-03/d.xlsx")
    put(inbox, "2024-03/e.xlsx", [{"report_id": "K", "duplicate_of": "M"}])
    ingest_inbox(conn, inbox, TODAY)
    conn.commit()
    assert invariants(conn) == OK
    before = snapshot(conn)
    for _ in range(2):
        outcomes = ingest_inbox(conn, inbox, TODAY)
        conn.commit()
        assert {o.status for o in outcomes} == {"unchanged"}
        assert snapshot(conn) == before


# ---------------------------------------------------------------------------------------------------------------
# Model-based fuzz: one month, four paths, one contested id; compare every row's place with the rules.
# ---------------------------------------------------------------------------------------------------------------

PATHS = ["2024-03/a.xlsx", "2024-03/b.xlsx", "2024-03/c.xlsx", "2024-03/d.xlsx"]
# What a version of a file gives: rows of (report id, valid?), or None for an unreadable file.
VERSIONS = {
    "good": lambda tag: [("K", True), (f"O-{tag}", True)],
    "good, other id first": lambda tag: [("M", True), ("K", True)],
    "bad": lambda tag: [("K", False), ("M", True)],
    "id twice": lambda tag: [("K", True), ("M", False), ("K", True)],
    "mixed": lambda tag: [("M", True), ("M", True), ("K", False)],
    "no contested id": lambda tag: [(f"O-{tag}", True)],
    "unreadable": lambda tag: None,
}


def write_version(inbox, path, rows, n):
    if rows is None:
        unreadable(inbox, path, f"{path} v{n}")
        return
    out = []
    for i, (rid, good) in enumerate(rows):
        kw = {"report_id": rid, "summary": f"{path} v{n} r{i}"}
        if not good:
            kw["region"] = "Нарния"
        out.append(report(**kw))
    put(inbox, path, out)


def expected_places(current):
    """The rules as a model. current: path → (submitted at, rows or None); returns {(path, row): place}."""
    holders = {}
    for path, (hours, rows) in current.items():
        for rid, _ in rows or []:
            holders.setdefault(rid, set()).add((hours, path))
    places = {}
    for path, (hours, rows) in current.items():
        seen = set()
        for i, (rid, good) in enumerate(rows or []):
            if max(holders[rid]) != (hours, path):
                place = "withdrawn"
            elif rid in seen or not good:
                place = "quarantine"
            else:
                place = "core"
            seen.add(rid)
            places[(path, i + 2)] = place
    return places


def actual_places(conn):
    return dict(((p, n), place) for p, n, place in conn.execute(
        """SELECT f.inbox_path, x.row_number, x.place FROM raw.file f JOIN (
               SELECT file_id, row_number, 'core' AS place FROM core.report
               UNION ALL SELECT file_id, row_number, 'quarantine' FROM quarantine.row
               UNION ALL SELECT file_id, row_number, 'withdrawn' FROM raw.row_replacement) x USING (file_id)
           WHERE f.status = 'loaded'"""
    ).fetchall())


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("ordered", [True, False], ids=["in order", "out of order"])
def test_random_sequences_of_versions_follow_the_rules(conn, inbox, seed, ordered):
    rng = random.Random(1000 + seed * 7 + ordered)
    current, counter, steps = {}, {}, []
    for step in range(14):
        path = rng.choice(PATHS)
        kind = rng.choice(sorted(VERSIONS))
        counter[path] = counter.get(path, 0) + 1
        rows = VERSIONS[kind](f"{path[-6]}{counter[path]}")
        hours = step if ordered else rng.randint(0, 40)
        write_version(inbox, path, rows, counter[path])
        load(conn, inbox, path, hours)
        current[path] = (hours, rows)
        steps.append((path, kind, hours))
        expected = expected_places(current)
        actual = actual_places(conn)
        diff = {k: (actual.get(k), expected.get(k)) for k in set(actual) | set(expected) if actual.get(k) != expected.get(k)}
        assert (diff, invariants(conn)) == ({}, OK), "\n".join(map(str, steps))
    before = snapshot(conn)
    outcomes = ingest_files(conn, inbox, sorted(current), TODAY)
    conn.commit()
    assert {o.status for o in outcomes} <= {"unchanged"} and snapshot(conn) == before, steps


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))))
def test_a_chain_of_four_corrections_undone_in_any_order(conn, inbox, order):
    names = ["a", "b", "c", "d"]
    for hours, name in enumerate(names, start=1):
        put(inbox, f"2024-03/{name}.xlsx", [report(report_id="K", summary=f"Из {name}")])
        load(conn, inbox, f"2024-03/{name}.xlsx", hours)
    remaining = set(names)
    for step, i in enumerate(order):
        name = names[i]
        if step % 2:
            unreadable(inbox, f"2024-03/{name}.xlsx")
        else:
            put(inbox, f"2024-03/{name}.xlsx", [report(report_id=f"X-{name}", summary=f"Другое {name}")])
        load(conn, inbox, f"2024-03/{name}.xlsx", 10 + step)
        remaining.discard(name)
        assert summaries(conn, "K") == ([f"Из {max(remaining)}"] if remaining else [])
        assert invariants(conn) == OK
        assert counted(conn) == (1 if remaining else 0) + sum(1 for s in range(step + 1) if not s % 2)
