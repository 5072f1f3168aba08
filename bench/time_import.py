"""Time the school-directory import of the benchmark: districts then schools, each imported into
an empty migrated database and then a second time, unchanged.

The file is the real Texas CCD 2013-14 directory when ../shared/data (beside the checkout) holds
it, a generated file of the same layout otherwise (bench/make_directory.py, 10,000 school rows).
Writes a JSON summary (`--out`) for bench/measure.py.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))

REAL = ROOT.parent / "shared" / "data" / "ccd-tx-2013"


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8", errors="replace") as handle:
        return sum(1 for _ in handle) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, required=True, help="where a generated file goes")
    args = parser.parse_args()

    districts, schools = REAL / "tx-districts-ccd.csv", REAL / "tx-campuses-ccd.csv"
    if districts.exists() and schools.exists():
        source = "the Texas CCD 2013-14 directory (real file)"
    else:
        import make_directory

        args.workdir.mkdir(parents=True, exist_ok=True)
        districts, schools = make_directory.write(args.workdir, school_rows=10_000)
        source = "a generated CCD 2013-14 layout directory"

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    result = {
        "source": source,
        "district_rows": _rows(districts),
        "school_rows": _rows(schools),
    }
    for step, command, path in (
        ("districts", "import_districts", districts),
        ("schools", "import_schools", schools),
    ):
        timings = []
        for _ in range(2):
            out = io.StringIO()
            started = time.monotonic()
            call_command(command, str(path), stdout=out)
            timings.append(time.monotonic() - started)
            print(f"{command} {path.name}: {timings[-1]:.2f}s", flush=True)
            print("   " + out.getvalue().strip().replace("\n", "\n   "), flush=True)
        result[step] = {"first_s": timings[0], "second_s": timings[1]}
    args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
