"""The board paper's later parts and its annexes, from each section's plain data: what the
plan commits the trust to (contracts to extend, accepted risks, approvals, clinical safety
sign-offs), data quality, the assumptions, and the annexes (the unsupported-systems
register, every project, the warnings, the run manifest). The body is in
:mod:`planner.report.parts`.

Every function here takes the section data (see :mod:`planner.report.quality`,
:mod:`.assumptions`, :mod:`.register`, :mod:`.manifest`) and returns a
:class:`~planner.report.blocks.Part`.
"""

from __future__ import annotations

import json

import pandas as pd

from planner.policy import financial_year
from planner.report.blocks import Alert, Block, Facts, Note, Part, Table, Text, table_of
from planner.report.formatting import (
    BLANK,
    blank,
    day,
    listed,
    money,
    month,
    number,
    or_not_scheduled,
    plain_text,
    plural,
)
from planner.report.register import NOTE as REGISTER_NOTE

__all__ = [
    "accepted_risks_part",
    "approvals_part",
    "assumptions_part",
    "clinical_safety_part",
    "contract_part",
    "data_quality_part",
    "manifest_part",
    "project_list_part",
    "register_part",
    "warnings_part",
]


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
            f"{plural(len(extensions), 'legacy contract')} "
            f"{'ends before its system stops' if one else 'end before their systems stop'} "
            f"running and must be extended, for {money(extensions['cost_gbp'].sum())} at "
            f"today's run rates; the longest is {longest['name']}, "
            f"{plural(int(longest['months']), 'month')}. A replaced system runs until its "
            "replacement has been live for the parallel-running months; a retired one until "
            "it is decommissioned. Months are counted from the plan's start where the contract "
            "has already ended. Negotiate the extensions now, while there is time."
        )
        if beyond:
            words += (
                f" {plural(beyond, 'system')} of these {'is' if beyond == 1 else 'are'} not "
                "scheduled, so the extension runs to the plan's horizon."
            )
        blocks.append(Text(words))
        blocks.append(
            table_of(
                extensions,
                {
                    "name": ("System", plain_text),
                    "supplier": ("Supplier", plain_text),
                    "contract_end": ("Contract ends", month),
                    "runs_until": ("Runs until", or_not_scheduled),
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
                f"{plural(len(accepted), 'retained system')} rated high or extreme stay as "
                "they are: the board accepts these risks until it decides otherwise. Record "
                "each on the risk register with an owner and a compensating control "
                "(isolation, extended support; see the unsupported-systems register), or plan "
                "its replacement."
            ),
            table_of(
                accepted,
                {
                    "name": ("System", plain_text),
                    "category": ("Category", plain_text),
                    "risk": ("Risk", number),
                    "risk_rating": ("Rating", plain_text),
                    "end_of_support": ("End of support", month),
                    "why": ("Why", plain_text),
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
        f"{plural(int(counts[kind]), 'business case')} "
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
        f"{listed(kinds)} before "
        f"{'its project starts' if counts.sum() == 1 else 'their projects start'}. The plan allows "
        f"{plural(board_months, 'month')} for a trust board approval and "
        f"{plural(national_months, 'month')} for a national one (schedule.approval), and "
        "starts no project before its approval."
    )
    if len(per_year):
        words += (
            f" The busiest year for the board is {per_year.idxmax()}, with "
            f"{plural(int(per_year.max()), 'case')}."
        )
    return Part(
        "approvals",
        title,
        [
            Text(words),
            table_of(
                approvals,
                {
                    "project": ("Project", plain_text),
                    "category": ("Category", plain_text),
                    "approval": ("Approval", plain_text),
                    "approved_by": ("Approved by", or_not_scheduled),
                    "cost_gbp": ("Cost", money),
                    "go_live": ("Go-live", or_not_scheduled),
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
    if sign_offs.empty and not unscheduled:
        blocks.append(
            Alert(
                "No planned project has a clinical-safety class, so the plan places no DCB0160 "
                "safety case. The class comes from the register (clinical_safety_class, or "
                "worked out from patient_facing and criticality where it is blank): if "
                "clinical systems are among those planned, record it there, or this section "
                "understates the clinical safety work."
            )
        )
    elif sign_offs.empty:
        blocks.append(Note("No clinical go-live is scheduled, so no safety case is to sign off."))
    else:
        classes = sign_offs["safety_class"].value_counts()
        by_class = [f"{int(classes[c])} {c}" for c in ("high", "medium", "low") if c in classes]
        per_year = sign_offs.groupby(sign_offs["safety_signoff"].map(financial_year)).size()
        blocks.append(
            Text(
                f"{plural(len(sign_offs), 'clinical safety case')} to sign off under DCB0160 "
                f"({', '.join(by_class)} by class), each in the "
                f"{plural(lead_months, 'month')} before its go-live, when the clinical safety "
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
                    "project": ("Project", plain_text),
                    "category": ("Category", plain_text),
                    "safety_class": ("Class", plain_text),
                    "safety_signoff": ("Signed off", month),
                    "go_live": ("Go-live", month),
                },
                index="",
            )
        )
    if unscheduled:
        blocks.append(
            Alert(
                f"{plural(unscheduled, 'clinical project')} "
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
                    "meaning": ("What it means", plain_text),
                    "which": ("Which", plain_text),
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
                    "setting": ("Setting", plain_text),
                    "default": ("Default", plain_text),
                    "this plan": ("This plan", plain_text),
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
                    "Component": ("Component", plain_text),
                    "Version": ("Version", plain_text),
                    "Platform": ("Platform", plain_text),
                    "End of support": ("End of support", month),
                    "Essential function": ("Essential function", plain_text),
                    "Criticality": ("Criticality", plain_text),
                    "Compensating control": (
                        "Compensating control (trust to complete)",
                        plain_text,
                    ),
                    "Risk owner": ("Risk owner (trust to complete)", plain_text),
                    "Remediation": ("Remediation", plain_text),
                    "Remediation financial year": ("Remediation FY", plain_text),
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
                    "name": ("Name", plain_text),
                    "category": ("Category", plain_text),
                    "wave": ("Wave", lambda v: BLANK if blank(v) else f"{int(v)}", True),
                    "approved_by": ("Approved by", month),
                    "start": ("Start", month),
                    "safety_signoff": ("Safety signed off", month),
                    "go_live": ("Go-live", or_not_scheduled),
                    "cost_gbp": ("Cost", money),
                    "risk_rating": ("Risk", plain_text),
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
                f"{plural(len(warnings), 'warning')} ({', '.join(kinds)}), as every output of "
                "the plan gives them."
            ),
            table_of(
                warnings,
                {
                    "kind": ("Kind", plain_text),
                    "system": ("System", plain_text),
                    "message": ("Warning", plain_text),
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
