"""Hosts and domains: normalisation, and matching register entries to monitored outlets.

Both sides are normalised the same way: lower case, no port, userinfo or trailing dot, IDN as punycode
(the Unicode form is kept for display), ``www.`` dropped. Comparison is by whole labels, never by
substring: ``notexample.kz`` and ``example.kz.evil.com`` are not ``example.kz``. The Public Suffix List
(the ``publicsuffixlist`` package, which ships the list) keeps a bare suffix such as ``com.kz`` out of the
watchlist and stops a register wildcard over a suffix (``*.kz``) from matching every outlet.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

import idna

# Strongest first; the order is the order of preference when one entry matches an outlet several ways.
MATCH_KINDS = ("exact", "subdomain", "register_wildcard", "watchlist_wildcard", "url_host")
_STRENGTH = {kind: rank for rank, kind in enumerate(MATCH_KINDS)}

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:/*", re.IGNORECASE)
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


class InvalidHost(ValueError):
    """A text that is not a usable host name."""


@lru_cache(maxsize=1)
def _psl():
    from publicsuffixlist import PublicSuffixList  # loads the bundled list once

    return PublicSuffixList()


def is_public_suffix(host: str) -> bool:
    """True for a bare public suffix (``kz``, ``com.kz``, ``org``): never an outlet's domain."""
    return _psl().is_public(host)


def is_ip(text: str) -> bool:
    candidate = text.strip().strip("[]")
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        try:
            ipaddress.ip_network(candidate, strict=False)
        except ValueError:
            return False
    return True


@lru_cache(maxsize=65536)
def normalize_host(text: str) -> tuple[str, str]:
    """``(ascii, unicode)`` form of a host: lower case, punycode, no trailing dot, no ``www.``.

    Accepts Unicode (``пример.қаз``), punycode, upper case, a port or userinfo. Raises InvalidHost for
    anything else (empty, spaces, IP addresses, labels too long or with bad characters).
    """
    host = unquote(text.strip()).strip()
    if "@" in host:
        host = host.rsplit("@", 1)[1]
    if host.startswith("[") or is_ip(host):
        raise InvalidHost(f"{text!r} is an IP address, not a host name")
    host = host.split(":", 1)[0].rstrip(".").lower()
    if is_ip(host):  # an IPv4 address with a port
        raise InvalidHost(f"{text!r} is an IP address, not a host name")
    if not host or any(c.isspace() for c in host):
        raise InvalidHost(f"{text!r} is not a host name")
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii") if not host.isascii() else host
    except idna.IDNAError as error:
        raise InvalidHost(f"{text!r} is not a valid internationalised host name: {error}") from None
    labels = ascii_host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise InvalidHost(f"{text!r} is not a valid host name")
    if labels[0] == "www" and len(labels) > 2:
        labels = labels[1:]
        ascii_host = ".".join(labels)
    try:
        unicode_host = idna.decode(ascii_host) if "xn--" in ascii_host else ascii_host
    except idna.IDNAError:
        unicode_host = ascii_host
    return ascii_host, unicode_host


def url_host(url: str) -> str | None:
    """The host part of a URL as written, or None. Survives ``http:/host/…``, no scheme, raw Cyrillic."""
    text = url.strip()
    if not text:
        return None
    text = _SCHEME.sub("", text, count=1) if _SCHEME.match(text) else text
    host = re.split(r"[/?#\\]", text, maxsplit=1)[0]
    return host or None


@dataclass(frozen=True)
class WatchedDomain:
    outlet_id: str
    outlet: str
    domain: str          # ascii, no www., no *.
    domain_unicode: str
    wildcard: bool = False


def watch_entry(text: str) -> tuple[str, str, bool]:
    """Normalise a watchlist domain (``*.`` allowed): ``(ascii, unicode, wildcard)``.

    Raises InvalidHost for malformed entries and for a bare public suffix.
    """
    raw = text.strip()
    wildcard = raw.startswith("*.")
    if wildcard:
        raw = raw[2:]
    if "/" in raw:
        raw = url_host(raw) or ""
    ascii_host, unicode_host = normalize_host(raw)
    if is_public_suffix(ascii_host):
        raise InvalidHost(f"{text!r} is a public suffix, not an outlet's domain")
    return ascii_host, unicode_host, wildcard


def _within(host: str, domain: str) -> bool:
    """host is domain or a subdomain of it, by whole labels."""
    return host == domain or host.endswith("." + domain)


@dataclass(frozen=True)
class Match:
    outlet_id: str
    outlet: str
    outlet_domain: str
    matched_host: str
    matched_host_unicode: str
    match_kind: str


class Matcher:
    """Matches the hosts of register entries against the watchlist, by labels, through a suffix index."""

    def __init__(self, watched: list[WatchedDomain]):
        self.watched = watched
        self._by_domain: dict[str, list[WatchedDomain]] = {}
        for entry in watched:
            self._by_domain.setdefault(entry.domain, []).append(entry)

    def _candidates(self, host: str):
        labels = host.split(".")
        for start in range(len(labels)):
            for entry in self._by_domain.get(".".join(labels[start:]), ()):
                yield entry, start == 0

    def match_entry(self, domains: list[str], urls: list[str]) -> list[Match]:
        """Every outlet domain one register entry touches, with the strongest kind each.

        ``domains`` are the entry's domain values (may be wildcards ``*.x``, IPs, empty or malformed);
        ``urls`` its URLs. IPs never match. Malformed hosts are skipped.
        """
        best: dict[tuple[str, str], Match] = {}

        def offer(entry: WatchedDomain, kind: str, host: str, host_unicode: str) -> None:
            key = (entry.outlet_id, entry.domain)
            current = best.get(key)
            if current is None or _STRENGTH[kind] < _STRENGTH[current.match_kind]:
                best[key] = Match(entry.outlet_id, entry.outlet, entry.domain, host, host_unicode, kind)

        for value in domains:
            value = value.strip()
            if not value or is_ip(value):
                continue
            register_wildcard = value.startswith("*.")
            try:
                host, host_unicode = normalize_host(value[2:] if register_wildcard else value)
            except InvalidHost:
                continue
            if register_wildcard:
                if is_public_suffix(host):
                    continue
                # *.base blocks base's subdomains (and, in practice, base): every outlet at or under it,
                # and an outlet's own subdomains when base lies inside the outlet's domain.
                for entry in self.watched:
                    if _within(entry.domain, host):
                        offer(entry, "register_wildcard", "*." + host, "*." + host_unicode)
                for entry, _same in self._candidates(host):
                    offer(entry, "register_wildcard", "*." + host, "*." + host_unicode)
                continue
            for entry, same in self._candidates(host):
                if entry.wildcard:
                    offer(entry, "watchlist_wildcard", host, host_unicode)
                else:
                    offer(entry, "exact" if same else "subdomain", host, host_unicode)

        for url in urls:
            raw_host = url_host(url)
            if not raw_host:
                continue
            try:
                host, host_unicode = normalize_host(raw_host)
            except InvalidHost:
                continue
            for entry, _same in self._candidates(host):
                offer(entry, "url_host", host, host_unicode)
        return sorted(best.values(), key=lambda m: (m.outlet_id, m.outlet_domain))

    def prefilter_terms(self) -> list[str]:
        """Lower-case texts one of which any matching entry must contain (ASCII and Unicode forms)."""
        terms = set()
        for entry in self.watched:
            terms.add(entry.domain)
            terms.add(entry.domain_unicode.lower())
        return sorted(terms)
