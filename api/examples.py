"""Examples for the OpenAPI schema: one per kind of record, in the shapes the API answers."""

from drf_spectacular.utils import OpenApiExample

VERSION = "2026-03-02T14:05:11.532190+00:00"

CITY = OpenApiExample(
    "A city",
    value={"id": 7, "slug": "denver-co", "name": "Denver", "state": "CO", "role": "editor"},
)
ORGANIZATION = OpenApiExample(
    "An organization",
    value={
        "id": 31,
        "name": "Denver Public Schools",
        "kind": "district",
        "city": "denver-co",
        "website": "https://www.dpsk12.org/",
    },
)
TERM = OpenApiExample(
    "A leadership term",
    value={
        "id": 88,
        "person": {"id": 40, "full_name": "Alex Marrero"},
        "organization": {"id": 31, "name": "Denver Public Schools", "kind": "district"},
        "role": "superintendent",
        "title": "Superintendent",
        "started_on": "2021-07-01",
        "ended_on": None,
        "date_precision": "day",
        "end_reason": "",
        "source_url": "",
        "version": VERSION,
    },
)
COMPACT = OpenApiExample(
    "A compact",
    value={
        "id": 12,
        "city": "denver-co",
        "title": "Denver District-Charter Collaboration Compact",
        "signed_on": "2010-12-01",
        "signed_on_precision": "month",
        "cohort": "2010-12",
        "status": "active",
        "ended_on": None,
        "document_url": "",
        "summary": "",
        "signatories": [
            {
                "id": 3,
                "leadership_term": TERM.value,
                "reaffirmed_on": None,
                "reaffirmed_on_precision": "day",
                "source_url": "",
            }
        ],
        "participants": [
            {
                "id": 5,
                "organization": {"id": 31, "name": "Denver Public Schools", "kind": "district"},
                "joined_on": "2010-12-01",
                "left_on": None,
            }
        ],
        "version": VERSION,
    },
)
COMMITMENT = OpenApiExample(
    "A commitment",
    value={
        "id": 140,
        "compact": 12,
        "city": "denver-co",
        "category": "ENR",
        "title": "Common enrollment system for all public schools",
        "description": "",
        "responsible_party": "shared",
        "target_on": "2012-09-01",
        "status": "in_progress",
        "achieved_on": None,
        "participants": [],
        "overdue_milestones": 1,
        "version": VERSION,
    },
)
COMMITMENT_INPUT = OpenApiExample(
    "New commitment",
    request_only=True,
    value={
        "compact": 12,
        "category": "ENR",
        "title": "Common enrollment system for all public schools",
        "status": "not_started",
    },
)
MILESTONE = OpenApiExample(
    "A milestone",
    value={
        "id": 501,
        "commitment": 140,
        "compact": 12,
        "city": "denver-co",
        "title": "Shared application live",
        "due_on": "2012-01-15",
        "status": "done",
        "completed_on": "2012-01-10",
        "evidence_url": "https://example.org/minutes.pdf",
        "notes": "",
        "overdue": False,
        "version": VERSION,
    },
)
MILESTONE_INPUT = OpenApiExample(
    "New milestone",
    request_only=True,
    value={"commitment": 140, "title": "Shared application live", "due_on": "2012-01-15"},
)
DONE_INPUT = OpenApiExample(
    "Mark done",
    request_only=True,
    value={
        "completed_on": "2012-01-10",
        "evidence_url": "https://example.org/minutes.pdf",
        "version": VERSION,
    },
)
ACTIVITY = OpenApiExample(
    "An activity",
    value={
        "id": 9001,
        "compact": 12,
        "city": "denver-co",
        "commitment": 140,
        "kind": "meeting",
        "occurred_on": "2026-02-11",
        "title": "Enrollment working group",
        "district_attendees": 6,
        "charter_attendees": 4,
        "notes": "",
        "version": VERSION,
    },
)
ACTIVITY_INPUT = OpenApiExample(
    "Log an activity",
    request_only=True,
    value={
        "compact": 12,
        "kind": "meeting",
        "occurred_on": "2026-02-11",
        "title": "Enrollment working group",
        "commitment": 140,
        "district_attendees": 6,
        "charter_attendees": 4,
    },
)
GRANT = OpenApiExample(
    "A grant",
    value={
        "id": 21,
        "compact": 12,
        "city": "denver-co",
        "funder": {"id": 77, "name": "Gates Foundation", "kind": "funder"},
        "amount": "100000.00",
        "awarded_on": "2011-06-01",
        "months": 24,
        "purpose": "Compact implementation",
    },
)
LEADERSHIP_INPUT = OpenApiExample(
    "A successor takes the seat",
    request_only=True,
    value={
        "organization": 31,
        "role": "superintendent",
        "last_day": "2026-06-30",
        "end_reason": "stepped_down",
        "successor_name": "Jordan Lee",
        "successor_first_day": "2026-07-01",
    },
)
LEADERSHIP_RESULT = OpenApiExample(
    "The terms closed and opened",
    response_only=True,
    value={
        "closed_term": {**TERM.value, "ended_on": "2026-06-30", "end_reason": "stepped_down"},
        "new_term": {
            **TERM.value,
            "id": 412,
            "person": {"id": 230, "full_name": "Jordan Lee"},
            "started_on": "2026-07-01",
        },
        "compacts_losing_signatory": [12],
        "new_person": True,
    },
)
FIGURES = OpenApiExample(
    "A city's figures",
    value={
        "id": 7,
        "name": "Denver",
        "state": "CO",
        "slug": "denver-co",
        "compacts": [
            {
                "id": 12,
                "title": "Denver District-Charter Collaboration Compact",
                "status": "active",
                "signed_on": "2010-12-01",
                "signed_on_precision": "month",
                "ended_on": None,
                "figures": "… the same fields as `figures` below, for this compact alone",
            }
        ],
        "figures": {
            "commitments": 12,
            "commitments_by_status": [["achieved", 5], ["in_progress", 7]],
            "commitment_completion": {"numerator": 5, "denominator": 12},
            "milestones": 30,
            "milestones_done": 18,
            "milestones_missed": 2,
            "overdue_milestones": 3,
            "milestone_on_time": {"numerator": 15, "denominator": 20},
            "overdue_share": {"numerator": 3, "denominator": 12},
            "signatory_retention": {"numerator": 2, "denominator": 3},
            "health": {"colour": "amber", "reasons": ["1 of 3 signatories left"], "seats": []},
            "…": "every metric of DESIGN.md",
        },
        "participation": {
            "independent": {"numerator": 10, "denominator": 14},
            "network": {"numerator": 20, "denominator": 22},
        },
        "health": {"colour": "amber", "reasons": ["1 of 3 signatories left"], "seats": []},
    },
    response_only=True,
)


def change_of(example: OpenApiExample) -> OpenApiExample:
    """A change's example: one field of a new record's, and the version loaded."""
    first = next(key for key in example.value if key not in {"compact", "commitment"})
    return OpenApiExample(
        f"Change ({first})",
        request_only=True,
        value={first: example.value[first], "version": VERSION},
    )
