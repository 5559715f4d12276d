import pandas as pd
import pytest

from inventory import parse


def values(parser, *cells, **kwargs):
    return parser(pd.Series(list(cells), dtype="object"), **kwargs).values.tolist()


def problems(parser, *cells, **kwargs):
    result = parser(pd.Series(list(cells), dtype="object"), **kwargs).problems
    return [None if pd.isna(p) else p for p in result]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1.2m", 1_200_000.0),
        ("250k", 250_000.0),
        ("1,200,000", 1_200_000.0),
        ("£2bn", 2_000_000_000.0),
        ("GBP 40k", 40_000.0),
        ("1.5 million", 1_500_000.0),
        ("£450K", 450_000.0),
        ("-£5k", -5_000.0),
        ("  12 ", 12.0),
    ],
)
def test_money(text, expected):
    assert values(parse.parse_money, text) == [expected]


@pytest.mark.parametrize("blank", ["", "TBC", "n/a", "N/A", "unknown", "-", "?"])
def test_blank_tokens_are_missing_not_errors(blank):
    result = parse.parse_money(pd.Series([blank], dtype="object"))
    assert pd.isna(result.values[0])
    assert pd.isna(result.problems[0])


DECIMAL_COMMA = (
    "has a comma that does not group thousands (a decimal comma?); write the decimal point as "
    "a point, like 1.5"
)


@pytest.mark.parametrize(
    ("parser", "text"),
    [
        (parse.parse_money, "1,5m"),  # never 15 million
        (parse.parse_money, "150000,75"),
        (parse.parse_money, "0,5k"),
        (parse.parse_money, "1,2,3"),
        (parse.parse_money, "12,5000"),
        (parse.parse_int, "12,5"),
        (parse.parse_months, "18,5"),
        (parse.parse_months, "1,5 years"),
    ],
)
def test_a_comma_that_does_not_group_thousands_is_refused_not_dropped(parser, text):
    assert values(parser, text) == [pytest.approx(float("nan"), nan_ok=True)]
    assert problems(parser, text) == [f"'{text}' {DECIMAL_COMMA}"]


@pytest.mark.parametrize("text", ["£45.000", "1.500"])
def test_a_thousands_point_is_refused_not_read_as_pence(text):
    # £45.000 is forty-five thousand in much of Europe: never £45
    assert problems(parse.parse_money, text) == [
        f"'{text}' has three digits after the point (a thousands point?); write it without "
        "(45000 or 45,000), or with two decimals for pence"
    ]


@pytest.mark.parametrize(
    ("parser", "text", "expected"),
    [
        (parse.parse_money, "£2.125m", 2_125_000.0),  # a point before a unit is a decimal one
        (parse.parse_money, "£1,200.50", 1200.5),
        (parse.parse_money, "12,000k", 12_000_000.0),
        (parse.parse_int, "1,200", 1200.0),
        (parse.parse_months, "1,200", 1200.0),
    ],
)
def test_commas_that_group_thousands_are_read(parser, text, expected):
    assert values(parser, text) == [expected]


def test_money_refuses_words_with_a_fix():
    assert problems(parse.parse_money, "about a million") == [
        "'about a million' is not an amount of money; write it like 250000, 250k, £1.2m or "
        "1,200,000"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25", "2026-11-25"),
        ("25/11/2026", "2026-11-25"),
        ("5/4/2027", "2027-04-05"),
        ("25.11.2026", "2026-11-25"),
        ("25-11-2026", "2026-11-25"),
        ("25 Nov 2026", "2026-11-25"),
        ("1st April 1998", "1998-04-01"),
        ("2026-11-25T09:30:00", "2026-11-25"),
        ("46351", "2026-11-25"),  # Excel serial day
    ],
)
def test_dates(text, expected):
    result = parse.parse_date(pd.Series([text], dtype="object"))
    assert result.values[0] == pd.Timestamp(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2027", "'31/02/2027' is not a real date: there is no day 31 in month 2 of 2027"),
        ("29/02/2027", "'29/02/2027' is not a real date: there is no day 29 in month 2 of 2027"),
        (
            "11/25/2026",
            "'11/25/2026' is not a real date: there is no month 25 (dates are day/month/year)",
        ),
        ("soon", "'soon' is not a date; write it as 2026-11-25 or 25/11/2026"),
        ("01/01/1850", "'01/01/1850' has the year 1850; dates must fall between 1900 and 2100"),
    ],
)
def test_impossible_dates(text, message):
    assert problems(parse.parse_date, text) == [message]


