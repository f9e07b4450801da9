"""The official XML dump, bare or zipped, streamed: ids as keys, hash changes, entries without <domain>."""

import zipfile

from include.presswatch.registry import ingest_registry

HEAD = ('<?xml version="1.0" encoding="windows-1251"?>\n<reg:register updateTime="2024-03-20T15:00:00+03:00" '
        'formatVersion="2.2" xmlns:reg="http://rsoc.ru">')
ENTRIES = [
    '<content id="656" includeTime="2012-11-24T15:34:17" entryType="1" hash="D0853C12">'
    '<decision date="2012-11-14" number="2/1/11-168" org="ФСКН"/>'
    '<url><![CDATA[http://cannabay.org/]]></url><domain><![CDATA[cannabay.org]]></domain><ip>94.76.213.163</ip></content>',
    # no <domain> and a malformed URL: the URL host still matches the watched outlet
    '<content id="700" includeTime="2024-03-12T10:00:00" entryType="1" hash="AA11">'
    '<decision date="2024-03-12" number="27-31-2024/Ид1207-24" org="Генпрокуратура"/>'
    '<url><![CDATA[http:/azh.kz/ru/news/219]]></url><ip>185.22.64.11</ip><ipSubnet>185.22.64.0/24</ipSubnet></content>',
    '<content id="701" includeTime="2024-03-13T10:00:00" entryType="1" blockType="domain" hash="BB22">'
    '<decision date="2024-03-13" number="б/н" org="Роскомнадзор"/><domain>news.tengrinews.kz</domain></content>',
]


def write_xml(path, entries, tail="</reg:register>\n", zipped=False):
    data = (HEAD + "\n".join(entries) + tail).encode("cp1251")
    path.parent.mkdir(parents=True, exist_ok=True)
    if zipped:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("dump.xml", data)
    else:
        path.write_bytes(data)


def test_zipped_xml_dump_is_read_and_matched(conn, inbox):
    write_xml(inbox / "registry" / "xml" / "register.zip", ENTRIES, zipped=True)
    [snapshot] = ingest_registry(conn, inbox).snapshots
    assert snapshot.status == "valid" and snapshot.rows_loaded == 3
    rows = conn.execute("SELECT entry_id, domains, urls, ips, listed_at::text FROM core.registry_notice ORDER BY 1").fetchall()
    assert rows[1] == ("700", [], ["http:/azh.kz/ru/news/219"], ["185.22.64.11", "185.22.64.0/24"], "2024-03-12 10:00:00")
    matches = set(conn.execute("SELECT outlet_id, matched_host, match_kind FROM core.registry_match").fetchall())
    assert matches == {("ak_zhayik", "azh.kz", "url_host"), ("tengrinews", "news.tengrinews.kz", "subdomain")}


def test_changed_hash_under_the_same_id_is_a_change_not_a_new_entry(conn, inbox):
    write_xml(inbox / "registry" / "a" / "dump.xml", ENTRIES)
    ingest_registry(conn, inbox)
    write_xml(inbox / "registry" / "b" / "dump.xml", ENTRIES[:2] + [ENTRIES[2].replace("BB22", "BB23")
                                                                    .replace("news.tengrinews.kz", "other.example")])
    results = ingest_registry(conn, inbox).snapshots
    assert [s.status for s in results] == ["skipped", "valid"]
    assert results[1].counts["changed"] == 1 and results[1].counts["new"] == 0
    # The entry no longer names the outlet: its match goes.
    assert conn.execute("SELECT count(*) FROM core.registry_match WHERE outlet_id = 'tengrinews'").fetchone()[0] == 0


def test_truncated_xml_loads_the_entries_before_the_break_as_partial(conn, inbox):
    write_xml(inbox / "registry" / "dump.xml", ENTRIES[:2] + ['<content id="702" hash="x"><decision da'], tail="")
    [snapshot] = ingest_registry(conn, inbox).snapshots
    assert snapshot.status == "partial" and snapshot.rows_loaded == 2
    assert "breaks off" in snapshot.problems[0]


def test_a_file_that_is_no_xml_fails_and_loads_nothing(conn, inbox):
    (inbox / "registry" / "dump.xml").write_text("this is not xml at all")
    [snapshot] = ingest_registry(conn, inbox).snapshots
    assert snapshot.status == "failed" and "not a readable register XML" in snapshot.problems[0]
    assert conn.execute("SELECT count(*) FROM core.registry_notice").fetchone()[0] == 0
