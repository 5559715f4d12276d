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
    frame = parse.parse_range(pd.Series(["1m/2m/4m", "500k"]), parse.parse_money, "c").values
    assert frame.to_dict("list") == {
        "c_low": [1e6, 5e5],
        "c_likely": [2e6, 5e5],
        "c_high": [4e6, 5e5],
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