def test_leap_day_is_real():
    assert parse.parse_date(pd.Series(["29/02/2028"])).values[0] == pd.Timestamp("2028-02-29")


def test_enum_suggests_closest():
    assert problems(parse.parse_enum, "hgh", allowed=["low", "medium", "high", "critical"]) == [
        "'hgh' is not one of: low, medium, high, critical; did you mean 'high'?"
    ]


def test_enum_ignores_case_space_hyphen_and_knows_synonyms():
    result = values(
        parse.parse_enum,
        "ON_PREMISES",
        "On Premises",
        "on-prem",
        allowed=["on-premises", "SaaS"],
        synonyms={"on-prem": "on-premises"},
    )
    assert result == ["on-premises"] * 3


def test_range_one_or_three_values():
    """One value is the likely value alone: its low and high are not given (so the forecast
    spreads it, and says so), not a claim of certainty."""
    frame = parse.parse_range(pd.Series(["1m/2m/4m", "500k"]), parse.parse_money, "c").values
    assert frame.fillna(-1).to_dict("list") == {
        "c_low": [1e6, -1],
        "c_likely": [2e6, 5e5],
        "c_high": [4e6, -1],
    }


def test_range_with_two_values_is_refused():
    assert problems(parse.parse_range, "1m/2m", parse_one=parse.parse_money, name="c") == [
        "'1m/2m' is not a range: give one value, or low/likely/high separated by '/'"
    ]


def test_months_and_years():
    assert values(parse.parse_months, "18", "18 months", "2 years", "1.5y") == [18, 18, 24, 18]


def test_team_demand_merges_case():
    result = values(parse.parse_team_demand, "Integration: 0.5; integration = 0.25; CS: 1")
    assert result == [{"integration": 0.75, "cs": 1.0}]


def test_ids_are_lower_case_slugs():
    assert values(parse.parse_id, " PAS ", "lims.v2") == ["pas", "lims.v2"]
    assert problems(parse.parse_id, "PAS main") == [
        "'PAS main' is not a valid id: use letters, digits, '-', '_' or '.' (try 'pas-main')"
    ]


def test_id_lists_split_on_semicolons_and_commas():
    assert values(parse.parse_id_list, "TIE; pas, pas") == [("tie", "pas")]


def test_bool():
    assert values(parse.parse_bool, "Yes", "n", "TRUE", "0") == [True, False, True, False]
    assert problems(parse.parse_bool, "maybe") == ["'maybe' is not yes or no"]


def test_text_too_long_is_refused():
    result = parse.parse_text(pd.Series(["x" * 10_001]))
    assert result.problems[0] == (
        "text of 10,001 characters is longer than the 10,000 allowed; shorten it or move it "
        "to a document"
    )


def test_parsing_distinct_values_gives_the_same_answer_as_row_by_row():
    cells = pd.Series(["£1m", "2k", None, "x"] * 50, dtype="object")
    fast = parse.parse_money(cells)
    slow = pd.concat([parse.parse_money(cells.iloc[[i]]).values for i in range(len(cells))])
    pd.testing.assert_series_equal(fast.values, slow, check_names=False)


# --- values people write in registers: each reading is a warning on its cell -----------


def assumed(parser, *cells, **kwargs):
    result = parser(pd.Series(list(cells), dtype="object"), **kwargs).assumed
    return [None if pd.isna(a) else a for a in result]


