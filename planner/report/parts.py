"""The board paper's body, in a board's order, from each section's plain data: the
summary, the major programmes, the roadmap, spend, risk, confidence, run cost, options,
what holds the programme back and the levers (the later parts and the annexes are in
:mod:`planner.report.annexes`). A part whose data the plan does not hold says so in a note
("not in this plan") instead of showing an empty table.

Every function here takes the section data (see :mod:`planner.report.headline`,
:mod:`.money`, :mod:`.risk`, :mod:`.options`) and returns a
:class:`~planner.report.blocks.Part`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planner.montecarlo import slips_worth_a_warning
from planner.report.blocks import Alert, Block, Facts, Gantt, Note, Part, Text, table_of
from planner.report.figures import Chart
from planner.report.formatting import (
    BLANK,
    blank,
    budget_text,
    count_text,
    listed,
    money,
    month,
    number,
    or_not_scheduled,
    plain_text,
    plural,
    sentence,
    share,
    signed,
)
from planner.report.gantt import GanttView
from planner.report.headline import Headline

__all__ = [
    "confidence_part",
    "constraints_part",
    "levers_part",
    "major_programmes_part",
    "on_time_share",
    "options_part",
    "risk_part",
    "roadmap_part",
    "run_cost_part",
    "spend_part",
    "summary_part",
]


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
                f"Nothing fits: none of the {plural(head.total_projects, 'project')} "
                f"({plural(head.not_scheduled_systems, 'system')}, "
                f"{money(head.not_scheduled_cost_gbp)}) can be scheduled under this policy; "
                "the table at the end of this summary says why."
            )
        )
    elif head.not_scheduled:
        blocks.append(
            Alert(
                f"Not everything fits: {plural(head.not_scheduled, 'project')} of "
                f"{head.total_projects:,} ({plural(head.not_scheduled_systems, 'system')}, "
                f"{money(head.not_scheduled_cost_gbp)}) "
                f"{'is' if head.not_scheduled == 1 else 'are'} not scheduled under this "
                "policy. The dates, cost and risk below cover only the "
                f"{plural(head.projects, 'project')} that fit; the table at the end of this "
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
                f"{plural(head.systems, 'system')} over {head.months} months, and estate risk "
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
            f"{plural(int(first['projects']), 'project')}."
        )
        if lever_words:
            words += f" Of the levers tested, {lever_words}."
        blocks.append(Text(words))
    facts = [
        ("Projects planned", f"{head.projects:,} of {head.total_projects:,}"),
        (
            "Not scheduled",
            f"{plural(head.not_scheduled, 'project')} · "
            f"{plural(head.not_scheduled_systems, 'system')} · "
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
        ("Accepted risks (retained, high or extreme)", plural(head.accepted_risks, "system")),
        (
            "Go-lives after end of support",
            plural(head.deadlines_missed, "system")
            + (
                f" ({head.already_unsupported:,} already unsupported when the plan starts)"
                if head.already_unsupported
                else ""
            ),
        ),
    ]
    blocks.append(Facts(facts))
    not_in = (
        f"Not in the plan: {plural(head.retained, 'system')} the trust has decided to keep "
        "(disposition retain; the high and extreme risks among them are listed under Accepted "
        "risks)"
    )
    if not_scheduled.empty:
        blocks.append(Text(not_in + "; every planned project is scheduled."))
    else:
        waiting = int(not_scheduled["waiting"].sum())
        blocks.append(
            Text(
                not_in + f"; and {plural(head.not_scheduled, 'project')} the schedule could "
                "not fit. "
                + (
                    f"{plural(len(not_scheduled), 'project')} cannot be placed for the reason "
                    f"given; the other {plural(waiting, 'project')} wait for one of them:"
                    if waiting
                    else "Each with the reason:"
                )
            )
        )
        blocks.append(
            table_of(
                not_scheduled,
                {
                    "project": ("Project", plain_text),
                    "cost_gbp": ("Cost", money),
                    "why": ("Why it is not scheduled", plain_text),
                    "waiting": ("Projects waiting for it", count_text),
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
                    "project": ("Project", plain_text),
                    "category": ("Category", plain_text),
                    "start": ("Start", or_not_scheduled),
                    "go_live": ("Go-live", or_not_scheduled),
                    "cost_gbp": ("Cost", money),
                    "share": ("Share of cost", share),
                    "risk_rating": ("Risk", plain_text),
                },
                index="",
            ),
        ],
    )


def roadmap_part(by_category: pd.DataFrame, gantt: GanttView, chart: Chart) -> Part:
    """The roadmap by category: the table, the interactive Gantt (screen) with the projects
    not scheduled after it, and the chart by category (print)."""
    words = (
        f"{plural(gantt.projects, 'project')} in "
        f"{plural(len(gantt.groups), 'category', 'categories')}, each bar from the start to "
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
    over_capital = spend.index[spend["capital_headroom_gbp"] < -0.5].tolist()
    over_revenue = spend.index[spend["revenue_headroom_gbp"] < -0.5].tolist()
    revenue_limited = bool(spend["revenue_budget_gbp"].notna().any())
    words = [
        f"Over {plural(len(spend), 'financial year')} the plan spends {money(capital)} of "
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
    likely = spend[odds >= 0.5]
    # the forecast warns (``slipping``) only of the years worth it; the others said here
    small = spend[(odds >= 0.5) & ~slips_worth_a_warning(spend, spend["capital_gbp"])]
    if odds.notna().any() and likely.empty:
        blocks.append(Text("In the forecast no year's capital is likely to slip past 31 March."))
    elif not small.empty:
        years = ", ".join(
            f"{year} ({share(row['p_capital_slips_past_31_march'])} of runs, a median "
            f"{money(row['median_capital_shortfall_gbp'])} short)"
            for year, row in small.iterrows()
        )
        blocks.append(
            Text(
                f"In the forecast capital is more likely than not to slip past 31 March in "
                f"{years}: small sums, under the share the forecast warns about."
            )
        )
    blocks += [Note(sentence(message)) for message in slipping]
    blocks.append(chart)
    columns: dict[str, tuple] = {
        "capital_budget_gbp": ("Capital budget", budget_text, True),
        "capital_gbp": ("Capital", money),
        "capital_headroom_gbp": ("Capital headroom", money),
    }
    if revenue_limited:
        columns |= {
            "revenue_budget_gbp": ("Revenue budget", budget_text, True),
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
    blocks.append(table_of(spend, columns, index="Financial year"))
    for message in warnings[:8]:
        blocks.append(Note(sentence(message)))
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
            *[Note(sentence(message)) for message in warnings],
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
        f"In {last.name} the plan brings that to {money(last['planned_gbp'])} "
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
            f"A replaced system keeps running for {plural(parallel_months, 'month')} after "
            "its replacement goes live (money.parallel_running_months), and a retired one "
            f"until it is decommissioned: that double running costs {money(double.sum())} "
            f"over the plan, most in {busiest.name} "
            f"({money(busiest['double_running_gbp'])})."
        )
    return Part(
        "run-cost",
        "Running cost",
        [
            Text(" ".join(words)),
            chart,
            table_of(
                costs,
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
                f"{listed(named)}. These are the constraints that bind: the levers below "
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
            f"better). {plural(len(helpful), 'lever')} of {len(table):,} help."
        )
    ]
    if len(helpful):
        blocks.append(
            table_of(
                helpful,
                {
                    "lever": ("Lever", plain_text),
                    "change": ("Change", plain_text),
                    "programme_end": ("Programme end", month),
                    "months_sooner": ("Months sooner", signed, True),
                    "risk_exposure_change": ("Risk exposure change", signed, True),
                    "newly_scheduled": ("Newly scheduled", number),
                    "newly_unscheduled": ("Left out", number),
                },
                index="Rank",
            )
        )
    if len(others):
        names = _lever_names(others)
        blocks.append(
            Note(
                f"Change nothing on their own ({len(names)}): {'; '.join(names)}. "
                "Either the constraint does not bind, or another holds the same projects in "
                "the same months. What breaking or extending a contract costs is not counted."
            )
        )
    return Part("levers", "Levers", blocks)


def on_time_share(forecast, planned_end_month: float) -> float:
    """The share of forecast runs finished within ``planned_end_month`` months."""
    return float(np.mean(forecast.completion_months <= planned_end_month))
