"""The --network-map file: which charter network runs which schools.

A CSV of two columns (a third, the operator type, is optional): what to match and the network's
name. What to match is a 12-digit NCES school ID, a 7-digit LEAID (every school of that charter
agency), or the start of school names ("KIPP" matches "KIPP Austin College Prep" but not
"Kippers Academy"). An ID beats a name; a longer name prefix beats a shorter one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schools.choices import OperatorType
from schools.importers import parsing
from schools.importers.parsing import RowError

SOURCE = "network map"
HEADER_WORDS = {"match", "prefix", "name prefix", "key", "id", "nces id", "pattern"}


@dataclass
class NetworkMap:
    by_school_id: dict[str, str] = field(default_factory=dict)
    by_leaid: dict[str, str] = field(default_factory=dict)
    # (prefix casefolded, network name), longest first
    prefixes: list[tuple[str, str]] = field(default_factory=list)
    operator_types: dict[str, str] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    def network_for(self, nces_id: str, leaid: str, name: str) -> str | None:
        if nces_id in self.by_school_id:
            return self.by_school_id[nces_id]
        if leaid in self.by_leaid:
            return self.by_leaid[leaid]
        folded = name.casefold()
        for prefix, network in self.prefixes:
            if folded.startswith(prefix) and not folded[len(prefix) : len(prefix) + 1].isalnum():
                return network
        return None

    @property
    def networks(self) -> set[str]:
        return {
            *self.by_school_id.values(),
            *self.by_leaid.values(),
            *(network for _, network in self.prefixes),
        }


def read_network_map(data: bytes, max_rows: int) -> NetworkMap:
    """Parse a network map; problems are collected in .errors with their row numbers."""
    result = NetworkMap()
    prefixes: dict[str, str] = {}
    operator_values = {value.casefold(): value for value in OperatorType.values}
    operator_values.update({label.casefold(): value for value, label in OperatorType.choices})
    for number, cells in enumerate(parsing.read_rows(data, max_rows), start=1):
        cells = [parsing.clean(cell) for cell in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].casefold() in HEADER_WORDS:
            continue
        key = cells[0]
        network = re.sub(r"\s+", " ", cells[1]) if len(cells) > 1 else ""
        if not key:
            result.errors.append(
                RowError(number, "match", key, "Give a name prefix or an NCES ID.", SOURCE)
            )
            continue
        if not network or len(network) > 200:
            result.errors.append(
                RowError(
                    number,
                    "network",
                    network,
                    "Give the network's name (200 characters at most).",
                    SOURCE,
                )
            )
            continue
        if len(cells) > 2 and cells[2]:
            operator = operator_values.get(cells[2].casefold())
            if operator is None:
                reason = "Not an operator type (" + ", ".join(OperatorType.values) + ")."
                result.errors.append(RowError(number, "operator_type", cells[2], reason, SOURCE))
                continue
            result.operator_types[network.casefold()] = operator
        if re.fullmatch(r"\d{12}", key):
            result.by_school_id[key] = network
        elif re.fullmatch(r"\d{7}", key):
            result.by_leaid[key] = network
        elif key.isdigit():
            reason = "A numeric key is a 12-digit school ID or a 7-digit LEAID."
            result.errors.append(RowError(number, "match", key, reason, SOURCE))
        else:
            prefixes[key.casefold()] = network
    result.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[0]))
    return result
