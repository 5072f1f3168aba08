from schools.importers import SCHOOLS
from schools.importers.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the charter schools of an NCES school directory (CCD up to 2014-15, CCD 2016-17 "
        "on, or the NCES school search export) as CharterSchool records, upserted by NCES ID. "
        "Import districts first: a school is attached to its LEAID's district. All or nothing."
    )
    kind = SCHOOLS

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--network-map",
            help='CSV of "name prefix or NCES ID,network name[,operator type]" rows',
        )
