"""Each part of the board paper, in a board's order, from its section's plain data: the
words, the tables and the charts. A part whose data the plan does not hold says so in a
note ("not in this plan") instead of showing an empty table.

Every function here takes the section data (see :mod:`planner.report.headline`,
:mod:`.money`, :mod:`.risk`, :mod:`.options`, :mod:`.quality`, :mod:`.assumptions`,
:mod:`.register`) and returns a :class:`~planner.report.blocks.Part`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import pandas as pd

from planner.policy import financial_year
from planner.report.blocks import Alert, Block, Facts, Gantt, Note, Part, Table, Text, table_of
from planner.report.figures import Chart
from planner.report.formatting import BLANK, blank, day, money, month, number, share
from planner.report.gantt import GanttView
from planner.report.headline import Headline
from planner.report.register import NOTE as REGISTER_NOTE

__all__ = [
    "accepted_risks_part",
    "approvals_part",
    "assumptions_part",
    "clinical_safety_part",
    "confidence_part",
    "constraints_part",
    "contract_part",
    "data_quality_part",
    "levers_part",
    "major_programmes_part",
    "manifest_part",
    "options_part",
    "project_list_part",
    "register_part",
    "risk_part",
    "roadmap_part",
    "run_cost_part",
    "spend_part",
    "summary_part",
    "warnings_part",
]

#: What a date column shows for a project the plan could not fit.
NOT_SCHEDULED = "not scheduled"


def _plain(value: object) -> str:
    return BLANK if blank(value) else str(value)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def _or_not_scheduled(value: object) -> str:
    """A go-live (or a date only a scheduled project has): its month, or 'not scheduled'."""
    return NOT_SCHEDULED if blank(value) else month(value)


def _count(value: object) -> str:
    """A count, or a dash for none."""
    return BLANK if blank(value) or not value else number(value)


def _budget(value: object) -> str:
    """A budget: NaN is no limit."""
    return "no limit" if blank(value) else money(value)


def _signed(value: object) -> str:
    """A change with its sign: '+4', '-21,410', and '0' for none."""
    if blank(value):
        return BLANK
    amount = round(float(value))  # type: ignore[arg-type]
    return "0" if amount == 0 else f"{amount:+,}"


def _sentence(message: str) -> str:
    """A warning as a sentence: its first letter a capital, a full stop at the end."""
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _listed(items: list[str], limit: int = 3) -> str:
    """'a', 'a and b', 'a, b and c', or 'a, b, c and 4 more'."""
    if len(items) > limit:
        return f"{', '.join(items[:limit])} and {len(items) - limit:,} more"
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def summary_part(
    head: Headline,
    not_scheduled: pd.DataFrame,
    programmes: pd.DataFrame,
    on_time: float | None,
    constraints: pd.DataFrame,
    lever_words: str | None,
) -> Part:
    """The executive summary: first what the plan holds and what it leaves out (the plan's
    own headline), then the end, the cost, the risk, how sure the dates are, the largest
    programme, what holds the programme back and the lever worth most, and what is not in
    the plan and why. ``on_time`` is the share of forecast runs that finish by the planned
    end (None without a forecast); ``constraints`` is
    :func:`~planner.report.constraints.binding_constraints`; ``lever_words`` the levers'
    summary (None when not computed)."""
    blocks: list[Block] = []
    if head.not_scheduled and not head.projects:
        blocks.append(
            Alert(
                f"Nothing fits: none of the {_plural(head.total_projects, 'project')} "
                f"({_plural(head.not_scheduled_systems, 'system')}, "
                f"{money(head.not_scheduled_cost_gbp)}) can be scheduled under this policy; "
                "the table at the end of this summary says why."
            )
        )
    elif head.not_scheduled:
        blocks.append(
            Alert(
                f"Not everything fits: {_plural(head.not_scheduled, 'project')} of "
                f"{head.total_projects:,} ({_plural(head.not_scheduled_systems, 'system')}, "
                f"{money(head.not_scheduled_cost_gbp)}) "
                f"{'is' if head.not_scheduled == 1 else 'are'} not scheduled under this "
                "policy. The dates, cost and risk below cover only the "
                f"{_plural(head.projects, 'project')} that fit; the table at the end of this "
                "summary says why the rest do not."
            )
        )
    if head.end is None:
        blocks.append(
            Text(f"{head.text}: nothing could be scheduled under this policy; see below for why.")
        )
    else:
        blocks.append(
            Text(
                f"{head.text}. The programme replaces or retires "
                f"{_plural(head.systems, 'system')} over {head.months} months, and estate risk "
                f"falls from {number(head.risk_now)} to {number(head.risk_at_end)} "
                f"({share(head.risk_reduction)} lower)."
            )
        )
    if head.p50_end is not None and head.end is not None:
        words = (
            f"The forecast puts the end at {month(head.p50_end)} in half of the runs (P50) and "
            f"{month(head.p80_end)} in four out of five (P80)."
        )
        if on_time is not None:
            words += f" {share(on_time)} of runs finish by the planned {month(head.end)}."
        blocks.append(Text(words))
    if len(programmes):
        top = programmes.iloc[0]
        when = f"goes live in {month(top['go_live'])}" if top["scheduled"] else "is not scheduled"
        blocks.append(
            Text(
                f"The largest programme, {top['project']}, is {share(top['share'])} of the cost "
                f"({money(top['cost_gbp'])}) and {when}."
            )
        )
    if len(constraints):
        first = constraints.iloc[0]
        words = (
            f"What holds the programme back most: {first['constraint']}, "
            f"{number(first['project_months'])} project-months of waiting across "
            f"{_plural(int(first['projects']), 'project')}."
        )
        if lever_words:
            words += f" Of the levers tested, {lever_words}."
        blocks.append(Text(words))
    facts = [
        ("Projects planned", f"{head.projects:,} of {head.total_projects:,}"),
        (
            "Not scheduled",
            f"{_plural(head.not_scheduled, 'project')} · "
            f"{_plural(head.not_scheduled_systems, 'system')} · "
            f"{money(head.not_scheduled_cost_gbp)}"
            if head.not_scheduled
            else "none",
        ),
        ("Programme end", month(head.end)),
        ("Cost of what is scheduled", money(head.total_cost_gbp)),
        ("Risk now → at end", f"{number(head.risk_now)} → {number(head.risk_at_end)}"),
    ]
    if head.p50_end is not None:
        facts.append(
            ("Confidence: P50 / P80 end", f"{month(head.p50_end)} / {month(head.p80_end)}")
        )
    facts += [
        (
            "Contracts to extend",
            f"{head.contracts_to_extend:,} · {money(head.contract_extension_gbp)}"
            if head.contracts_to_extend
            else "none",
        ),
        ("Double running", money(head.double_running_gbp)),
        ("Accepted risks (retained, high or extreme)", _plural(head.accepted_risks, "system")),
        ("Go-lives after end of support", _plural(head.deadlines_missed, "system")),
    ]
    blocks.append(Facts(facts))
    not_in = (
        f"Not in the plan: {_plural(head.retained, 'system')} the trust has decided to keep "
        "(disposition retain; the high and extreme risks among them are listed under Accepted "
        "risks)"
    )
    if not_scheduled.empty:
        blocks.append(Text(not_in + "; every planned project is scheduled."))
    else:
        waiting = int(not_scheduled["waiting"].sum())
        blocks.append(
            Text(
                not_in + f"; and {_plural(head.not_scheduled, 'project')} the schedule could "
                "not fit. "
                + (
                    f"{_plural(len(not_scheduled), 'project')} cannot be placed for the reason "
                    f"given; the other {_plural(waiting, 'project')} wait for one of them:"
                    if waiting
                    else "Each with the reason:"
                )
            )
        )
        blocks.append(
            table_of(
                not_scheduled,
                {
                    "project": ("Project", _plain),
                    "cost_gbp": ("Cost", money),
                    "why": ("Why it is not scheduled", _plain),
                    "waiting": ("Projects waiting for it", _count),
                    "waiting_cost_gbp": ("Their cost", lambda v: money(v) if v else BLANK, True),
                },
                index="",
            )
        )
    return Part("summary", "Executive summary", blocks)


def major_programmes_part(programmes: pd.DataFrame) -> Part:
    """The largest projects by cost, with their share of the plan's cost."""
    return Part(
        "programmes",
        "Major programmes by cost",
        [
            Text(
                "The largest projects by cost, whatever their priority, scheduled or not: these "
                "decide the capital profile and carry most of the delivery risk. The share is "
                "of the cost of every planned project."
            ),
            table_of(
                programmes,
                {
                    "project": ("Project", _plain),
                    "category": ("Category", _plain),
                    "start": ("Start", _or_not_scheduled),
                    "go_live": ("Go-live", _or_not_scheduled),
                    "cost_gbp": ("Cost", money),
                    "share": ("Share of cost", share),
                    "risk_rating": ("Risk", _plain),
                },
                index="",
            ),
        ],
    )


