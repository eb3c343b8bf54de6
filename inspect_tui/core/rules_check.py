"""Contradictory scoring rules in a checklist: what `checklist validate` refuses.

Pure: returns (message key, parameters) pairs; the loader adds where they are.
"""

from __future__ import annotations

from typing import Any

from inspect_tui.core.checklist import Criterion, Shortfall

Found = list[tuple[str, dict[str, Any]]]


def check_rules(c: Criterion, na: bool | None) -> Found:
    """Every contradiction in one criterion's rules (`na` as written in the file, if it was)."""
    found: Found = []
    for k, d in enumerate(c.deductions, 1):
        rule = {"rule": k, "reason": d.reason}
        if d.cap is not None and d.cap <= 0:
            found.append(("rules.cap_nonpositive", rule | {"cap": f"{d.cap:g}"}))
        elif d.cap is not None and d.cap < d.points:
            found.append(("rules.cap_below_points", rule | {"cap": f"{d.cap:g}",
                                                            "points": f"{d.points:g}"}))
        if d.zero and d.repeats:
            found.append(("rules.zero_repeats", rule))
        if d.shortfall is not Shortfall.NONE and c.target is None:
            found.append(("rules.shortfall_without_target", rule))
        if c.bonus and (d.zero or d.veto or d.shortfall is not Shortfall.NONE):
            found.append(("rules.bonus_rule", rule))
    if c.deduction_cap is not None:
        cap = {"cap": f"{c.deduction_cap:g}", "max": f"{c.max:g}"}
        if c.bonus:
            found.append(("rules.bonus_deduction_cap", cap))
        elif not 0 < c.deduction_cap <= c.max:
            found.append(("rules.deduction_cap_range", cap))
        else:
            for k, d in enumerate(c.deductions, 1):
                if d.points > c.deduction_cap:
                    found.append(("rules.deduction_cap_below_points", cap | {
                        "rule": k, "reason": d.reason, "points": f"{d.points:g}"}))
    if na and c.can_veto:
        found.append(("rules.na_on_veto", {}))
    if c.bonus and c.veto:
        found.append(("rules.bonus_veto", {}))
    return found
