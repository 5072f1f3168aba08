from django.core.validators import RegexValidator

leaid_validator = RegexValidator(
    r"^\d{7}$", "An NCES district ID (LEAID) is exactly 7 digits, leading zeros included."
)
nces_school_id_validator = RegexValidator(
    r"^\d{12}$",
    "An NCES school ID is exactly 12 digits: the 7-digit LEAID and a 5-digit school number.",
)