def roadmap_part(by_category: pd.DataFrame, gantt: GanttView, chart: Chart) -> Part:
    """The roadmap by category: the table, the interactive Gantt (screen) with the projects
    not scheduled after it, and the chart by category (print)."""
    words = (
        f"{_plural(gantt.projects, 'project')} in "
        f"{_plural(len(gantt.groups), 'category', 'categories')}, each bar from the start to "
        "the go-live. Diamonds mark a business case approved, ticks a clinical safety case "
        "signed off. Every system is listed in Annex B."
        if gantt.projects
        else "Nothing is scheduled, so the roadmap is empty. Every system is listed in Annex B."
    )
    blocks: list[Block] = []
    if gantt.unscheduled:
        blocks.append(
            Alert(
                f"Not scheduled: {gantt.unscheduled_summary}. These projects are not on the "
                "roadmap; they are listed after it with the reason."
            )
        )
    blocks += [
        Text(words),
        Gantt(gantt),
        chart,
        table_of(
            by_category,
            {
                "projects": ("Projects", number),
                "not_scheduled": ("Not scheduled", number),
                "systems": ("Systems", number),
                "cost_gbp": ("Cost scheduled", money),
                "first_start": ("First start", month),
                "last_go_live": ("Last go-live", month),
            },
            index="Category",
        ),
    ]
    return Part("roadmap", "The roadmap by category", blocks)