@pytest.mark.parametrize(
    ("partial", "text", "expected", "note"),
    [
        ("middle", "2011", "2011-07-01", "'2011' gives only the year; read as 2011-07-01 (the "
         "middle of the year)"),
        ("start", "2011", "2011-01-01", "'2011' gives only the year; read as 2011-01-01 (the "
         "start of the year)"),
        ("end", "2011", "2011-12-31", "'2011' gives only the year; read as 2011-12-31 (the end "
         "of the year)"),
        ("middle", "Mar 2015", "2015-03-15", "'Mar 2015' gives only the month; read as "
         "2015-03-15 (the middle of the month)"),
        ("start", "March 2015", "2015-03-01", "'March 2015' gives only the month; read as "
         "2015-03-01 (the start of the month)"),
        ("end", "03/2017", "2017-03-31", "'03/2017' gives only the month; read as 2017-03-31 "
         "(the end of the month)"),
        ("end", "Feb 2024", "2024-02-29", "'Feb 2024' gives only the month; read as 2024-02-29 "
         "(the end of the month)"),
        ("start", "2017-03", "2017-03-01", "'2017-03' gives only the month; read as 2017-03-01 "
         "(the start of the month)"),
        ("end", "2026/27", "2027-03-31", "'2026/27' is a financial year (1 April 2026 to 31 "
         "March 2027); read as 2027-03-31 (the end of the financial year)"),
        ("start", "FY2026/27", "2026-04-01", "'FY2026/27' is a financial year (1 April 2026 to "
         "31 March 2027); read as 2026-04-01 (the start of the financial year)"),
    ],
)  # fmt: skip
def test_year_and_month_dates_take_the_fields_day_and_say_so(partial, text, expected, note):
    result = parse.parse_date(pd.Series([text]), partial=partial)
    assert result.values[0] == pd.Timestamp(expected)
    assert result.assumed[0] == note


def test_full_dates_assume_nothing_and_periods_need_a_rule():
    assert assumed(parse.parse_date, "25/11/2026", partial="end") == [None]
    assert problems(parse.parse_date, "2011") == [
        "'2011' is not a date; write it as 2026-11-25 or 25/11/2026"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("13/2017", "'13/2017' is not a real month; write it like 'Mar 2015' or 03/2015"),
        ("Spring 2015", "'Spring 2015' is not a real month; write it like 'Mar 2015' or 03/2015"),
        ("1850", "'1850' has the year 1850; dates must fall between 1900 and 2100"),
        (
            "2026/28",
            "'2026/28' is not a financial year: the second year must follow the first (2026/27)",
        ),
        ("Mar-15", "'Mar-15' is not a date; write it as 2026-11-25 or 25/11/2026"),
    ],
)
def test_impossible_periods(text, message):
    assert problems(parse.parse_date, text, partial="start") == [message]


@pytest.mark.parametrize(
    ("text", "expected", "note"),
    [
        ("£45k pa", 45_000.0, None),
        ("£45k p.a.", 45_000.0, None),
        ("45,000 per annum", 45_000.0, None),
        ("£45k/yr", 45_000.0, None),
        ("£2k pm", 24_000.0,
         "'£2k pm' is an amount per month; read as £24,000 a year (12 x £2,000)"),
        ("£150k (staff+licences)", 150_000.0,
         "'£150k (staff+licences)' read as £150,000; '(staff+licences)' is not part of the amount"),
        ("£40k + VAT", 40_000.0, "'£40k + VAT' read as £40,000; '+ VAT' is not part of the amount"),
        ("c. £45k", 45_000.0, "'c. £45k' read as £45,000 (an estimate)"),
        ("approx 1.5m", 1_500_000.0, "'approx 1.5m' read as £1,500,000 (an estimate)"),
    ],
)  # fmt: skip
def test_yearly_money_with_a_period_or_a_remark(text, expected, note):
    result = parse.parse_money(pd.Series([text]), per_year=True)
    assert result.values[0] == expected
    assert (None if pd.isna(result.assumed[0]) else result.assumed[0]) == note


def test_a_period_on_a_one_off_amount_is_refused_and_words_still_are():
    assert problems(parse.parse_money, "£45k pa", "45,000 euros", "about a million") == [
        "'£45k pa' is an amount per year, but this is a one-off amount; give the total",
        "'45,000 euros' is not an amount of money; write it like 250000, 250k, £1.2m or 1,200,000",
        "'about a million' is not an amount of money; write it like 250000, 250k, £1.2m or "
        "1,200,000",
    ]


