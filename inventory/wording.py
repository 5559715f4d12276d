"""How counts and amounts read in messages: '1 system', '1,204 systems', '£1.2m'.

>>> plural(1, "system"), plural(1204, "link"), plural(2, "business case")
('1 system', '1,204 links', '2 business cases')
>>> plural(3, "child", "children")
'3 children'
>>> f"{plural(1, 'system')} {verb(1, 'depend')} on it; 2 {verb(2, 'depend')}"
'1 system depends on it; 2 depend'
"""

from __future__ import annotations

__all__ = ["plural", "pounds", "verb"]


def plural(count: int, word: str, plural: str | None = None) -> str:
    """``count`` with ``word``, or its plural (``word`` + 's' unless given) when not one."""
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def verb(count: int, base: str, singular: str | None = None) -> str:
    """The verb agreeing with ``count`` things: ``base`` ('depend'), or its singular
    (``base`` + 's' unless given: 'has' for 'have') when there is one."""
    return (singular or base + "s") if count == 1 else base


def pounds(amount: float) -> str:
    """Pounds as a board reads them: £850,000, £1.2m, £3.0bn.

    >>> pounds(850_000), pounds(1_200_000), pounds(3e9)
    ('£850,000', '£1.2m', '£3.0bn')
    """
    if amount >= 1e9:
        return f"£{amount / 1e9:,.1f}bn"
    return f"£{amount / 1e6:,.1f}m" if amount >= 1e6 else f"£{amount:,.0f}"
