"""Before/after of the list pages: another checkout's bench/ledger.py and this one's, interleaved.

    git archive <base-commit> | tar -x -C /tmp/base && ln -s $PWD/.venv /tmp/base/.venv
    cp bench/ledger.py /tmp/base/bench/               # the base may not have it
    .venv/bin/python bench/ledger_ab.py /tmp/base sqlite 'ledger, city, no filter|to-do list, county'

For each label prefix the two checkouts run alternately (before, after, after, before; `--runs 5`
each) on the same database, so both see the same machine; prints the mean of each side's two
medians and writes bench/results/ledger-ab-<db>.json.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def _mean(res: dict, side: str, part: str) -> float:
    return sum(r[part]["p50_ms"] for r in res[side]) / 2


def main() -> None:
    base, db, cases = Path(sys.argv[1]), sys.argv[2], sys.argv[3].split("|")
    out = {}
    for case in cases:
        res: dict[str, list] = {"before": [], "after": []}
        for side in ("before", "after", "after", "before"):
            cwd = base if side == "before" else HERE
            cmd = [".venv/bin/python", "bench/ledger.py", "--runs", "5", "--only", case]
            subprocess.run(cmd, cwd=cwd, env=dict(os.environ), check=True, capture_output=True)
            data = json.loads((cwd / "bench" / "results" / f"ledger-{db}-partial.json").read_text())["pages"]
            res[side].append(next(v for k, v in data.items() if k.startswith(case)))
        out[case] = res

        print(
            f"{case:40} before {_mean(res, 'before', 'page'):7.1f} ms (sql {_mean(res, 'before', 'sql'):6.1f}, "
            f"{res['before'][0]['queries']} q)   after {_mean(res, 'after', 'page'):7.1f} ms "
            f"(sql {_mean(res, 'after', 'sql'):6.1f}, {res['after'][0]['queries']} q)",
            flush=True,
        )
    (HERE / "bench" / "results" / f"ledger-ab-{db}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