def spend_part(
    spend: pd.DataFrame, chart: Chart, warnings: Sequence[str], slipping: Sequence[str] = ()
) -> Part:
    """Capital and revenue per financial year against their budgets (from the plan), the
    forecast's chance of capital slipping past 31 March, and what the plan and the forecast
    warn about money: ``warnings`` (the plan's budget warnings) and ``slipping`` (the
    forecast's warnings on the years whose capital is likely to slip)."""
    capital, revenue = spend["capital_gbp"].sum(), spend["revenue_gbp"].sum()
    over_capital = spend[spend["capital_headroom_gbp"] < -0.5]["financial_year"].tolist()
    over_revenue = spend[spend["revenue_headroom_gbp"] < -0.5]["financial_year"].tolist()
    revenue_limited = bool(spend["revenue_budget_gbp"].notna().any())
    words = [
        f"Over {_plural(len(spend), 'financial year')} the plan spends {money(capital)} of "
        f"capital and {money(revenue)} of revenue ({money(capital + revenue)} in all)."
    ]
    words.append(
        "Capital stays within its budget every year"
        if not over_capital
        else f"Capital exceeds its budget in {', '.join(over_capital)}"
    )
    if revenue_limited:
        words[-1] += (
            " and revenue within its budget."
            if not over_revenue
            else f"; revenue exceeds its budget in {', '.join(over_revenue)}."
        )
    else:
        words[-1] += "; the policy sets no revenue budget, so revenue is shown but not limited."
    words.append(
        "Capital not spent by 31 March is lost, so headroom is money the programme could "
        "bring forward."
    )
    blocks: list[Block] = [Text(" ".join(words))]
    odds = spend["p_capital_slips_past_31_march"]
    if odds.notna().any() and not slipping:
        blocks.append(Text("In the forecast no year's capital is likely to slip past 31 March."))
    blocks += [Note(_sentence(message)) for message in slipping]
    blocks.append(chart)
    columns: dict[str, tuple] = {
        "capital_budget_gbp": ("Capital budget", _budget, True),
        "capital_gbp": ("Capital", money),
        "capital_headroom_gbp": ("Capital headroom", money),
    }
    if revenue_limited:
        columns |= {
            "revenue_budget_gbp": ("Revenue budget", _budget, True),
            "revenue_gbp": ("Revenue", money),
            "revenue_headroom_gbp": ("Revenue headroom", money),
        }
    else:
        columns["revenue_gbp"] = ("Revenue", money)
    columns["spend_gbp"] = ("Total", money)
    if odds.notna().any():
        columns["p_capital_slips_past_31_march"] = (
            "Chance capital slips past 31 March",
            share,
        )
    blocks.append(table_of(spend.set_index("financial_year"), columns, index="Financial year"))
    for message in warnings[:8]:
        blocks.append(Note(_sentence(message)))
    if len(warnings) > 8:
        blocks.append(Note(f"{len(warnings) - 8:,} more budget warnings are in the annex."))
    return Part("spend", "Spend per financial year", blocks)


