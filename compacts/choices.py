from django.db import models


class CompactStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    RENEWED = "renewed", "Renewed"
    LAPSED = "lapsed", "Lapsed"
    TERMINATED = "terminated", "Terminated"
    SUPERSEDED = "superseded", "Superseded"


# A city's figures aggregate these; the others are history.
LIVE_COMPACT_STATUSES = (CompactStatus.ACTIVE, CompactStatus.RENEWED)


class Tier(models.TextChoices):
    SYSTEMIC = "systemic", "Systemic"
    CAPACITY = "capacity", "Capacity"
    GOVERNANCE = "governance", "Governance"


class Category(models.TextChoices):
    FUND = "FUND", "Equitable funding and levy/bond sharing"
    FAC = "FAC", "Facilities, co-location, leasing"
    ENR = "ENR", "Common or unified enrollment, mid-year entry"
    ACCT = "ACCT", "Common accountability framework / report card"
    EQ = "EQ", "Serving all students (SWD, ELL, at-risk)"
    SPED = "SPED", "Special-education responsibility"
    TRANS = "TRANS", "Transportation"
    SVC = "SVC", "Shared operational services"
    REPL = "REPL", "Replicate high-performing schools"
    TURN = "TURN", "Improve, restart or close low performers"
    LOC = "LOC", "New schools in highest-need areas"
    DATA = "DATA", "Data sharing and transparency"
    ADV = "ADV", "Joint advocacy and policy"
    PD = "PD", "Professional development and practice sharing"
    ELL = "ELL", "English-learner practice"
    LEAD = "LEAD", "Leader and teacher pipelines"
    INNOV = "INNOV", "Innovation, blended learning"
    GOV = "GOV", "The compact's own steering body, cadence, minutes"


CATEGORY_TIER = {
    **dict.fromkeys(
        ["FUND", "FAC", "ENR", "ACCT", "EQ", "SPED", "TRANS", "SVC", "REPL", "TURN", "LOC"]
        + ["DATA", "ADV"],
        Tier.SYSTEMIC,
    ),
    **dict.fromkeys(["PD", "ELL", "LEAD", "INNOV"], Tier.CAPACITY),
    "GOV": Tier.GOVERNANCE,
}


def categories_in_tier(tier: str) -> list[str]:
    return [code for code, code_tier in CATEGORY_TIER.items() if code_tier == tier]


class ResponsibleParty(models.TextChoices):
    DISTRICT = "district", "District"
    CHARTER = "charter", "Charter sector"
    SHARED = "shared", "Shared"
    CITY_OR_THIRD_PARTY = "city_or_third_party", "City or third party"


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    STALLED = "stalled", "Stalled"
    ABANDONED = "abandoned", "Abandoned"
    SUPERSEDED = "superseded", "Superseded"


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    MISSED = "missed", "Missed"
    DEFERRED = "deferred", "Deferred"


# Milestones in these states count as overdue once their due date has passed.
OPEN_MILESTONE_STATUSES = (MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS)


class ActivityKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    JOINT_PD = "joint_pd", "Joint professional development"
    WORKING_GROUP = "working_group", "Working group"
    PUBLIC_EVENT = "public_event", "Public event"
    REPORT = "report", "Report"
    OTHER = "other", "Other"
