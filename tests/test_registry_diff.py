"""Snapshot diffing: new, changed, removed only after two consecutive valid snapshots, relisted, and no
removals from a partial snapshot."""

from include.presswatch.registry import ingest_registry

from .registry_fixtures import write_dump

A = "1.1.1.1;a.ru;http://a.ru/;суд;2а-1/2020;2020-01-01"
A_NEW_IPS = "2.2.2.2 | 1.1.1.1;a.ru;http://a.ru/;суд;2а-1/2020;2020-01-01"
A_IPS_REORDERED = "1.1.1.1 | 2.2.2.2;a.ru;http://a.ru/;суд;2а-1/2020;2020-01-01"
B = "3.3.3.3;b.ru;http://b.ru/x | http://b.ru/y;ФНС;б/н;2021-02-02"
B_REORDERED = "3.3.3.3;b.ru;http://b.ru/y | http://b.ru/x;ФНС;б/н;2021-02-02"
FILLER = [f"9.9.{i}.1;filler{i}.ru;http://filler{i}.ru/;Роскомнадзор;{i};2022-03-03" for i in range(60)]


def snapshot(conn, inbox, day: int, lines, newline_at_end=True):
    write_dump(inbox / "registry" / f"day{day:02d}", lines, updated=f"2024-03-{day:02d} 10:00:00 +0300",
               newline_at_end=newline_at_end)
    results = [s for s in ingest_registry(conn, inbox).snapshots if s.status != "skipped"]
    assert len(results) == 1
    return results[0]


def state(conn, domain):
    return conn.execute(
        "SELECT status, missing_since_snapshot IS NOT NULL, removed_at IS NOT NULL FROM core.registry_notice "
        "WHERE %s = ANY(domains)", (domain,)).fetchone()


def events(conn, domain):
    return [e for (e,) in conn.execute(
        """SELECT e.event FROM core.registry_notice_event e JOIN core.registry_notice n USING (source, notice_key)
           WHERE %s = ANY(n.domains) ORDER BY e.event_id""", (domain,))]


def test_new_then_changed_ips_keep_one_entry_with_a_history_row(conn, inbox):
    first = snapshot(conn, inbox, 1, [A, B] + FILLER)
    assert first.counts["new"] == 2 + len(FILLER)
    second = snapshot(conn, inbox, 2, [A_NEW_IPS, B] + FILLER)
    assert second.counts == {"new": 0, "changed": 1, "relisted": 0, "removed": 0, "missing_once": 0, "matches": 0}
    assert events(conn, "a.ru") == ["new", "changed"]
    assert conn.execute("SELECT ips FROM core.registry_notice WHERE 'a.ru' = ANY(domains)").fetchone()[0] == [
        "2.2.2.2", "1.1.1.1"]


def test_reordered_values_are_no_change(conn, inbox):
    snapshot(conn, inbox, 1, [A_NEW_IPS, B] + FILLER)
    second = snapshot(conn, inbox, 2, [A_IPS_REORDERED, B_REORDERED] + FILLER)
    assert second.counts["new"] == 0 and second.counts["changed"] == 0
    assert events(conn, "b.ru") == ["new"] and events(conn, "a.ru") == ["new"]


def test_removed_only_after_two_consecutive_valid_snapshots_then_relisted(conn, inbox):
    snapshot(conn, inbox, 1, [A, B] + FILLER)
    once = snapshot(conn, inbox, 2, [B] + FILLER + ["4.4.4.4;c.ru;;суд;1;2020-01-01"])
    assert once.status == "valid" and once.counts["removed"] == 0
    assert state(conn, "a.ru") == ("listed", True, False)
    twice = snapshot(conn, inbox, 3, [B] + FILLER + ["4.4.4.4;c.ru;;суд;1;2020-01-01"])
    assert twice.counts["removed"] == 1
    assert state(conn, "a.ru") == ("removed", False, True)
    removed_at, first_missing = conn.execute(
        """SELECT n.removed_at, s.taken_at FROM core.registry_notice n, core.registry_snapshot s
           WHERE 'a.ru' = ANY(n.domains) AND s.origin = 'day02'""").fetchone()
    assert removed_at == first_missing
    back = snapshot(conn, inbox, 4, [A, B] + FILLER)
    assert back.counts["relisted"] == 1
    assert state(conn, "a.ru") == ("listed", False, False)
    assert events(conn, "a.ru") == ["new", "removed", "relisted"]


def test_an_entry_back_after_one_missing_snapshot_is_not_removed(conn, inbox):
    snapshot(conn, inbox, 1, [A, B] + FILLER)
    snapshot(conn, inbox, 2, [B] + FILLER + ["4.4.4.4;e.ru;;суд;1;2020-01-01"])
    snapshot(conn, inbox, 3, [A, B] + FILLER)
    snapshot(conn, inbox, 4, [A, B] + FILLER + ["5.5.5.5;d.ru;;суд;1;2020-01-01"])
    assert state(conn, "a.ru") == ("listed", False, False)
    assert events(conn, "a.ru") == ["new"]


def test_no_removals_from_a_partial_snapshot(conn, inbox):
    snapshot(conn, inbox, 1, [A, B] + FILLER)
    truncated = snapshot(conn, inbox, 2, [B] + FILLER[:59] + ["9.9.59.1;filler59.ru;http://fil"], newline_at_end=False)
    assert truncated.status == "partial"
    assert state(conn, "a.ru") == ("listed", False, False)
    shrunk = snapshot(conn, inbox, 3, [B] + FILLER[:30])  # half the register gone: a broken download
    assert shrunk.status == "partial" and any("drop of more than" in p for p in shrunk.problems)
    assert conn.execute("SELECT count(*) FROM core.registry_notice WHERE missing_since_snapshot IS NOT NULL").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM core.registry_notice WHERE status = 'removed'").fetchone()[0] == 0


def test_an_unchanged_snapshot_under_a_new_time_completes_a_removal_without_staging(conn, inbox):
    snapshot(conn, inbox, 1, [A, B] + FILLER)
    snapshot(conn, inbox, 2, [B] + FILLER)
    same = snapshot(conn, inbox, 3, [B] + FILLER)
    assert same.unchanged and same.status == "valid"
    assert same.counts["removed"] == 1 and state(conn, "a.ru")[0] == "removed"


def test_a_failed_snapshot_leaves_the_earlier_state_untouched(conn, inbox):
    snapshot(conn, inbox, 1, [A, B] + FILLER)
    before = conn.execute("SELECT count(*), sum(hashtext(notice_key::text)) FROM core.registry_notice").fetchone()
    (inbox / "registry" / "broken.zip").write_bytes(b"PK\x03\x04 this is no zip")
    outcome = ingest_registry(conn, inbox)
    failed = [s for s in outcome.snapshots if s.status == "failed"]
    assert len(failed) == 1 and "not a readable zip" in failed[0].problems[0]
    assert conn.execute("SELECT count(*), sum(hashtext(notice_key::text)) FROM core.registry_notice").fetchone() == before
    assert conn.execute("SELECT status FROM core.registry_snapshot WHERE source = 'rkn_xml'").fetchone() == ("failed",)
