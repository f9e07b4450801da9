"""Nested watched domains: a register entry's host belongs to the outlet with the most specific domain covering
it (outlet "Example" at example.kz, "Example News" at news.example.kz: news.example.kz is Example News' only),
as OONI's measured hosts do (0051); sql/0052 drops the stored matches that no longer hold."""

import uuid

import psycopg

from include.presswatch.registry import ingest_registry
from include.presswatch.sources.registry_watchlist import load_watchlist
from include.presswatch.warehouse.migrations import migrate
from tests.migration_states import migrations_before

from .registry_fixtures import write_dump, write_watchlist

# пример.қаз and новости.пример.қаз: example internationalised names, nested like example.kz and news.example.kz
NESTED_WATCHLIST = [("https://example.kz/", "Example"), ("https://news.example.kz/", "Example News"),
                    ("https://rus.azattyq.org/", "Azattyq Russian"),
                    ("https://пример.қаз/", "IDN Example"), ("https://новости.пример.қаз/", "IDN Example News")]
IDN_EXAMPLE = "xn--e1afmkfd.xn--80ao21a"  # пример.қаз
IDN_EXAMPLE_NEWS = "xn--b1amnebsh.xn--e1afmkfd.xn--80ao21a"  # новости.пример.қаз

# decision number → the entry; utf-8, so Unicode hosts can be written as registers write them
ENTRIES = {
    "child": "10.0.0.1;news.example.kz;;суд;child;2024-03-01",
    "grandchild": "10.0.0.2;live.news.example.kz;;суд;grandchild;2024-03-01",
    "sibling": "10.0.0.3;other.example.kz;;суд;sibling;2024-03-01",
    "parent": "10.0.0.4;example.kz;;суд;parent;2024-03-01",
    "child_spelled": "10.0.0.5;WWW.News.Example.KZ.;;суд;child_spelled;2024-03-01",
    "child_url": "10.0.0.6;;http:/news.example.kz/2024/03/x;суд;child_url;2024-03-01",
    "child_and_its_url": "10.0.0.7;news.example.kz;https://news.example.kz/a | https://live.news.example.kz/b;суд;"
                         "child_and_its_url;2024-03-01",
    "child_and_parent_url": "10.0.0.8;news.example.kz;https://example.kz/page;суд;child_and_parent_url;2024-03-01",
    "child_and_sibling": "10.0.0.9;news.example.kz | old.example.kz;;суд;child_and_sibling;2024-03-01",
    "wildcard_over_both": "10.0.0.10;*.example.kz;;суд;wildcard_over_both;2024-03-01",
    "wildcard_over_child": "10.0.0.11;*.news.example.kz;;суд;wildcard_over_child;2024-03-01",
    "edition": "10.0.0.12;rus.azattyq.org;;суд;edition;2024-03-01",
    "other_edition": "10.0.0.13;kaz.azattyq.org;;суд;other_edition;2024-03-01",
    "kursiv_edition": "10.0.0.14;kz.kursiv.media;;суд;kursiv_edition;2024-03-01",
    "idn_child": "10.0.0.15;НОВОСТИ.ПРИМЕР.ҚАЗ;;суд;idn_child;2024-03-01",
    "idn_child_punycode": f"10.0.0.16;{IDN_EXAMPLE_NEWS.upper()};;суд;idn_child_punycode;2024-03-01",
    "idn_parent": "10.0.0.17;пример.қаз;;суд;idn_parent;2024-03-01",
    "ip_only": "10.0.0.18;10.0.0.18;http://10.0.0.18/news.example.kz;суд;ip_only;2024-03-01",
    "look_alike": "10.0.0.19;news.example.kz.evil.com;;суд;look_alike;2024-03-01",
}