def risk_part(by_year: pd.DataFrame, burndown: Chart, portfolio: Chart, support: Chart) -> Part:
    """The risk burn-down with its units, where the risk sits, and when support ends."""
    return Part(
        "risk",
        "Risk burn-down",
        [
            Text(
                "Risk is scored per system on the NHS risk register's scale: 4 × likelihood (1-5) "
                "× consequence (1-5), so 0 to 100 a system. The figures below are the sum over the "
                "estate: 1,000 points is ten systems at the highest risk, or forty at a quarter "
                "of it. Doing nothing, risk rises as more systems pass their end of support."
            ),
            burndown,
            table_of(
                by_year.set_index("financial_year"),
                {
                    "plan_risk": ("With the plan", number),
                    "do_nothing_risk": ("Doing nothing", number),
                    "removed": ("Removed by then", share),
                },
                index="1 April of",
            ),
            Text(
                "Where the risk sits: each system by risk and downstream impact (how many systems "
                "depend on it), the bubble its replacement cost."
            ),
            portfolio,
            support,
        ],
    )


def confidence_part(
    programme: pd.DataFrame | None,
    forecast_charts: list[Chart],
    stability: tuple[str, Chart] | None,
    warnings: Sequence[str] = (),
) -> Part:
    """How sure the dates and the order are: the forecast (with its warnings, such as the
    ranges that are the policy's spread), None when nothing is scheduled; and the rank
    stability (its sentence and chart), None when nothing is planned."""
    title = "How sure are the dates?"
    if stability is None:
        return Part(
            "confidence",
            title,
            [Note("Nothing is planned, so there are no dates to forecast or order to test.")],
        )
    blocks: list[Block] = []
    if programme is None:
        blocks.append(Note("Nothing is scheduled, so there are no dates to forecast."))
    else:
        blocks += [
            Text(
                "Each Monte Carlo run draws every project's cost and duration from its low, "
                "likely and high estimate and replays the plan under the same budgets and "
                "teams. P80 is the date by which four runs in five are done."
            ),
            table_of(
                programme.rename(index={"planned": "Planned"}),
                {"go_live": ("Programme end", month)},
                index="Percentile",
            ),
            *[Note(_sentence(message)) for message in warnings],
            *forecast_charts,
        ]
    describe, chart = stability
    blocks += [Text("How sure is the order? " + describe), chart]
    return Part("confidence", title, blocks)


def run_cost_part(costs: pd.DataFrame, chart: Chart, parallel_months: int) -> Part:
    """The running cost of the estate per financial year, from the plan: doing nothing, with
    the plan (the legacy systems still running and what replaced them), the double running
    among the legacy cost, and the saving. ``parallel_months`` is the policy's
    ``money.parallel_running_months``."""
    if costs.empty or not costs["do_nothing_gbp"].any():
        return Part("run-cost", "Running cost", [Note("No running costs are in the inventory.")])
    last = costs.iloc[-1]
    double = costs["double_running_gbp"]
    words = [
        f"The estate costs {money(costs['do_nothing_gbp'].iloc[0])} a year to run today. "
        f"In {last['financial_year']} the plan brings that to {money(last['planned_gbp'])} "
        f"({money(last['legacy_gbp'])} for the legacy systems still running, "
        f"{money(last['replacement_gbp'])} for what replaced them): "
        + (
            f"{money(last['saving_gbp'])} a year less than doing nothing."
            if last["saving_gbp"] >= 0
            else f"{money(-last['saving_gbp'])} a year more than doing nothing."
        )
    ]
    if double.sum() > 0:
        busiest = costs.iloc[int(double.to_numpy().argmax())]
        words.append(
            f"A replaced system keeps running for {_plural(parallel_months, 'month')} after "
            "its replacement goes live (money.parallel_running_months), and a retired one "
            f"until it is decommissioned: that double running costs {money(double.sum())} "
            f"over the plan, most in {busiest['financial_year']} "
            f"({money(busiest['double_running_gbp'])})."
        )
    return Part(
        "run-cost",
        "Running cost",
        [
            Text(" ".join(words)),
            chart,
            table_of(
                costs.set_index("financial_year"),
                {
                    "do_nothing_gbp": ("Doing nothing", money),
                    "planned_gbp": ("With the plan", money),
                    "legacy_gbp": ("Legacy systems", money),
                    "double_running_gbp": ("of which double running", money),
                    "replacement_gbp": ("New systems", money),
                    "saving_gbp": ("Saving", money),
                },
                index="Financial year",
            ),
            Note(
                "New systems cost their future_run_cost_gbp from go-live (blank: the cost of "
                "the system they replace); a rehosted or replatformed system changes cost at "
                "its go-live the same way."
            ),
        ],
    )


