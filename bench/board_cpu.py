"""CPU and wall time of the indicators board for all regions, in whichever source tree it runs
from (an A/B of two commits on the same data; `bench/indicators.py` is the benchmark proper):

    git archive <old commit> | tar -x -C /tmp/old-src && ln -s "$PWD/.venv" /tmp/old-src/.venv
    (cd /tmp/old-src && .venv/bin/python "$OLDPWD/bench/board_cpu.py" 9 before)
    .venv/bin/python bench/board_cpu.py 9 after
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())
sys.path.insert(0, os.path.join(os.getcwd(), "bench"))
import _django  # noqa
from safeloop.accounts.models import User
from safeloop.targets.selectors import Board

user = User.objects.get(username="sysadmin")


def run():
    b = Board(user, 2026)
    return b.rows_for(b.regions) if hasattr(b, "rows_for") else {c: b.rows(c) for c in b.regions}


run()
walls, cpus = [], []
for _ in range(int(sys.argv[1])):
    w, c = time.perf_counter(), time.process_time()
    run()
    walls.append((time.perf_counter() - w) * 1000)
    cpus.append((time.process_time() - c) * 1000)
print(
    sys.argv[2], {"median_ms": round(statistics.median(walls), 1), "median_cpu_ms": round(statistics.median(cpus), 1)}
)
