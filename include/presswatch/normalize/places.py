"""Regions and localities in any spelling of the gazetteer (include/data/regions.yaml).

Official names (English, Russian, Kazakh) win over historical names and transliterations; when a name
still points at more than one region, the row is not guessed: the error names the candidates.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .reference import gazetteer, value_words
from .text import fold

OFFICIAL, OTHER = 1, 2


@dataclass(frozen=True)
class Place:
    region_code: str
    locality_code: str | None


@lru_cache(maxsize=None)
def _noise_by_kind() -> dict[str, frozenset[str]]:
    return {kind: frozenset(fold(w) for w in words) for kind, words in value_words()["place_noise"].items()}


@lru_cache(maxsize=None)
def _noise() -> frozenset[str]:
    return frozenset().union(*_noise_by_kind().values())


@lru_cache(maxsize=None)
def _region_kinds() -> dict[str, str]:
    return {r.code: r.kind for r in gazetteer()[0]}


def _is_settlement(place: Place) -> bool:
    return place.locality_code is not None or _region_kinds()[place.region_code] != "region"


def _narrow_by_marker(folded: str, places: tuple[Place, ...]) -> tuple[Place, ...]:
    """Keep the places of the kind the name's own marker word says ('г.' a settlement, 'обл.' a region)."""
    words = set(folded.split())
    if words & _noise_by_kind().get("settlement", frozenset()):
        narrowed = tuple(p for p in places if _is_settlement(p))
    elif words & _noise_by_kind().get("region", frozenset()):
        narrowed = tuple(p for p in places if not _is_settlement(p))
    else:
        return places
    return narrowed or places


def place_key(name: object) -> str:
    """A name folded for lookup, without words such as 'г.', 'область', 'Region'."""
    words = [w for w in fold(name).split() if w not in _noise()]
    return " ".join(words) or fold(name)


_LATIN_EXTRA = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d"})


def plain_latin_key(name: object) -> str:
    """place_key without Latin diacritics: 'Şyğys Qazaqstan' and 'Shygys' spelt 'Sygys' meet. Cyrillic
    Kazakh letters (қ, ә, ү ...) are letters of their own and are kept."""
    decomposed = unicodedata.normalize("NFD", place_key(name).translate(_LATIN_EXTRA))
    kept = []
    for char in decomposed:
        # Only marks on Latin letters are dropped: й (и + breve) must stay й.
        if unicodedata.combining(char) and kept and kept[-1] < "\u0250":
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


@lru_cache(maxsize=None)
def _indexes() -> tuple[dict[str, list[tuple[int, Place]]], dict[str, list[tuple[int, Place]]],
                        dict[str, list[tuple[int, Place]]]]:
    """Three lookups, name as written (folded), without noise words, and that without Latin diacritics;
    each → (kind of name, place)."""
    regions, localities = gazetteer()
    exact: dict[str, list[tuple[int, Place]]] = {}
    stripped: dict[str, list[tuple[int, Place]]] = {}
    plain: dict[str, list[tuple[int, Place]]] = {}

    def add(name: str, kind: int, place: Place) -> None:
        exact.setdefault(fold(name), []).append((kind, place))
        stripped.setdefault(place_key(name), []).append((kind, place))
        plain.setdefault(plain_latin_key(name), []).append((kind, place))

    for region in regions:
        place = Place(region.code, None)
        add(region.code, OFFICIAL, place)
        for name in region.official_names:
            add(name, OFFICIAL, place)
        for name in region.other_names:
            add(name, OTHER, place)
    for loc in localities:
        place = Place(loc.region_code, loc.code)
        for name in loc.official_names:
            add(name, OFFICIAL, place)
        for name in loc.other_names:
            add(name, OTHER, place)
    for code, names in (value_words().get("place_names") or {}).items():
        for name in names:
            add(name, OTHER, Place(code, None))
    return exact, stripped, plain


def _region_name(code: str) -> str:
    return next(r.name_en for r in gazetteer()[0] if r.code == code)


def lookup(name: object) -> list[Place]:
    """All places a name may mean, from the most specific way it matches.

    Order: an official name as written ("Алматы" is the city), an official name without words such as
    "область" ("Алматы облысы" is the region), then historical names and transliterations likewise.
    """
    return list(_lookup_folded(fold(name)))


@lru_cache(maxsize=8192)
def _lookup_folded(folded: str) -> tuple[Place, ...]:
    exact, stripped, plain = _indexes()
    key = place_key(folded)
    plain_key = plain_latin_key(folded)
    candidates = (
        (exact.get(folded, []), OFFICIAL), (stripped.get(key, []), OFFICIAL),
        (exact.get(folded, []), OTHER), (stripped.get(key, []), OTHER),
        (plain.get(plain_key, []), OFFICIAL), (plain.get(plain_key, []), OTHER),
    )
    for matches, kind in candidates:
        places = tuple(dict.fromkeys(p for k, p in matches if k == kind))
        if places:
            return _narrow_by_marker(folded, places)
    return ()


def _one_region(name: object, places: list[Place]) -> Place:
    regions = sorted({p.region_code for p in places})
    if not regions:
        raise ValueError(f"'{name}' is not a region or locality of Kazakhstan in the gazetteer")
    if len(regions) > 1:
        raise ValueError(f"'{name}' is ambiguous: it may mean {', '.join(_region_name(r) for r in regions)}")
    localities = {p.locality_code for p in places if p.locality_code}
    return Place(regions[0], localities.pop() if len(localities) == 1 else None)


def resolve_region(name: object) -> Place:
    """The region a region-column value names; a city name implies its region."""
    return _one_region(name, lookup(name))


def resolve_locality(name: object, region_code: str | None) -> Place | None:
    """The locality a locality-column value names, checked against the region when one is given.

    Returns None for a place the gazetteer does not know (villages are many; the name is kept as written).
    """
    places = lookup(name)
    if not places:
        return None
    if region_code:
        in_region = [p for p in places if p.region_code == region_code]
        if not in_region:
            raise ValueError(
                f"'{name}' is in {', '.join(sorted({_region_name(p.region_code) for p in places}))}, "
                f"not in {_region_name(region_code)}"
            )
        places = in_region
    return _one_region(name, places)