def options_part(table: pd.DataFrame, chart: Chart) -> Part:
    """The options appraisal: the plan against do minimum, budgets -20%/+20% and any other
    scenario given."""
    return Part(
        "options",
        "Options appraisal",
        [
            Text(
                "Do minimum replaces only what must be replaced now: the systems already out of "
                "support when the plan starts or rated extreme, with what they wait for; every "
                "other system is retained. The budget options scale every year's capital. "
                "Exposure is the area under the risk burn-down (risk points × months): lower is "
                "better."
            ),
            table_of(
                table,
                {
                    "last_go_live": ("Last go-live", month),
                    "projects_scheduled": ("Projects", number),
                    "not_scheduled": ("Not scheduled", number),
                    "cost_gbp": ("Cost", money),
                    "risk_at_end": ("Risk at end", number),
                    "risk_exposure": ("Exposure", number),
                    "exposure_vs_baseline": (
                        "Exposure vs plan",
                        lambda v: BLANK if blank(v) else f"{100 * float(v):+.0f}%",
                        True,
                    ),
                    "deadlines_missed": ("Late for end of support", number),
                },
                index="Option",
            ),
            chart,
        ],
    )


def constraints_part(constraints: pd.DataFrame, top: int = 12) -> Part:
    """What holds the programme back: the months each constraint held projects between
    their earliest start and their start, added up (the ``top`` largest, the rest as one
    line)."""
    title = "What holds the programme back"
    if constraints.empty:
        return Part(
            "constraints",
            title,
            [
                Note(
                    "No project waits: each starts as soon as its prerequisites, contract and "
                    "business case allow."
                )
            ],
        )
    total = int(constraints["project_months"].sum())
    shown = constraints.head(top).copy()
    if len(constraints) > top:
        rest = constraints.iloc[top:]
        shown.loc[len(shown)] = {
            "constraint": f"{len(rest)} others",
            "projects": np.nan,
            "project_months": rest["project_months"].sum(),
        }
    shown["share"] = shown["project_months"] / total
    named = [
        f"{row['constraint']} ({number(row['project_months'])})"
        for _, row in constraints.head(3).iterrows()
    ]
    return Part(
        "constraints",
        title,
        [
            Text(
                "Between the earliest date a project could start (its prerequisites live, its "
                "contract and business case allowing) and the date it does, something holds "
                "it. Each month a project waits counts once, against the rule that stopped "
                f"it. In all, projects wait {number(total)} project-months, most for "
                f"{_listed(named)}. These are the constraints that bind: the levers below "
                "test relaxing each."
            ),
            table_of(
                shown.set_index("constraint"),
                {
                    "projects": ("Projects held", number),
                    "project_months": ("Project-months", number),
                    "share": ("Share of the waiting", share),
                },
                index="Held by",
            ),
            Note(
                "A change freeze holds a project whose go-live would fall in a freeze month; "
                "the go-live limit, one whose go-live month is full; go-live spacing, one too "
                "close to another go-live in its department, through its integration engine, or "
                "after a major go-live. The scheduler checks the rules in that order (a freeze, "
                "then teams and the project cap, then go-lives, then money), and a month is "
                "counted against the first that stops it: a rule checked later may hold the "
                "same month, so relaxing one constraint alone can buy nothing. Projects not "
                "scheduled are not counted: the executive summary says what stops them. On "
                "screen, the roadmap's bars say what held each project."
            ),
        ],
    )


def _lever_names(levers: pd.DataFrame) -> list[str]:
    """The levers' names, the capital ones (one a year) as one: 'Add 10% to the capital
    budget of any one of 2027/28 to 2035/36'."""
    capital = levers[levers["kind"] == "capital"]
    names = levers.loc[levers["kind"] != "capital", "lever"].astype(str).tolist()
    if len(capital) > 1:
        years = capital["change"].astype(str).str.split(" ").str[0].tolist()
        first = str(capital["lever"].iloc[0]).replace(f" {years[0]} ", " ")
        names.append(f"{first} of any one of {years[0]} to {years[-1]}")
    else:
        names += capital["lever"].astype(str).tolist()
    return names


