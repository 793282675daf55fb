"""`desktop-crm demo --customers N` on a new SQLite file (target: 1,000,000 customers with their
whole business in ≤ 180 s and ≤ 1.5 GB on two cores), timed as the whole command (process start
→ exit), with the loader's own split by phase, the peak memory of the largest process and the
count of each kind of record.

    python bench/bench_demo.py [--customers 1000000] [--dir FOLDER] [--keep]

The split is printed by the command itself when DESKTOP_CRM_DEMO_TIMES is set.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--customers", type=int, default=1_000_000)
    p.add_argument("--dir", help="folder for the database (default: a new temporary folder)")
    p.add_argument("--keep", action="store_true", help="keep the database")
    args = p.parse_args()
    folder = tempfile.mkdtemp(dir=args.dir)
    db = os.path.join(folder, "demo.sqlite3")
    cmd = [sys.executable, "-m", "desktop_crm", "--db", f"sqlite:///{db}", "demo", "--customers", str(args.customers)]
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "DESKTOP_CRM_DEMO_TIMES": "1"})
    wall = time.perf_counter() - t
    if out.returncode:
        sys.exit(out.stderr)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = usage.ru_maxrss / 1024
    print(f"demo --customers {args.customers}: {wall:.1f} s wall (target ≤ 180 s for 1,000,000), "
          f"{usage.ru_utime + usage.ru_stime:.0f} s CPU in all processes, largest process peak {peak:.0f} MB, "
          f"file {os.path.getsize(db) / 2**20:.0f} MB")
    for line in out.stderr.splitlines():
        if line.startswith("demo times:"):
            print(" ", line)
    for line in out.stdout.splitlines()[:2]:  # the customers, then the other records
        print(" ", line)
    if args.keep:
        print("kept:", db)
    else:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