EXPECTED = {
    ("child", "wl:news.example.kz", "news.example.kz", "news.example.kz", "exact"),
    ("grandchild", "wl:news.example.kz", "news.example.kz", "live.news.example.kz", "subdomain"),
    ("sibling", "wl:example.kz", "example.kz", "other.example.kz", "subdomain"),
    ("parent", "wl:example.kz", "example.kz", "example.kz", "exact"),
    ("child_spelled", "wl:news.example.kz", "news.example.kz", "news.example.kz", "exact"),
    ("child_url", "wl:news.example.kz", "news.example.kz", "news.example.kz", "url_host"),
    ("child_and_its_url", "wl:news.example.kz", "news.example.kz", "news.example.kz", "exact"),
    # a URL at the parent is the parent's: the entry touches both outlets, each through its own host
    ("child_and_parent_url", "wl:news.example.kz", "news.example.kz", "news.example.kz", "exact"),
    ("child_and_parent_url", "wl:example.kz", "example.kz", "example.kz", "url_host"),
    ("child_and_sibling", "wl:news.example.kz", "news.example.kz", "news.example.kz", "exact"),
    ("child_and_sibling", "wl:example.kz", "example.kz", "old.example.kz", "subdomain"),
    # *.example.kz blocks both sites; *.news.example.kz only the child's
    ("wildcard_over_both", "wl:example.kz", "example.kz", "*.example.kz", "register_wildcard"),
    ("wildcard_over_both", "wl:news.example.kz", "news.example.kz", "*.example.kz", "register_wildcard"),
    ("wildcard_over_child", "wl:news.example.kz", "news.example.kz", "*.news.example.kz", "register_wildcard"),
    # rus.azattyq.org listed on its own inside Radio Azattyq's azattyq.org and *.azattyq.org
    ("edition", "wl:rus.azattyq.org", "rus.azattyq.org", "rus.azattyq.org", "exact"),
    ("other_edition", "azattyq", "azattyq.org", "kaz.azattyq.org", "subdomain"),
    # one outlet listing kursiv.media and kz.kursiv.media: one match, on the more specific domain
    ("kursiv_edition", "kursiv", "kz.kursiv.media", "kz.kursiv.media", "exact"),
    ("idn_child", f"wl:{IDN_EXAMPLE_NEWS}", IDN_EXAMPLE_NEWS, IDN_EXAMPLE_NEWS, "exact"),
    ("idn_child_punycode", f"wl:{IDN_EXAMPLE_NEWS}", IDN_EXAMPLE_NEWS, IDN_EXAMPLE_NEWS, "exact"),
    ("idn_parent", f"wl:{IDN_EXAMPLE}", IDN_EXAMPLE, IDN_EXAMPLE, "exact"),
}


def ingest(conn, inbox, day: int = 20):
    write_dump(inbox / "registry" / f"2024-03-{day:02d}", list(ENTRIES.values()),
               updated=f"2024-03-{day:02d} 10:00:00 +0300", encoding="utf-8")
    return ingest_registry(conn, inbox)


def matches(conn) -> set[tuple]:
    return set(conn.execute(
        """SELECT n.decision_number, m.outlet_id, m.outlet_domain, m.matched_host, m.match_kind
           FROM core.registry_match m JOIN core.registry_notice n USING (source, notice_key)""").fetchall())


def test_a_register_host_under_two_outlets_domains_is_the_more_specific_outlets_only(conn, inbox):
    write_watchlist(inbox, NESTED_WATCHLIST)
    outcome = ingest(conn, inbox)
    assert outcome.snapshots[0].status == "valid"

    assert matches(conn) == EXPECTED
    # what editors review: each listing of news.example.kz once, for Example News
    assert conn.execute(
        "SELECT outlet, matched_host, match_kind FROM core.registry_review WHERE decision_number = 'child'"
    ).fetchall() == [("Example News", "news.example.kz", "exact")]
    assert conn.execute(
        "SELECT outlet, matched_host FROM core.registry_review WHERE decision_number = 'idn_child'"
    ).fetchall() == [("IDN Example News", "новости.пример.қаз")]

    # Without the more specific outlets, their hosts go back to the enclosing ones.
    write_watchlist(inbox, [("https://example.kz/", "Example"), ("https://пример.қаз/", "IDN Example")])
    assert ingest_registry(conn, inbox).rematched is not None
    found = {(number, outlet, host, kind) for number, outlet, _domain, host, kind in matches(conn)}
    assert {row for row in found if row[0] in ("child", "child_url", "wildcard_over_child", "edition",
                                                "idn_child")} == {
        ("child", "wl:example.kz", "news.example.kz", "subdomain"),
        ("child_url", "wl:example.kz", "news.example.kz", "url_host"),
        ("wildcard_over_child", "wl:example.kz", "*.news.example.kz", "register_wildcard"),
        ("edition", "azattyq", "rus.azattyq.org", "subdomain"),
        ("idn_child", f"wl:{IDN_EXAMPLE}", IDN_EXAMPLE_NEWS, "subdomain"),
    }


def test_matches_stored_under_the_earlier_rules_are_matched_again_by_the_next_ingest(conn, inbox):
    write_watchlist(inbox, NESTED_WATCHLIST)
    ingest(conn, inbox)
    # The state the earlier rules left: the enclosing outlet matched too, under a fingerprint of the watchlist alone.
    conn.execute(
        """INSERT INTO core.registry_match (source, notice_key, outlet_id, outlet, outlet_domain, matched_host,
                                            matched_host_unicode, match_kind)
           SELECT source, notice_key, 'wl:example.kz', 'Example', 'example.kz', 'news.example.kz', 'news.example.kz',
                  'subdomain'
           FROM core.registry_notice WHERE decision_number = 'child'
           ON CONFLICT DO NOTHING""")
    conn.execute("UPDATE core.registry_match_run SET watchlist_sha256 = %s",
                 (load_watchlist(inbox).fingerprint(),))
    conn.commit()

    outcome = ingest_registry(conn, inbox)
    assert outcome.rematched is not None, "new matching rules: every entry is matched again"
    assert matches(conn) == EXPECTED
    assert ingest_registry(conn, inbox).rematched is None, "and only once"