def levers_part(levers) -> Part:
    """What each lever buys (a :class:`~planner.levers.Levers`, or None when not computed):
    the levers that help, ranked, and the others named."""
    if levers is None:
        return Part("levers", "Levers", [Note("Levers were not computed for this report.")])
    table = levers.table
    helpful = levers.helpful
    others = table.drop(index=helpful.index)
    blocks: list[Block] = [
        Text(
            "Each lever relaxes one constraint (a person more in a team, a tenth more capital "
            "in a year, a change freeze lifted, a contract ended early) and places the plan "
            "again: what it buys in months sooner and in risk exposure (the area under the "
            "risk burn-down, risk points × months, measured to the horizon; negative is "
            f"better). {_plural(len(helpful), 'lever')} of {len(table):,} help."
        )
    ]
    if len(helpful):
        blocks.append(
            table_of(
                helpful,
                {
                    "lever": ("Lever", _plain),
                    "change": ("Change", _plain),
                    "programme_end": ("Programme end", month),
                    "months_sooner": ("Months sooner", _signed, True),
                    "risk_exposure_change": ("Risk exposure change", _signed, True),
                    "newly_scheduled": ("Newly scheduled", number),
                    "newly_unscheduled": ("Left out", number),
                },
                index="Rank",
            )
        )
    if len(others):
        blocks.append(
            Note(
                f"Change nothing on their own ({len(others)}): {'; '.join(_lever_names(others))}. "
                "Either the constraint does not bind, or another holds the same projects in "
                "the same months. What breaking or extending a contract costs is not counted."
            )
        )
    return Part("levers", "Levers", blocks)


def contract_part(extensions: pd.DataFrame, unknown: int, total: int) -> Part:
    """The plan's contracts to extend: legacy systems that run past their contract's end
    while their replacements are built (or, not scheduled, beyond the plan)."""
    blocks: list[Block] = []
    if extensions.empty:
        blocks.append(Note("No planned system runs past its contract's end."))
    else:
        longest = extensions.iloc[0]
        beyond = int(extensions["runs_until"].isna().sum())
        one = len(extensions) == 1
        words = (
            f"{_plural(len(extensions), 'legacy contract')} "
            f"{'ends before its system stops' if one else 'end before their systems stop'} "
            f"running and must be extended, for {money(extensions['cost_gbp'].sum())} at "
            f"today's run rates; the longest is {longest['name']}, "
            f"{_plural(int(longest['months']), 'month')}. A replaced system runs until its "
            "replacement has been live for the parallel-running months; a retired one until "
            "it is decommissioned. Months are counted from the plan's start where the contract "
            "has already ended. Negotiate the extensions now, while there is time."
        )
        if beyond:
            words += (
                f" {_plural(beyond, 'system')} of these {'is' if beyond == 1 else 'are'} not "
                "scheduled, so the extension runs to the plan's horizon."
            )
        blocks.append(Text(words))
        blocks.append(
            table_of(
                extensions,
                {
                    "name": ("System", _plain),
                    "supplier": ("Supplier", _plain),
                    "contract_end": ("Contract ends", month),
                    "runs_until": ("Runs until", _or_not_scheduled),
                    "months": ("Months", number),
                    "cost_gbp": ("Cost to extend", money),
                },
                index="",
            )
        )
    if unknown:
        blocks.append(
            Note(f"{unknown:,} of {total:,} systems have no contract end in the inventory.")
        )
    return Part("contracts", "Contracts to extend", blocks)


def accepted_risks_part(accepted: pd.DataFrame) -> Part:
    """High and extreme risks of systems the plan retains: the board accepts them."""
    if accepted.empty:
        return Part(
            "accepted",
            "Accepted risks",
            [Note("No system rated high or extreme is retained: every one is in the plan.")],
        )
    return Part(
        "accepted",
        "Accepted risks",
        [
            Text(
                f"{_plural(len(accepted), 'retained system')} rated high or extreme stay as "
                "they are: the board accepts these risks until it decides otherwise. Record "
                "each on the risk register with an owner and a compensating control "
                "(isolation, extended support; see the unsupported-systems register), or plan "
                "its replacement."
            ),
            table_of(
                accepted,
                {
                    "name": ("System", _plain),
                    "category": ("Category", _plain),
                    "risk": ("Risk", number),
                    "risk_rating": ("Rating", _plain),
                    "end_of_support": ("End of support", month),
                    "why": ("Why", _plain),
                },
                index="",
            ),
        ],
    )


