"""What the benchmarks share: a scratch database on a real PostgreSQL, and their section of bench/README.md.

Imported by the scripts beside it (``python bench/<name>.py`` puts this folder on sys.path).
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from include.presswatch import settings
from include.presswatch.warehouse import connection

README = Path(__file__).resolve().parent / "README.md"


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """A new empty database on WAREHOUSE_URL's server or the embedded one, dropped afterwards."""
    admin = os.environ.get("WAREHOUSE_URL") or connection.start_embedded_server(settings.state_dir() / "bench-warehouse")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    url = connection.ensure_database(admin, name)
    try:
        yield url
    finally:
        connection.drop_database(admin, name)


def write_readme_section(name: str, lines: list[str]) -> None:
    """Replace the '## <name>' section of bench/README.md with ``lines``, keeping the other sections and the
    section's own '### ' subsections (notes written by hand on earlier runs)."""
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    section = f"## {name}\n\n" + "\n".join(lines) + "\n"
    start = text.find(f"## {name}\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        ends = [found for found in (text.find("\n## ", start + 1), text.find("\n### ", start + 1)) if found >= 0]
        end = min(ends) if ends else -1
        text = text[:start] + section + (text[end:] if end >= 0 else "")
    README.write_text(text, encoding="utf-8")