# -- the migration: stored matches -------------------------------------------------------------------------

MIGRATED = [
    # (entry, domains, urls, [(outlet_id, outlet_domain, matched_host, kind)] stored by the earlier rules, kept)
    ("child", ["news.example.kz"], [],
     [("a", "example.kz", "news.example.kz", "subdomain"), ("b", "news.example.kz", "news.example.kz", "exact")],
     {"b"}),
    ("child_url", ["10.0.0.6"], ["http://user@WWW.News.Example.kz.:443/x"],
     [("a", "example.kz", "news.example.kz", "url_host"), ("b", "news.example.kz", "news.example.kz", "url_host")],
     {"b"}),
    ("wildcard_over_child", ["*.news.example.kz"], [],
     [("a", "example.kz", "*.news.example.kz", "register_wildcard"),
      ("b", "news.example.kz", "*.news.example.kz", "register_wildcard")],
     {"b"}),
    ("kursiv_edition", ["kz.kursiv.media"], [],
     [("kursiv", "kursiv.media", "kz.kursiv.media", "subdomain"),
      ("kursiv", "kz.kursiv.media", "kz.kursiv.media", "exact")],
     {("kursiv", "kz.kursiv.media")}),
    # the entry has a host of each outlet: both stay
    ("child_and_sibling", ["news.example.kz", "old.example.kz"], [],
     [("a", "example.kz", "news.example.kz", "subdomain"), ("b", "news.example.kz", "news.example.kz", "exact")],
     {"a", "b"}),
    ("child_and_parent_url", ["news.example.kz"], ["https://Example.kz/page"],
     [("a", "example.kz", "news.example.kz", "subdomain"), ("b", "news.example.kz", "news.example.kz", "exact")],
     {"a", "b"}),
    ("wildcard_over_both", ["*.example.kz"], [],
     [("a", "example.kz", "*.example.kz", "register_wildcard"),
      ("b", "news.example.kz", "*.example.kz", "register_wildcard")],
     {"a", "b"}),
    # a Unicode host SQL cannot put in punycode: kept for the next matching pass to decide
    ("unicode_host", ["news.example.kz", "пример.example.kz"], [],
     [("a", "example.kz", "news.example.kz", "subdomain"), ("b", "news.example.kz", "news.example.kz", "exact")],
     {"a", "b"}),
    # no nesting: untouched
    ("sibling", ["other.example.kz"], [], [("a", "example.kz", "other.example.kz", "subdomain")], {"a"}),
]


def test_the_migration_drops_the_stored_matches_of_a_less_specific_outlet(database_factory, tmp_path):
    with psycopg.connect(database_factory()) as conn:
        migrate(conn, migrations_before("0052", tmp_path / "before"))
        (snapshot,) = conn.execute(
            """INSERT INTO core.registry_snapshot (source, register, origin, status)
               VALUES ('rkn_csv', 'Register', 'test', 'valid') RETURNING snapshot_id""").fetchone()
        for number, domains, urls, stored, _kept in MIGRATED:
            key = uuid.uuid4()
            conn.execute(
                """INSERT INTO core.registry_notice (source, notice_key, register, decision_number, domains, urls,
                                                     content_hash, first_seen_snapshot, first_seen_at,
                                                     last_changed_snapshot, last_changed_at)
                   VALUES ('rkn_csv', %s, 'Register', %s, %s, %s, %s, %s, now(), %s, now())""",
                (key, number, domains, urls, uuid.uuid4(), snapshot, snapshot))
            for outlet_id, domain, host, kind in stored:
                conn.execute(
                    """INSERT INTO core.registry_match (source, notice_key, outlet_id, outlet, outlet_domain,
                                                        matched_host, matched_host_unicode, match_kind)
                       VALUES ('rkn_csv', %s, %s, %s, %s, %s, %s, %s)""",
                    (key, outlet_id, outlet_id.upper(), domain, host, host, kind))
        conn.commit()
        migrate(conn)

        left = conn.execute(
            """SELECT n.decision_number, m.outlet_id, m.outlet_domain
               FROM core.registry_match m JOIN core.registry_notice n USING (source, notice_key)""").fetchall()
        assert sorted(left) == sorted(
            (number, outlet_id, domain)
            for number, _d, _u, stored, kept in MIGRATED
            for outlet_id, domain, _h, _k in stored
            if outlet_id in kept or (outlet_id, domain) in kept)