def approvals_part(approvals: pd.DataFrame, board_months: int, national_months: int) -> Part:
    """The business cases to approve before their projects start, from the plan:
    ``board_months`` and ``national_months`` are the time the policy allows for each."""
    title = "Business cases to approve"
    if approvals.empty:
        return Part(
            "approvals",
            title,
            [Note("No project is large enough to need trust board or national approval.")],
        )
    counts = approvals["approval"].value_counts()
    kinds = [
        f"{_plural(int(counts[kind]), 'business case')} "
        f"{'needs' if counts[kind] == 1 else 'need'} {label}"
        for kind, label in (
            ("trust board", "trust board approval"),
            ("national", "national approval (above the trust's delegated limits)"),
        )
        if kind in counts
    ]
    scheduled = approvals[approvals["approved_by"].notna()]
    per_year = scheduled.groupby(scheduled["approved_by"].map(financial_year)).size()
    words = (
        f"{_listed(kinds)} before their projects start. The plan allows "
        f"{_plural(board_months, 'month')} for a trust board approval and "
        f"{_plural(national_months, 'month')} for a national one (schedule.approval), and "
        "starts no project before its approval."
    )
    if len(per_year):
        words += (
            f" The busiest year for the board is {per_year.idxmax()}, with "
            f"{_plural(int(per_year.max()), 'case')}."
        )
    return Part(
        "approvals",
        title,
        [
            Text(words),
            table_of(
                approvals,
                {
                    "project": ("Project", _plain),
                    "category": ("Category", _plain),
                    "approval": ("Approval", _plain),
                    "approved_by": ("Approved by", _or_not_scheduled),
                    "cost_gbp": ("Cost", money),
                    "go_live": ("Go-live", _or_not_scheduled),
                },
                index="",
            ),
        ],
    )


def clinical_safety_part(sign_offs: pd.DataFrame, lead_months: int, unscheduled: int) -> Part:
    """The DCB0160 clinical safety cases the plan signs off before clinical go-lives, from
    the plan: ``lead_months`` is the policy's ``clinical_safety.lead_months``;
    ``unscheduled`` counts clinical projects not scheduled (their sign-offs are not
    planned)."""
    blocks: list[Block] = []
    if sign_offs.empty:
        blocks.append(Note("No clinical go-live is scheduled, so no safety case is to sign off."))
    else:
        classes = sign_offs["safety_class"].value_counts()
        by_class = [f"{int(classes[c])} {c}" for c in ("high", "medium", "low") if c in classes]
        per_year = sign_offs.groupby(sign_offs["safety_signoff"].map(financial_year)).size()
        blocks.append(
            Text(
                f"{_plural(len(sign_offs), 'clinical safety case')} to sign off under DCB0160 "
                f"({', '.join(by_class)} by class), each in the "
                f"{_plural(lead_months, 'month')} before its go-live, when the clinical safety "
                "team writes the hazard log and the Clinical Safety Officer signs the case "
                f"off. At most {per_year.max()} fall in one financial year "
                f"({per_year.idxmax()}): size the Clinical Safety Officer's time to it. A "
                "retirement has no safety case of its own: its data and workflows move under "
                "the absorbing system's."
            )
        )
        blocks.append(
            table_of(
                sign_offs,
                {
                    "project": ("Project", _plain),
                    "category": ("Category", _plain),
                    "safety_class": ("Class", _plain),
                    "safety_signoff": ("Signed off", month),
                    "go_live": ("Go-live", month),
                },
                index="",
            )
        )
    if unscheduled:
        blocks.append(
            Alert(
                f"{_plural(unscheduled, 'clinical project')} "
                f"{'is' if unscheduled == 1 else 'are'} not scheduled, so "
                f"{'its safety case is' if unscheduled == 1 else 'their safety cases are'} "
                "not planned."
            )
        )
    return Part("clinical-safety", "Clinical safety sign-offs", blocks)


def data_quality_part(quality: pd.DataFrame) -> Part:
    """How far to trust the inputs."""
    return Part(
        "data-quality",
        "Data quality",
        [
            Text(
                "Where the inventory is silent the planner uses a default, and says so here: the "
                "more defaults, the less the dates and costs can be relied on."
            ),
            table_of(
                quality,
                {
                    "systems": ("Systems", number),
                    "out_of": ("Out of", number),
                    "meaning": ("What it means", _plain),
                    "which": ("Which", _plain),
                },
                index="Check",
            ),
        ],
    )


def assumptions_part(words: list[tuple[str, str]], changes: pd.DataFrame, source: str) -> Part:
    """The policy in words, and every setting that differs from the default."""
    blocks: list = [Text(f"The plan follows the policy in {source}."), Facts(words)]
    if changes.empty:
        blocks.append(Note("Every setting is the bundled default policy's."))
    else:
        blocks.append(
            table_of(
                changes,
                {
                    "setting": ("Setting", _plain),
                    "default": ("Default", _plain),
                    "this plan": ("This plan", _plain),
                },
                index="",
                caption="Settings that differ from the default policy",
            )
        )
    return Part("assumptions", "Assumptions", blocks)


