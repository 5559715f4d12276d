"""The planning policy: every weight, threshold, budget and calendar rule, as typed settings
(:class:`Policy`, built by :func:`load_policy`).

- :mod:`.values`: the kinds of value a setting takes, with their checks and wording;
- :mod:`.sections`: the typed sections, in the order of ``policy.yaml``;
- :mod:`.model`: the policy, how files and overrides merge, and the messages.
"""

from planner.policy.model import Policy, load_policy, policy_from_text
from planner.policy.values import (
    IMPACT_METHODS,
    PRECEDENCE_RULES,
    financial_year,
    fy_key,
    parse_amount,
)

__all__ = [
    "IMPACT_METHODS",
    "PRECEDENCE_RULES",
    "Policy",
    "financial_year",
    "fy_key",
    "load_policy",
    "parse_amount",
    "policy_from_text",
]
