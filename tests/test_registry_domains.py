"""Host normalisation and label-wise matching of register entries against the watchlist."""

import pytest

from include.presswatch.normalize.domains import InvalidHost, Matcher, WatchedDomain, normalize_host, url_host, watch_entry


def matcher(*entries):
    watched = []
    for outlet_id, text in entries:
        domain, unicode_domain, wildcard = watch_entry(text)
        watched.append(WatchedDomain(outlet_id, outlet_id.title(), domain, unicode_domain, wildcard))
    return Matcher(watched)


def kinds(found):
    return {(m.outlet_id, m.match_kind, m.matched_host) for m in found}


def test_hosts_are_lower_case_punycode_without_www_port_or_trailing_dot():
    assert normalize_host("WWW.Example.KZ.:8080") == ("example.kz", "example.kz")
    # пример.қаз: an example internationalised name ("example" in Kazakhstan's Cyrillic .қаз zone)
    assert normalize_host("пример.қаз") == ("xn--e1afmkfd.xn--80ao21a", "пример.қаз")
    assert normalize_host("xn--e1afmkfd.xn--80ao21a")[1] == "пример.қаз"


@pytest.mark.parametrize("text", ["", "exa mple.kz", "1.2.3.4", "1.2.3.4:80", "user@10.0.0.1:8080", "2606:4700::1", "-bad-.kz", "a" * 64 + ".kz",
                                  "xn--zz-invalid-idn-.kz", "localhost"])
def test_malformed_hosts_and_ips_are_refused(text):
    with pytest.raises(InvalidHost):
        normalize_host(text)


def test_url_host_survives_malformed_urls():
    assert url_host("http:/premium-diploms.com/page") == "premium-diploms.com"
    assert url_host("https://сайт.рф/путь?q=1|2") == "сайт.рф"
    assert url_host("example.kz/news") == "example.kz"
    assert url_host("http://") is None


def test_a_bare_public_suffix_cannot_be_an_outlet():
    with pytest.raises(InvalidHost, match="public suffix"):
        watch_entry("com.kz")
    with pytest.raises(InvalidHost):
        watch_entry("*.kz")


def test_look_alikes_never_match():
    m = matcher(("example", "example.kz"))
    for host in ["notexample.kz", "example.kz.evil.com", "example.kz-news.ru", "example.kzz", "ex-ample.kz"]:
        assert m.match_entry([host], [f"https://{host}/example.kz"]) == [], host


def test_every_match_kind_strongest_first():
    m = matcher(("example", "example.kz"), ("portal", "*.portal.kz"))
    assert kinds(m.match_entry(["www.EXAMPLE.kz"], [])) == {("example", "exact", "example.kz")}
    assert kinds(m.match_entry(["news.example.kz"], [])) == {("example", "subdomain", "news.example.kz")}
    assert kinds(m.match_entry(["*.example.kz"], [])) == {("example", "register_wildcard", "*.example.kz")}
    assert kinds(m.match_entry(["city.portal.kz"], [])) == {("portal", "watchlist_wildcard", "city.portal.kz")}
    assert kinds(m.match_entry([], ["http://example.kz/a"])) == {("example", "url_host", "example.kz")}
    # One entry matching an outlet several ways is reported once, with the strongest kind.
    assert kinds(m.match_entry(["*.example.kz", "example.kz"], ["http://example.kz/"])) == {
        ("example", "exact", "example.kz")}


def test_ip_alone_never_matches_and_suffix_wildcards_are_ignored():
    m = matcher(("example", "example.kz"))
    assert m.match_entry(["93.184.216.34", "*.kz", "*.com.kz"], ["http://93.184.216.34/"]) == []


def test_idn_in_the_register_matches_a_punycode_watchlist_entry_and_back():
    # an example outlet at the example IDN пример.қаз (xn--e1afmkfd.xn--80ao21a)
    m = matcher(("idn_example", "xn--e1afmkfd.xn--80ao21a"))
    found = m.match_entry(["ПРИМЕР.ҚАЗ"], [])
    assert kinds(found) == {("idn_example", "exact", "xn--e1afmkfd.xn--80ao21a")}
    assert found[0].matched_host_unicode == "пример.қаз"
    m = matcher(("idn_example", "пример.қаз"))
    assert kinds(m.match_entry([], ["http://xn--e1afmkfd.xn--80ao21a/x"])) == {
        ("idn_example", "url_host", "xn--e1afmkfd.xn--80ao21a")}


def test_a_domain_listed_for_two_outlets_stays_with_the_first_and_the_second_listing_is_named(tmp_path):
    from include.presswatch.sources.registry_watchlist import load_watchlist

    outlets = tmp_path / "outlets.yaml"
    outlets.write_text(
        "outlets:\n"
        "  - {id: first, name: First, domains: [example.kz, '*.shared.kz']}\n"
        "  - {id: second, name: Second, domains: [EXAMPLE.kz, second.kz, '*.shared.kz', shared.kz]}\n",
        encoding="utf-8",
    )
    watchlist = load_watchlist(outlets_file=outlets)
    owners = {(d.domain, d.wildcard): d.outlet_id for d in watchlist.domains()}
    assert owners == {("example.kz", False): "first", ("shared.kz", True): "first",
                      ("second.kz", False): "second", ("shared.kz", False): "second"}
    assert len(watchlist.domains()) == len(owners), "each domain once"
    assert sorted(watchlist.skipped) == [
        "outlets.yaml, outlet second: *.shared.kz is listed for outlet first already",
        "outlets.yaml, outlet second: EXAMPLE.kz is listed for outlet first already",
    ]


def test_the_shipped_watchlist_lists_each_domain_for_one_outlet():
    from include.presswatch.sources.registry_watchlist import load_watchlist

    assert [reason for reason in load_watchlist().skipped if "already" in reason] == []
