"""A synthetic NCES CCD 2013-14 school directory (and its district file) in the layout of the
real Texas files, for machines without ../shared/data: about 7% charter schools (CHARTR=1),
the rest traditional public schools, in 400 districts of a made-up part of Texas."""

from __future__ import annotations

import csv
import random
from pathlib import Path

SCHOOL_HEADER = [
    "SURVYEAR",
    "NCESSCH",
    "FIPST",
    "LEAID",
    "SCHNO",
    "STID",
    "SEASCH",
    "LEANM",
    "SCHNAM",
    "PHONE",
    "MSTREE",
    "MCITY",
    "MSTATE",
    "MZIP",
    "MZIP4",
    "LSTREE",
    "LCITY",
    "LSTATE",
    "LZIP",
    "LZIP4",
    "TYPE",
    "STATUS",
    "UNION",
    "ULOCAL",
    "LATCOD",
    "LONCOD",
    "CONUM",
    "CONAME",
    "CDCODE",
    "GSLO",
    "GSHI",
    "CHARTR",
]
DISTRICT_HEADER = [
    "SURVYEAR",
    "LEAID",
    "FIPST",
    "STID",
    "NAME",
    "PHONE",
    "MSTREE",
    "MCITY",
    "MSTATE",
    "MZIP",
    "MZIP4",
    "LSTREE",
    "LCITY",
    "LSTATE",
    "LZIP",
    "LZIP4",
    "TYPE",
    "UNION",
    "CONUM",
    "CONAME",
    "CSA",
    "CBSA",
    "METMIC",
    "ULOCAL",
    "CDCODE",
    "LATCOD",
    "LONCOD",
    "BOUND",
    "GSLO",
    "GSHI",
]
SPANS = [("PK", "05"), ("KG", "05"), ("06", "08"), ("09", "12"), ("KG", "12"), ("PK", "12")]


def write(folder: Path, *, school_rows: int = 10_000, districts: int = 400, seed: int = 2013):
    """Write tx-districts-ccd.csv and tx-campuses-ccd.csv into `folder`; returns both paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    district_path = folder / "tx-districts-ccd.csv"
    school_path = folder / "tx-campuses-ccd.csv"
    lea = []
    with district_path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(DISTRICT_HEADER)
        for i in range(districts):
            leaid = f"48{10000 + i * 7:05d}"
            city = f"BENCHTOWN {i % 60:02d}"
            charter = i % 8 == 7
            name = f"BENCH {'CHARTER ACADEMY' if charter else 'ISD'} {i:03d}"
            lea.append((leaid, name, city, charter))
            zip_code = f"7{rng.randint(5000, 9999):04d}"
            out.writerow(
                ["2013", leaid, "48", f"{i:06d}", name, "5125550100", f"{i} MAIN ST", city, "TX",
                 zip_code, "0000", f"{i} MAIN ST", city, "TX", zip_code, "0000",
                 "7" if charter else "1", "000", "48453", "TRAVIS COUNTY", "N", "N", "0",
                 "00:00:00", "4810", "30.26", "-97.74", "1", "PK", "12"]
            )  # fmt: skip
    numbers: dict[str, int] = {}
    with school_path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(SCHOOL_HEADER)
        for i in range(school_rows):
            leaid, lea_name, city, charter_lea = lea[rng.randrange(len(lea))]
            numbers[leaid] = numbers.get(leaid, 0) + 1
            school_no = f"{numbers[leaid]:05d}"
            charter = charter_lea or rng.random() < 0.02
            low, high = SPANS[rng.randrange(len(SPANS))]
            zip_code = f"7{rng.randint(5000, 9999):04d}"
            out.writerow(
                ["2013", leaid + school_no, "48", leaid, school_no, "000000", "000000000",
                 lea_name, f"BENCH SCHOOL {i:05d}", "5125550199", f"{i} SCHOOL RD", city, "TX",
                 zip_code, "0000", f"{i} SCHOOL RD", city, "TX", zip_code, "0000", "1", "1",
                 "000", "21", "30.26", "-97.74", "48453", "TRAVIS COUNTY", "4810", low, high,
                 "1" if charter else "2"]
            )  # fmt: skip
    return district_path, school_path
