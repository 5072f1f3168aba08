"""Lookups that find nothing for a number no integer column can hold, on every database.

Django answers `pk=<number past 64 bits>` on an integer column with no rows, but not the same
number through a link (a district's or school's primary key is its link to Organization; any
foreign key) nor in an `__in` list: those reach SQLite's driver, which raises OverflowError.
Registered for every model in CoreConfig.ready(), so a crafted id in a URL, a filter, an admin
form or an upload finds nothing wherever it is looked up.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _range(field, connection) -> tuple[int | None, int | None]:
    while field.is_relation:
        field = field.target_field
    return connection.ops.integer_field_ranges.get(field.get_internal_type(), (None, None))


def _fits(value, low, high) -> bool:
    if not isinstance(value, int) or isinstance(value, bool):
        return True
    return (low is None or value >= low) and (high is None or value <= high)


class _InRange:
    """For an exact or in lookup of direct values: values out of the column's range are
    dropped (an exact lookup left with none matches nothing)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and hasattr(self.lhs, "output_field"):
            low, high = _range(self.lhs.output_field, connection)
            if self.lookup_name == "in" and isinstance(self.rhs, list | tuple | set):
                kept = [value for value in self.rhs if _fits(value, low, high)]
                if len(kept) != len(self.rhs):
                    self.rhs = kept
            elif self.lookup_name == "exact" and not _fits(self.rhs, low, high):
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)


class RelatedExactInRange(_InRange, RelatedExact):
    pass


class RelatedInInRange(_InRange, RelatedIn):
    pass


class IntegerInInRange(_InRange, In):
    pass


def register() -> None:
    ForeignObject.register_lookup(RelatedExactInRange)
    ForeignObject.register_lookup(RelatedInInRange)
    IntegerField.register_lookup(IntegerInInRange)
