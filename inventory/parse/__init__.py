"""Value parsing, one column at a time: money, dates, numbers, yes/no, lists, team demand.

Every parser takes a :class:`pandas.Series` of raw text cells (missing cells as NA) and
returns a :class:`Parsed` holding the parsed values and, aligned with them, a problem
message for each cell that could not be read (NA where the cell was fine). Parsers never
raise for bad data and are vectorised, so a million-row column parses in about a second.

Cells holding ``n/a``, ``TBC``, ``unknown``, ``-`` or ``?`` count as blank in every field
that is not free text (:data:`BLANK_TOKENS`).

Values people write in registers are read too, and every such reading is reported in
``Parsed.assumed`` (a warning on that cell, never silent): a year or month alone as a date
(which day is taken depends on the field: see ``partial`` in :func:`parse_date`), money with a
period or a remark (``£45k pa``, ``£150k (staff+licences)``), two-value ranges (``9-12
months``) and the spellings a field's ``readings`` describe (``Tier 1``, ``Azure``).

Examples
--------
>>> import pandas as pd
>>> parse_money(pd.Series(["£1.2m", "250k", "1,200,000", "lots"])).values.tolist()
[1200000.0, 250000.0, 1200000.0, nan]
>>> parse_money(pd.Series(["lots"])).problems[0]
"'lots' is not an amount of money; write it like 250000, 250k, £1.2m or 1,200,000"
>>> parse_date(pd.Series(["2026-11-25", "25/11/2026"])).values.dt.strftime("%Y-%m-%d").tolist()
['2026-11-25', '2026-11-25']
"""

from inventory.parse.core import BLANK_TOKENS, Parsed, blank_out
from inventory.parse.dates import Partial, parse_date
from inventory.parse.numbers import (
    parse_fraction,
    parse_int,
    parse_money,
    parse_months,
    parse_range,
    parse_shares,
)
from inventory.parse.text import (
    parse_bool,
    parse_enum,
    parse_id,
    parse_id_list,
    parse_ods,
    parse_team_demand,
    parse_text,
    parse_text_list,
    slugify,
)

__all__ = [
    "BLANK_TOKENS",
    "Parsed",
    "Partial",
    "blank_out",
    "parse_bool",
    "parse_date",
    "parse_enum",
    "parse_fraction",
    "parse_id",
    "parse_id_list",
    "parse_int",
    "parse_money",
    "parse_months",
    "parse_ods",
    "parse_range",
    "parse_shares",
    "parse_team_demand",
    "parse_text",
    "parse_text_list",
    "slugify",
]
