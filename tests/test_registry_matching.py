"""A dump the tests never saw: watched outlets among decoys give exactly the right core.registry_match rows,
and the month's draft data lists them."""

import datetime as dt

from include.presswatch.registry import ingest_registry
from include.presswatch.reports.draft_data import registry_matches

from .registry_fixtures import DECOYS, write_dump, write_watchlist

UNSEEN = DECOYS + [
    # exact, through www. and upper case
    "185.22.64.11;WWW.AZH.KZ;https://azh.kz/ru/news/219;Генпрокуратура;27-31-2024/Ид1207-24;2024-03-12",
    # subdomain of a watched outlet
    "185.22.64.12;rus.tengrinews.kz;https://rus.tengrinews.kz/a;Роскомнадзор;б/н;2024-03-05",
    # register wildcard over an outlet
    "185.22.64.13;*.vlast.kz;;суд;2а-9/2024;2024-02-20",
    # watchlist wildcard (*.orda-media.kz from the inbox watchlist)
    "185.22.64.14;city.orda-media.kz;;МВД;1-1/2024;2024-03-30",
    # URL host only: no domain, a malformed URL
    "185.22.64.15;;http:/kursiv.media/2024/03/01/x;Генпрокуратура;б/н;2024-03-01",
    # IDN in punycode in the register (cp1251 cannot hold Kazakh letters), Unicode in the inbox watchlist
    # (the example host пример.қаз, watched by the first test only)
    "185.22.64.16;XN--E1AFMKFD.xn--80ao21a.;;Роскомнадзор;7/2024;2024-01-15",
    # look-alikes and decoys: none may match
    "9.9.9.1;notazh.kz;https://notazh.kz/;суд;1;2024-03-01",
    "9.9.9.2;azh.kz.evil.com;https://azh.kz.evil.com/azh.kz;суд;2;2024-03-01",
    "9.9.9.3;tengrinews.kz-news.ru;http://tengrinews.kz-news.ru/;суд;3;2024-03-01",
    "9.9.9.4;vlastkz.org;http://vlastkz.org/vlast.kz;суд;4;2024-03-01",
    "9.9.9.5;kz;http://kz/;суд;5;2024-03-01",
    "2.56.178.1;;http://;суд;6;2024-03-01",
    "2.56.178.2;;http://[::1]/vlast.kz;суд;7;2024-03-01",
]

EXPECTED = {
    ("ak_zhayik", "azh.kz", "azh.kz", "exact"),
    ("tengrinews", "tengrinews.kz", "rus.tengrinews.kz", "subdomain"),
    ("vlast", "vlast.kz", "*.vlast.kz", "register_wildcard"),
    ("wl:orda-media.kz", "orda-media.kz", "city.orda-media.kz", "watchlist_wildcard"),
    ("kursiv", "kursiv.media", "kursiv.media", "url_host"),
    ("wl:xn--e1afmkfd.xn--80ao21a", "xn--e1afmkfd.xn--80ao21a", "xn--e1afmkfd.xn--80ao21a", "exact"),
}


def test_unseen_dump_yields_exactly_the_right_matches(conn, inbox):
    write_watchlist(inbox, [("*.orda-media.kz", "Orda Media"), ("http://com.kz/", "a public suffix, refused"),
                            ("http://пример.қаз/", "IDN Example")])
    write_dump(inbox / "registry" / "2024-03-31", UNSEEN)
    outcome = ingest_registry(conn, inbox)
    assert outcome.snapshots[0].status == "valid"
    found = set(conn.execute(
        "SELECT outlet_id, outlet_domain, matched_host, match_kind FROM core.registry_match").fetchall())
    assert found == EXPECTED


def test_matches_follow_the_watchlist_when_it_changes(conn, inbox):
    write_dump(inbox / "registry" / "2024-03-31", UNSEEN)
    ingest_registry(conn, inbox)
    assert conn.execute("SELECT count(*) FROM core.registry_match WHERE outlet_id LIKE 'wl:%'").fetchone()[0] == 0
    write_watchlist(inbox, [("*.orda-media.kz", "Orda Media")])
    outcome = ingest_registry(conn, inbox)
    assert outcome.rematched is not None
    assert conn.execute("SELECT outlet, match_kind FROM core.registry_match WHERE outlet_id LIKE 'wl:%'").fetchall() == [
        ("Orda Media", "watchlist_wildcard")]


def test_march_draft_lists_listings_decided_or_first_seen_in_march(conn, inbox):
    write_dump(inbox / "registry" / "2024-03-31", UNSEEN)
    ingest_registry(conn, inbox)
    march = registry_matches(conn, dt.date(2024, 3, 1))
    assert march["loaded"]
    listed = {(m["outlet"], m["decision_number"], str(m["decision_date"])) for m in march["matches"]}
    assert ("Ak Zhayik", "27-31-2024/Ид1207-24", "2024-03-12") in listed
    assert ("Kursiv Media", "б/н", "2024-03-01") in listed
    assert not any(number == "2а-9/2024" for _o, number, _d in listed)  # decided in February, seen now
    february = registry_matches(conn, dt.date(2024, 2, 1))
    assert [m["decision_number"] for m in february["matches"]] == ["2а-9/2024"]


def test_sample_inbox_lists_the_ak_zhayik_listing_in_march_2024(conn):
    ingest_registry(conn, None)
    march = registry_matches(conn, dt.date(2024, 3, 1))["matches"]
    assert {m["outlet"] for m in march} == {"Ak Zhayik"}
    assert any(m["authority"] == "Генпрокуратура" and str(m["decision_date"]) == "2024-03-12" for m in march)
