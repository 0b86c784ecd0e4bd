"""Clause suggestion speed with the whole catalogue loaded (issue 11: median under 50 ms for a
100-character description).

    export SAFELOOP_DATA_DIR=/tmp/bench-sqlite   # any migrated database: the catalogue is loaded by migration
    .venv/bin/python bench/standards.py --runs 50
Prints figures and writes bench/results/standards-<db>.json. Baseline in the same run: the catalogue
fingerprint query every suggestion makes (one aggregate), and the segmentation alone.
"""

import argparse
import json

from _django import ROOT, database_label, timed

from safeloop.standards import suggest as S
from safeloop.standards.models import Clause

# 100 characters, as an inspector writes a finding (not from the evaluation set).
TEXT = (
    "二号抛光车间铝镁粉尘干式除尘器未设置泄爆装置，卸灰口为敞口无锁气卸灰阀，除尘器周边照明灯具为普通型非防爆，"
    "现场地面及设备顶部积尘较厚，询问班组长称每周才清扫一次，未见清扫记录和粉尘清理制度的执行台账。"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    assert len(TEXT) == 100, len(TEXT)
    S.index()  # build once, as a running server has
    figures = {
        "fingerprint query (baseline)": timed(S._fingerprint, args.runs),
        "segmentation only (baseline)": timed(lambda: S.expand(TEXT), args.runs),
        "suggest, 100 characters": timed(lambda: S.suggest(TEXT), args.runs),
        "suggest, 100 characters, category machinery": timed(lambda: S.suggest(TEXT, category="machinery"), args.runs),
    }
    result = {"database": database_label(), "clauses": Clause.objects.count(), "text_chars": len(TEXT), **figures}
    for name, fig in figures.items():
        print(f"{name:48s} median {fig['median_ms']:7.1f} ms   p95 {fig['p95_ms']:7.1f} ms")
    out = ROOT / "bench" / "results" / f"standards-{database_label()}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("top:", [(s.clause, s.score) for s in S.suggest(TEXT)[:3]])


if __name__ == "__main__":
    main()
