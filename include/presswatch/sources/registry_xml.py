"""The official XML dump of Russia's register (``dump.xml``, bare or inside a zip), read as a stream.

The real file is one line of megabytes to gigabytes: it is parsed incrementally (``iterparse``) and every
``<content>`` element is cleared once read, so memory stays flat. Each entry has a stable ``id`` (the key)
and a ``hash`` that changes when the entry changes. Entries without ``<domain>`` or with a malformed URL
are kept as they are (matching falls back on the URL host). A file that breaks off mid-way gives a
partial snapshot of the entries before the break; one with no readable entry at all fails.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import IO, Iterator

from .registry_common import FileInfo, RegistryReadError, SnapshotInput, sha256_file

SOURCE = "rkn_xml"
REGISTER = "Russia: register of prohibited resources (Roskomnadzor)"
IP_TAGS = ("ip", "ipv6", "ipSubnet", "ipv6Subnet")


def discover(registry_dir: Path) -> list["XmlSnapshot"]:
    found = [p for p in sorted(registry_dir.rglob("*")) if p.is_file() and p.suffix.lower() in (".xml", ".zip")]
    return [XmlSnapshot(registry_dir, p) for p in sorted(found, key=lambda p: str(p.relative_to(registry_dir)))]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


class XmlSnapshot(SnapshotInput):
    def __init__(self, registry_dir: Path, path: Path):
        relative = str(path.relative_to(registry_dir))
        super().__init__(source=SOURCE, register=REGISTER, origin=relative)
        self.path = path
        self.input_sha256: str | None = None

    def inspect(self) -> None:
        if self.input_sha256 is None:
            info = FileInfo(self.origin, sha256_file(self.path), self.path.stat().st_size)
            self.files = [info]
            # The dump carries its update time inside the data: identical bytes are the only "unchanged".
            self.input_sha256 = info.sha256

    def _open(self) -> tuple[IO[bytes], zipfile.ZipFile | None]:
        if self.path.suffix.lower() != ".zip":
            return open(self.path, "rb"), None
        try:
            archive = zipfile.ZipFile(self.path)
        except zipfile.BadZipFile as error:
            raise RegistryReadError(f"{self.origin}: not a readable zip file ({error})") from None
        members = [n for n in archive.namelist() if n.lower().endswith(".xml")]
        if not members:
            archive.close()
            raise RegistryReadError(f"{self.origin}: the zip holds no .xml file")
        member = next((n for n in members if n.lower().endswith("dump.xml")), members[0])
        self.files[0].encoding = f"zip member {member}"
        return archive.open(member), archive

    def rows(self) -> Iterator[tuple]:
        self.inspect()
        handle, archive = self._open()
        entries = 0
        try:
            parser = ET.iterparse(handle, events=("start", "end"))
            for event, element in parser:
                tag = _local(element.tag)
                if event == "start":
                    if tag == "register":
                        self.register_time = _time(element.get("updateTime"))
                    continue
                if tag != "content":
                    continue
                self.rows_read += 1
                row = self._entry(element)
                element.clear()
                if row is None:
                    continue
                entries += 1
                yield row
        except ET.ParseError as error:
            if entries == 0:
                raise RegistryReadError(f"{self.origin}: not a readable register XML ({error})") from None
            self.problem(f"{self.origin}: the XML breaks off ({error}); entries after that point are not loaded")
        except (OSError, EOFError, zipfile.BadZipFile) as error:
            if entries == 0:
                raise RegistryReadError(f"{self.origin}: cannot be read ({error})") from None
            self.problem(f"{self.origin}: reading stopped ({error}); entries after that point are not loaded")
        finally:
            handle.close()
            if archive:
                archive.close()

    def _entry(self, element: ET.Element) -> tuple | None:
        values: dict[str, list[str]] = {"url": [], "domain": [], "ip": []}
        decision = None
        for child in element:
            tag = _local(child.tag)
            if tag == "decision":
                decision = child
            elif tag in ("url", "domain"):
                if (child.text or "").strip():
                    values[tag].append(child.text.strip())
            elif tag in IP_TAGS and (child.text or "").strip():
                values["ip"].append(child.text.strip())
        entry_id = element.get("id")
        if decision is None and not entry_id:
            self.problem(f"{self.origin}: entry {self.rows_read} has neither id nor decision", rejected_row=True)
            return None
        join = lambda items: " | ".join(items) or None  # noqa: E731
        listed = _time(element.get("includeTime"))
        return (join(values["ip"]), join(values["domain"]), join(values["url"]),
                decision.get("org") if decision is not None else None,
                decision.get("number") if decision is not None else None,
                decision.get("date") if decision is not None else None,
                entry_id, element.get("hash") or "", listed.replace(tzinfo=None) if listed else None)
