"""What must never reach a draft: e-mail addresses and phone numbers other than the organisation's own.

Correspondents sometimes leave a way to reach them (or someone else) inside a summary; drafts go to
editors and on to the public, so such contacts are cut from every text that comes from a correspondent.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Kazakhstani numbers (+7 / 8, then 10 digits in any grouping) and any international number with a '+'.
PHONE = re.compile(
    r"(?<![\w/-])(?:\+7|8)[\s-]?\(?\d{3}\)?[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}(?![\w/-])"
    r"|(?<![\w/-])\+\d{1,3}[\s-]?\(?\d{2,4}\)?(?:[\s-]?\d{2,4}){2,4}(?![\w/-])"
)
REMOVED = "(…)"


def redact_contacts(text: str | None, allowed: tuple[str, ...] = ()) -> str | None:
    """``text`` with every e-mail address and phone number replaced by '(…)' (``allowed`` ones kept)."""
    if text is None:
        return None

    def replace(match: re.Match) -> str:
        return match[0] if match[0].lower() in allowed else REMOVED

    return PHONE.sub(replace, EMAIL.sub(replace, text))


def contacts_in(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Every e-mail address and phone number in ``text`` that is not an ``allowed`` one."""
    found = [m[0] for m in EMAIL.finditer(text)] + [m[0] for m in PHONE.finditer(text)]
    return [f for f in found if f.lower() not in allowed]