def register_part(register: pd.DataFrame, as_of: pd.Timestamp) -> Part:
    """Annex: the unsupported-systems register (DSPT)."""
    return Part(
        "register",
        "Annex A: Unsupported systems register",
        [
            Note(REGISTER_NOTE.format(date=day(as_of))),
            table_of(
                register.set_index("System id"),
                {
                    "Component": ("Component", _plain),
                    "Version": ("Version", _plain),
                    "Platform": ("Platform", _plain),
                    "End of support": ("End of support", month),
                    "Essential function": ("Essential function", _plain),
                    "Criticality": ("Criticality", _plain),
                    "Compensating control": ("Compensating control (trust to complete)", _plain),
                    "Risk owner": ("Risk owner (trust to complete)", _plain),
                    "Remediation": ("Remediation", _plain),
                    "Remediation financial year": ("Remediation FY", _plain),
                },
                index="System",
            ),
        ],
        annex=True,
    )


def project_list_part(projects: pd.DataFrame) -> Part:
    """Annex: every planned system in go-live order, with its approval and clinical safety
    sign-off; those not scheduled last, saying so."""
    return Part(
        "projects",
        "Annex B: Every planned system",
        [
            table_of(
                projects,
                {
                    "name": ("Name", _plain),
                    "category": ("Category", _plain),
                    "wave": ("Wave", lambda v: BLANK if blank(v) else f"{int(v)}", True),
                    "approved_by": ("Approved by", month),
                    "start": ("Start", month),
                    "safety_signoff": ("Safety signed off", month),
                    "go_live": ("Go-live", _or_not_scheduled),
                    "cost_gbp": ("Cost", money),
                    "risk_rating": ("Risk", _plain),
                },
                index="System",
            )
        ],
        annex=True,
    )


def warnings_part(warnings: pd.DataFrame) -> Part:
    """Annex: every warning of the plan, most serious kind first (the plan's order)."""
    if warnings.empty:
        return Part(
            "warnings", "Annex C: Warnings", [Note("The plan has no warnings.")], annex=True
        )
    counts = warnings["kind"].value_counts(sort=False)
    kinds = [f"{kind} {count}" for kind, count in counts.items() if count]
    return Part(
        "warnings",
        "Annex C: Warnings",
        [
            Text(
                f"{_plural(len(warnings), 'warning')} ({', '.join(kinds)}), as every output of "
                "the plan gives them."
            ),
            table_of(
                warnings,
                {
                    "kind": ("Kind", _plain),
                    "system": ("System", _plain),
                    "message": ("Warning", _plain),
                },
                index="",
            ),
        ],
        annex=True,
    )


def manifest_part(manifest: dict) -> Part:
    """Annex: the run manifest, for audit."""
    facts = [
        ("Plan id", manifest["plan_id"]),
        ("Created", manifest["created"]),
        ("Tool", f"{manifest['tool']['name']} {manifest['tool']['version']}"),
        (
            "Inventory",
            f"{manifest['inventory']['systems']:,} systems, "
            f"{manifest['inventory']['dependencies']:,} dependencies, SHA-256 "
            f"{manifest['inventory']['sha256']}",
        ),
        (
            "Store batch",
            json.dumps(manifest["store"]) if manifest["store"] else "not from the store",
        ),
        ("Policy", f"{manifest['policy']['source']}, SHA-256 {manifest['policy']['sha256']}"),
        ("Method", ", ".join(f"{k} {v}" for k, v in manifest["method"].items() if v is not None)),
        ("Seeds", ", ".join(f"{k} {v}" for k, v in manifest["seeds"].items() if v is not None)),
    ]
    blocks: list = [
        Text(
            "What this report was made from and how. The same inputs give the same manifest "
            "but for the time; manifest.json beside the roadmap holds the same."
        ),
        Facts(facts),
    ]
    if manifest["inputs"]:
        blocks.append(
            Table(
                columns=["Input", "SHA-256", "Bytes"],
                rows=[[i["path"], i["sha256"], f"{i['bytes']:,}"] for i in manifest["inputs"]],
                numeric=[False, False, True],
            )
        )
    return Part("manifest", "Annex D: Run manifest", blocks, annex=True)


def on_time_share(forecast, planned_end_month: float) -> float:
    """The share of forecast runs finished within ``planned_end_month`` months."""
    return float(np.mean(forecast.completion_months <= planned_end_month))
