from django.db import models

# fmt: off
USPS_STATES = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY", "AS", "GU", "MP", "PR", "VI",
]
# fmt: on


# USPS codes of the states, DC and the territories that report to NCES.
State = models.TextChoices("State", [(code, (code, code)) for code in USPS_STATES])


class OrganizationKind(models.TextChoices):
    DISTRICT = "district", "District"
    CHARTER_SCHOOL = "charter_school", "Charter school"
    CHARTER_NETWORK = "charter_network", "Charter network"
    CITY_GOVERNMENT = "city_government", "City government"
    CHARTER_ASSOCIATION = "charter_association", "Charter association"
    INTERMEDIARY = "intermediary", "Intermediary"
    FUNDER = "funder", "Funder"
    FAITH_BASED_SYSTEM = "faith_based_system", "Faith-based school system"
    UNION = "union", "Union"
    STATE_AGENCY = "state_agency", "State agency"
    OTHER = "other", "Other"


class OperatorType(models.TextChoices):
    NONPROFIT_CMO = "nonprofit_cmo", "Nonprofit CMO"
    FOR_PROFIT_EMO = "for_profit_emo", "For-profit EMO"
    OTHER = "other", "Other"


class Grade(models.TextChoices):
    PK = "PK", "Pre-K"
    KG = "KG", "Kindergarten"
    G01 = "01", "1"
    G02 = "02", "2"
    G03 = "03", "3"
    G04 = "04", "4"
    G05 = "05", "5"
    G06 = "06", "6"
    G07 = "07", "7"
    G08 = "08", "8"
    G09 = "09", "9"
    G10 = "10", "10"
    G11 = "11", "11"
    G12 = "12", "12"
    UG = "UG", "Ungraded"


GRADE_ORDER = {code: index for index, code in enumerate(Grade.values)}


class LeadershipRole(models.TextChoices):
    SUPERINTENDENT = "superintendent", "Superintendent"
    BOARD_CHAIR = "board_chair", "Board chair"
    MAYOR = "mayor", "Mayor"
    NETWORK_CEO = "network_ceo", "Network CEO"
    SCHOOL_LEADER = "school_leader", "School leader"
    ASSOCIATION_HEAD = "association_head", "Association head"
    STATE_CHIEF = "state_chief", "State chief"
    OTHER = "other", "Other"


class EndReason(models.TextChoices):
    STEPPED_DOWN = "stepped_down", "Stepped down"
    DISMISSED = "dismissed", "Dismissed"
    TERM_ENDED = "term_ended", "Term ended"
    RETIRED = "retired", "Retired"
    MOVED = "moved", "Moved to another post"
    OTHER = "other", "Other"


class DatePrecision(models.TextChoices):
    """How much of a stored date is known; month and year dates are stored as the first day."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def role_in_sentence(role: str) -> str:
    """A role's label as it reads mid-sentence: "superintendent", "network CEO"."""
    label = LeadershipRole(role).label
    return " ".join(word if word.isupper() else word.lower() for word in label.split())
