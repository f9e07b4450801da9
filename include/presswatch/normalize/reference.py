"""The product's reference data (taxonomy, gazetteer, header synonyms, value words), read once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .. import settings


def _load(name: str) -> dict:
    return yaml.safe_load((settings.DATA_DIR / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Category:
    code: str
    group_code: str
    label_en: str
    label_ru: str
    sort_order: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    code: str
    label_en: str
    label_ru: str
    counted: bool
    sort_order: int
    categories: tuple[Category, ...] = field(default=())


@dataclass(frozen=True)
class Region:
    code: str
    kind: str
    name_en: str
    name_ru: str
    name_kk: str | None
    iso_3166_2: str | None
    official_names: tuple[str, ...]
    other_names: tuple[str, ...]


@dataclass(frozen=True)
class Locality:
    code: str
    region_code: str
    name_en: str
    name_ru: str
    name_kk: str | None
    is_centre: bool
    official_names: tuple[str, ...]
    other_names: tuple[str, ...]


@lru_cache(maxsize=None)
def taxonomy() -> tuple[Group, ...]:
    data = _load("taxonomy.yaml")
    groups = []
    order = 0
    for g_index, group in enumerate(data["groups"]):
        categories = []
        for category in group["categories"]:
            order += 1
            names = (category["code"], category["en"], category["ru"], *category.get("synonyms", ()))
            categories.append(
                Category(category["code"], group["code"], category["en"], category["ru"], order, tuple(names))
            )
        groups.append(
            Group(group["code"], group["en"], group["ru"], bool(group["counted"]), g_index + 1, tuple(categories))
        )
    return tuple(groups)


def categories() -> dict[str, Category]:
    return {c.code: c for g in taxonomy() for c in g.categories}


def groups() -> dict[str, Group]:
    return {g.code: g for g in taxonomy()}


@lru_cache(maxsize=None)
def gazetteer() -> tuple[tuple[Region, ...], tuple[Locality, ...]]:
    data = _load("regions.yaml")
    regions, localities = [], []
    for item in data["regions"]:
        official = tuple(n for n in (item["en"], item["ru"], item.get("kk"), item.get("kk_latn")) if n)
        regions.append(
            Region(item["code"], item["kind"], item["en"], item["ru"], item.get("kk"), item.get("iso_3166_2"),
                   official, tuple(item.get("synonyms", ())))
        )
        for loc in item.get("localities", ()):
            official_loc = tuple(n for n in (loc["en"], loc["ru"], loc.get("kk")) if n)
            localities.append(
                Locality(loc["code"], item["code"], loc["en"], loc["ru"], loc.get("kk"),
                         loc["code"] == item.get("centre"), official_loc, tuple(loc.get("synonyms", ())))
            )
    return tuple(regions), tuple(localities)


@lru_cache(maxsize=None)
def header_synonyms() -> dict:
    return _load("header_synonyms.yaml")


@lru_cache(maxsize=None)
def value_words() -> dict:
    return _load("values.yaml")


def data_path(name: str) -> Path:
    return settings.DATA_DIR / name
