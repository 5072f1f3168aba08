from schools.importers import DISTRICTS
from schools.importers.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import NCES district directory records (CCD up to 2014-15, CCD 2016-17 on, or the "
        "NCES district search export) as District records, upserted by LEAID. All or nothing."
    )
    kind = DISTRICTS
