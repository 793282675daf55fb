"""Cold start to a painted login window (target ≤ 0.8 s), measured as wall-clock time of
`python -m desktop_crm --quit-after-paint` (process start → login dialog painted → exit).

    python bench/bench_startup.py [--runs 10] [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--db")
    args = p.parse_args()
    db = args.db or os.path.join(tempfile.mkdtemp(), "start.sqlite3")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    cmd = [sys.executable, "-m", "desktop_crm", "--db", db, "--quit-after-paint"]
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # create the database once
    walls, painted = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - t)
        painted.append(float(out.stdout.split("after")[1].split("s")[0]))
    print(f"runs={args.runs}  process start → painted login, wall clock incl. exit: "
          f"median {statistics.median(walls):.3f} s, max {max(walls):.3f} s")
    print(f"  of which in-process (launch import → painted): median {statistics.median(painted):.3f} s")
    print("  target ≤ 0.8 s")


if __name__ == "__main__":
    main()
