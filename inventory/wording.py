"""How counts read in messages: '1 system', '1,204 systems', for every module that words one.

>>> plural(1, "system"), plural(1204, "link"), plural(2, "business case")
('1 system', '1,204 links', '2 business cases')
>>> plural(3, "child", "children")
'3 children'
>>> f"{plural(1, 'system')} {verb(1, 'depend')} on it; 2 {verb(2, 'depend')}"
'1 system depends on it; 2 depend'
"""

from __future__ import annotations

__all__ = ["plural", "verb"]


def plural(count: int, word: str, plural: str | None = None) -> str:
    """``count`` with ``word``, or its plural (``word`` + 's' unless given) when not one."""
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def verb(count: int, base: str, singular: str | None = None) -> str:
    """The verb agreeing with ``count`` things: ``base`` ('depend'), or its singular
    (``base`` + 's' unless given: 'has' for 'have') when there is one."""
    return (singular or base + "s") if count == 1 else base