@pytest.mark.parametrize(
    ("text", "parser", "expected", "note"),
    [
        ("9-12 months", parse.parse_months, [9.0, 10.5, 12.0],
         "'9-12 months' gives two values; read as low 9, likely 10.5 (the middle), high 12"),
        ("1-2 years", parse.parse_months, [12.0, 18.0, 24.0],
         "'1-2 years' gives two values; read as low 12, likely 18 (the middle), high 24"),
        ("6 to 9", parse.parse_months, [6.0, 7.5, 9.0],
         "'6 to 9' gives two values; read as low 6, likely 7.5 (the middle), high 9"),
        ("£1-2m", parse.parse_money, [1e6, 1.5e6, 2e6],
         "'£1-2m' gives two values; read as low £1,000,000, likely £1,500,000 (the middle), "
         "high £2,000,000"),
        ("£500k – £1m", parse.parse_money, [5e5, 7.5e5, 1e6],
         "'£500k – £1m' gives two values; read as low £500,000, likely £750,000 (the middle), "
         "high £1,000,000"),
    ],
)  # fmt: skip
def test_two_value_ranges_take_the_middle_as_likely(text, parser, expected, note):
    result = parse.parse_range(pd.Series([text]), parser, "x")
    assert result.values.iloc[0].tolist() == expected
    assert result.assumed[0] == note


def test_ranges_keep_their_old_rules():
    assert problems(parse.parse_range, "18/24", parse_one=parse.parse_months, name="m") == [
        "'18/24' is not a range: give one value, or low/likely/high separated by '/'"
    ]
    assert problems(parse.parse_range, "9-12 weeks", parse_one=parse.parse_months, name="m") == [
        "'9-12 weeks' is not a number of months; write it like 18 or '2 years'"
    ]
    assert assumed(parse.parse_range, "18/24/36", parse_one=parse.parse_months, name="m") == [None]


@pytest.mark.parametrize(
    ("field", "text", "expected", "why"),
    [
        ("criticality", "Tier 1", "critical", "tier 1 of 4, as T1"),
        ("criticality", "tier-2", "high", "tier 2 of 4, as T2"),
        ("criticality", "T 3", "medium", "tier 3 of 4, as T3"),
        ("criticality", "Tier four", "low", "tier 4 of 4, as T4"),
        ("criticality", "Gold", "critical", "Gold, Silver, Bronze read as critical, high, medium"),
        ("criticality", "Bronze", "medium", "Gold, Silver, Bronze read as critical, high, medium"),
        ("hosting", "Azure", "public cloud", "a public cloud provider"),
        ("hosting", "AWS (London)", "public cloud", "a public cloud provider"),
        ("hosting", "Google Cloud", "public cloud", "a public cloud provider"),
        ("hosting", "Microsoft 365", "SaaS", "a product sold as a service"),
        ("hosting", "Supplier hosted", "private cloud", "run for the trust by a supplier"),
        ("hosting", "On-site", "on-premises", "run by the trust on its own servers"),
        ("status", "In use", "live", "in use today"),
        ("status", "In procurement", "planned", "not live yet"),
        ("kind", "HL7 v2.4", "HL7 v2", "HL7 version 2 messages"),
        ("kind", "FHIR R4", "FHIR", "HL7 FHIR"),
        ("kind", "SFTP (CSV)", "file transfer", "files passed between systems"),
    ],
)
def test_enumeration_readings_say_what_they_read(field, text, expected, why):
    from inventory.schema import DEPENDENCIES, SYSTEMS

    f = SYSTEMS.get(field) or DEPENDENCIES[field]
    result = parse.parse_enum(
        pd.Series([text]), f.allowed, synonyms=f.synonyms, readings=f.readings
    )
    assert result.values[0] == expected
    assert result.assumed[0] == f"'{text}' read as {expected} ({why})"


@pytest.mark.parametrize("network", ["HSCN", "N3", "psn"])
def test_networks_are_not_hosting(network):
    from inventory.schema import SYSTEMS

    f = SYSTEMS["hosting"]
    result = parse.parse_enum(pd.Series([network]), f.allowed, readings=f.readings)
    assert result.values[0] is None
    assert result.problems[0] == (
        f"'{network}' is a network, not where the system runs; write on-premises, private "
        "cloud, public cloud or SaaS and put the network in notes"
    )


def test_exact_values_and_synonyms_assume_nothing():
    from inventory.schema import SYSTEMS

    f = SYSTEMS["criticality"]
    result = parse.parse_enum(
        pd.Series(["critical", "T1", "cloudy"]), f.allowed, synonyms=f.synonyms, readings=f.readings
    )
    assert result.values.tolist() == ["critical", "critical", None]
    assert result.assumed.isna().tolist() == [True, True, True]
