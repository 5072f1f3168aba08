"""Import of NCES district and school directories, all or nothing.

    plan = prepare(data, DISTRICTS)        # read, check and compare: nothing is written
    print(report(plan))                    # counts, or every bad row with its reason
    if plan.ok: apply_plan(plan, actor=user, reason="...")

Modules: layouts (which NCES layout a file is in), parsing (messy values to clean ones),
records (rows to records), networks (the --network-map file), planner (what would change),
writer (bulk writes with history in one transaction).
"""

from __future__ import annotations

from core.uploads import FileRefused
from schools.importers.layouts import DISTRICTS, SCHOOLS, LayoutError
from schools.importers.networks import read_network_map
from schools.importers.parsing import TooManyRows
from schools.importers.planner import Plan, plan_import
from schools.importers.records import DEFAULT_MAX_ROWS, Filters, read
from schools.importers.writer import apply_plan


def prepare(
    data: bytes,
    kind: str,
    *,
    filters: Filters | None = None,
    network_map: bytes | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Plan:
    """Read a file and plan its import; raises FileRefused (LayoutError for a file in no known
    layout, TooManyRows for one past `max_rows` rows)."""
    result = read(data, kind, filters or Filters(), max_rows)
    mapping = read_network_map(network_map, max_rows) if network_map is not None else None
    return plan_import(result, kind, mapping)


def summary(plan: Plan, *, dry_run: bool = False) -> str:
    counts = plan.counts()
    noun = "schools" if plan.kind == SCHOOLS else "districts"
    verb = "would be" if dry_run else ""
    lines = [
        f"{plan.layout}: {plan.rows} rows.",
        f"{noun.capitalize()} {verb + ' ' if verb else ''}created: {counts['created']}, "
        f"updated: {counts['updated']}, unchanged: {counts['unchanged']}.",
    ]
    if plan.kind == SCHOOLS:
        lines.append(f"Skipped (not charter schools): {counts['skipped']}.")
    if counts["filtered"]:
        lines.append(f"Outside --state/--city: {counts['filtered']}.")
    if counts["cities_created"] or counts["networks_created"]:
        lines.append(
            f"Cities {verb + ' ' if verb else ''}created: {counts['cities_created']}, "
            f"networks {verb + ' ' if verb else ''}created: {counts['networks_created']}."
        )
    return "\n".join(lines)


def error_report(plan: Plan) -> str:
    lines = [
        f"{plan.bad_rows} invalid row(s) in {plan.layout}; nothing was written.",
        *(f"  {error}" for error in plan.errors),
    ]
    return "\n".join(lines)


__all__ = [
    "DEFAULT_MAX_ROWS",
    "DISTRICTS",
    "SCHOOLS",
    "FileRefused",
    "Filters",
    "LayoutError",
    "Plan",
    "TooManyRows",
    "apply_plan",
    "error_report",
    "prepare",
    "summary",
]
