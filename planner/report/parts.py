"""Each part of the board paper, in a board's order, from its section's plain data: the
words, the tables and the charts. A part whose data the plan does not hold says so in a
note ("not in this plan") instead of showing an empty table.

Every function here takes the section data (see :mod:`planner.report.headline`,
:mod:`.money`, :mod:`.risk`, :mod:`.options`, :mod:`.quality`, :mod:`.assumptions`,
:mod:`.register`) and returns a :class:`~planner.report.blocks.Part`.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from planner.report.blocks import Block, Facts, Gantt, Note, Part, Table, Text, table_of
from planner.report.figures import Chart
from planner.report.formatting import BLANK, blank, day, money, month, number, share
from planner.report.gantt import GanttView
from planner.report.headline import Headline
from planner.report.money import REVENUE_NOT_IN_PLAN
from planner.report.register import NOTE as REGISTER_NOTE
from planner.report.risk import SIGN_OFFS_NOT_IN_PLAN

__all__ = [
    "accepted_risks_part",
    "assumptions_part",
    "clinical_safety_part",
    "confidence_part",
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
]


def _plain(value: object) -> str:
    return BLANK if blank(value) else str(value)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def summary_part(
    head: Headline, not_scheduled: pd.DataFrame, programmes: pd.DataFrame, on_time: float | None
) -> Part:
    """The executive summary: the end, the cost, the risk, how sure the dates are, the
    largest programme, and what is not in the plan and why. ``on_time`` is the share of
    forecast runs that finish by the planned end (None without a forecast)."""
    blocks: list = []
    if head.end is None:
        blocks.append(Text("Nothing could be scheduled under this policy: see below for why."))
    else:
        blocks.append(
            Text(
                f"The programme replaces or retires {_plural(head.systems, 'system')} in "
                f"{_plural(head.projects, 'project')} from {month(head.start)} to "
                f"{month(head.end)} ({head.months} months), for {money(head.total_cost_gbp)}. "
                f"Estate risk falls from {number(head.risk_now)} to {number(head.risk_at_end)} "
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
        blocks.append(
            Text(
                f"The largest programme, {top['project']}, is {share(top['share'])} of the cost "
                f"({money(top['cost_gbp'])}) and goes live in {month(top['go_live'])}."
            )
        )
    facts = [
        ("Programme end", month(head.end)),
        ("Total cost", money(head.total_cost_gbp)),
        ("Risk now → at end", f"{number(head.risk_now)} → {number(head.risk_at_end)}"),
    ]
    if head.p50_end is not None:
        facts.append(
            ("Confidence: P50 / P80 end", f"{month(head.p50_end)} / {month(head.p80_end)}")
        )
    facts += [
        ("Not scheduled", _plural(head.not_scheduled, "project")),
        ("Retained by decision", _plural(head.retained, "system")),
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
        blocks.append(
            Text(
                not_in + f"; and {_plural(len(not_scheduled), 'project')} the schedule could not "
                "fit, each with the reason:"
            )
        )
        blocks.append(
            table_of(
                not_scheduled,
                {
                    "project": ("Project", _plain),
                    "cost_gbp": ("Cost", money),
                    "why": ("Why", _plain),
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
                "The largest projects by cost, whatever their priority: these decide the "
                "capital profile and carry most of the delivery risk."
            ),
            table_of(
                programmes,
                {
                    "project": ("Project", _plain),
                    "category": ("Category", _plain),
                    "start": ("Start", month),
                    "go_live": ("Go-live", month),
                    "cost_gbp": ("Cost", money),
                    "share": ("Share of cost", share),
                    "risk_rating": ("Risk", _plain),
                },
                index="",
            ),
        ],
    )


def roadmap_part(by_category: pd.DataFrame, gantt: GanttView, chart: Chart) -> Part:
    """The roadmap by category: the table, the interactive Gantt (screen) and the chart
    by category (print)."""
    return Part(
        "roadmap",
        "The roadmap by category",
        [
            Text(
                f"{_plural(gantt.projects, 'project')} in "
                f"{_plural(len(gantt.groups), 'category', 'categories')}. "
                "Open a category to see its projects; hover over a bar for its dates, cost, risk "
                "and why it starts when it does. Every system is listed in the annex."
            ),
            Gantt(gantt),
            chart,
            table_of(
                by_category,
                {
                    "projects": ("Projects", number),
                    "systems": ("Systems", number),
                    "cost_gbp": ("Cost", money),
                    "first_start": ("First start", month),
                    "last_go_live": ("Last go-live", month),
                },
                index="Category",
            ),
        ],
    )


def spend_part(spend: pd.DataFrame, chart: Chart) -> Part:
    """Spend per financial year against the capital budget; revenue is not in the plan."""
    over = spend[spend["headroom_gbp"] < 0]
    words = (
        "Planned spend stays within the capital budget every year."
        if over.empty
        else f"Planned spend exceeds the capital budget in {', '.join(over['financial_year'])}."
    )
    return Part(
        "spend",
        "Spend per financial year",
        [
            Text(
                f"{words} Capital not spent by 31 March is lost, so headroom is money the "
                "programme could bring forward."
            ),
            chart,
            table_of(
                spend.set_index("financial_year"),
                {
                    "capital_budget_gbp": ("Capital budget", money),
                    "capital_spend_gbp": ("Planned capital spend", money),
                    "headroom_gbp": ("Headroom", money),
                },
                index="Financial year",
            ),
            Note(REVENUE_NOT_IN_PLAN),
        ],
    )


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
) -> Part:
    """How sure the dates and the order are: the forecast and the rank stability (its
    sentence and chart). Both are None when nothing is planned."""
    if programme is None or stability is None:
        return Part(
            "confidence",
            "How sure are the dates?",
            [Note("Nothing is planned, so there are no dates to forecast or order to test.")],
        )
    describe, chart = stability
    blocks: list[Block] = [
        Text(
            "Each Monte Carlo run draws every project's cost and duration from its low, "
            "likely and high estimate and replays the plan under the same budgets and "
            "teams. P80 is the date by which four runs in five are done."
        ),
        table_of(
            programme.rename(index={"planned": "Planned"}),
            {"go-live": ("Programme end", month)},
            index="Percentile",
        ),
        *forecast_charts,
        Text("How sure is the order? " + describe),
        chart,
    ]
    return Part("confidence", "How sure are the dates?", blocks)


def run_cost_part(trajectory: pd.DataFrame, chart: Chart) -> Part:
    """The running cost of the estate per financial year, with the plan and doing nothing."""
    if trajectory.empty:
        return Part("run-cost", "Running cost", [Note("No running costs are in the inventory.")])
    last = trajectory.iloc[-1]
    return Part(
        "run-cost",
        "Running cost",
        [
            Text(
                f"The estate costs {money(trajectory['do_nothing_gbp'].iloc[0])} a year to run "
                f"today; by {last['financial_year']} the plan brings that to "
                f"{money(last['plan_gbp'])} ({money(last['saving_gbp'])} a year less). Retired "
                "systems stop costing anything; replaced ones are assumed to cost the policy's "
                "share less (cost.run_cost_saved); new systems cost their run cost from go-live."
            ),
            chart,
            table_of(
                trajectory.set_index("financial_year"),
                {
                    "do_nothing_gbp": ("Doing nothing", money),
                    "plan_gbp": ("With the plan", money),
                    "saving_gbp": ("Saving", money),
                },
                index="Financial year",
            ),
            Note(
                "Double running (old and new side by side through cut-over) and the new "
                "systems' own run costs are not in this plan: savings show from the go-live month."
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
                    "last go-live": ("Last go-live", month),
                    "projects scheduled": ("Projects", number),
                    "not scheduled": ("Not scheduled", number),
                    "cost (GBP)": ("Cost", money),
                    "risk at end": ("Risk at end", number),
                    "risk exposure (risk-months)": ("Exposure", number),
                    "exposure vs baseline": (
                        "Exposure vs plan",
                        lambda v: BLANK if blank(v) else f"{100 * float(v):+.0f}%",
                        True,
                    ),
                    "deadlines missed": ("Late for end of support", number),
                },
                index="Option",
            ),
            chart,
        ],
    )


def levers_part(levers: pd.DataFrame | None) -> Part:
    """What a tenth more capital, or one more person in a team, buys."""
    if levers is None:
        return Part("levers", "Levers", [Note("Levers were not computed for this report.")])
    return Part(
        "levers",
        "Levers",
        [
            Text(
                "Each lever is one change to the plan, re-planned on its own: what it buys in "
                "months sooner and in risk exposure. A lever that buys nothing is not the "
                "constraint."
            ),
            table_of(
                levers,
                {
                    "end": ("Programme end", month),
                    "months_sooner": ("Months sooner", number),
                    "projects_scheduled": ("Projects scheduled", number),
                    "risk_exposure": ("Exposure", number),
                    "exposure_change": (
                        "Exposure change",
                        lambda v: f"{100 * float(v):+.1f}%",
                        True,
                    ),
                },
                index="Lever",
            ),
        ],
    )


def contract_part(exposure: pd.DataFrame, unknown: int, total: int) -> Part:
    """Contracts to extend while replacements are built, and to renew for kept systems."""
    blocks: list = []
    if exposure.empty:
        blocks.append(
            Note("No contract in the inventory ends before its system stops being needed.")
        )
    else:
        extend = exposure[exposure["why"].str.startswith("extend")]
        blocks.append(
            Text(
                f"{_plural(len(extend), 'contract')} end before the replacement goes live and "
                f"must be extended, for {money(extend['extension_cost_gbp'].sum())} at today's "
                f"run cost; {_plural(len(exposure) - len(extend), 'contract')} of retained or "
                "unscheduled systems end before the programme does."
            )
        )
        blocks.append(
            table_of(
                exposure,
                {
                    "name": ("System", _plain),
                    "supplier": ("Supplier", _plain),
                    "contract_end": ("Contract ends", month),
                    "needed_until": ("Needed until", month),
                    "months": ("Months", number),
                    "extension_cost_gbp": ("Cost to extend", money),
                    "why": ("Why", _plain),
                },
                index="",
            )
        )
    if unknown:
        blocks.append(
            Note(f"{unknown:,} of {total:,} systems have no contract end in the inventory.")
        )
    return Part("contracts", "Contract-end exposure", blocks)


def accepted_risks_part(accepted: pd.DataFrame) -> Part:
    """High and extreme risks of systems the plan keeps: the board accepts them."""
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
                f"{_plural(len(accepted), 'system')} rated high or extreme stay as they are: "
                "the board accepts these risks until it decides otherwise. Each needs an owner "
                "and a compensating control (see the unsupported-systems register)."
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


def clinical_safety_part(sign_offs: pd.DataFrame) -> Part:
    """DCB0160 sign-offs the planned go-lives need."""
    blocks: list = [Note(SIGN_OFFS_NOT_IN_PLAN)]
    if sign_offs.empty:
        blocks.append(Text("No clinical or patient-facing system is scheduled."))
    else:
        per_year = sign_offs.groupby(sign_offs["sign_off_by"].dt.year).size()
        busiest = per_year.idxmax()
        blocks.append(
            Text(
                f"{_plural(len(sign_offs), 'safety case')} to sign off, at most "
                f"{per_year.max()} in {busiest}: size the Clinical Safety Officer's time to it."
            )
        )
        blocks.append(
            table_of(
                sign_offs,
                {
                    "name": ("System", _plain),
                    "category": ("Category", _plain),
                    "change": ("Change", _plain),
                    "criticality": ("Criticality", _plain),
                    "sign_off_by": ("Sign off by", month),
                },
                index="",
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
    """Annex: every planned system in go-live order."""
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
                    "start": ("Start", month),
                    "go_live": ("Go-live", month),
                    "cost_gbp": ("Cost", money),
                    "risk_rating": ("Risk", _plain),
                },
                index="System",
            )
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
    return Part("manifest", "Annex C: Run manifest", blocks, annex=True)


def on_time_share(forecast, planned_end_month: float) -> float:
    """The share of forecast runs finished within ``planned_end_month`` months."""
    return float(np.mean(forecast.completion_months <= planned_end_month))
