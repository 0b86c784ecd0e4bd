"""CPU seconds, wall seconds and peak RSS of one `ledger_verify()`, in whichever source tree it
runs from (an A/B of two commits on the same data, as bench/board_cpu.py; bench/verify_ledger.py
is the benchmark proper):

    (cd /tmp/old-src && .venv/bin/python "$OLDPWD/bench/verify_cpu.py")
    .venv/bin/python bench/verify_cpu.py
"""

import os
import resource
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django  # noqa: E402

django.setup()
from safeloop.core.ledger import ledger_verify  # noqa: E402

w, c = time.perf_counter(), time.process_time()
n = sum(1 for _ in ledger_verify())
print(
    {
        "findings": n,
        "seconds": round(time.perf_counter() - w, 2),
        "cpu_seconds": round(time.process_time() - c, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
)
