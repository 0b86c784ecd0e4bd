"""Imports at scale (issue 10 item 3): 10,000 enterprises and 10,000 hazard ledger rows, each
beside the python-calamine read floor of the same file measured in the same run.

    SAFELOOP_DATA_DIR=/tmp/bench-s1 .venv/bin/python bench/import.py [--runs 5] [--rows 10000]
(add DATABASE_URL=postgres://… for PostgreSQL; any migrated demo database, `seed_demo --scale 1`
or 40). Each import runs as city_admin inside a transaction that is rolled back, so the data
set stays the same between runs. The floor is python-calamine reading the whole first sheet of
the same bytes in this process (`CalamineWorkbook…to_python()`), nothing else: no workbook
guard, no child process, no validation, no database. Floor and import alternate run by run.
Each figure is given as wall-clock seconds and as CPU seconds (this process and the guard's
parser child; not the database server's): on the shared 2-core machine the wall clock mostly
measures the queue for the cores. Prints JSON and writes bench/results/import-<database>.json.

For comparison, the issue measured django-import-export 4.4 at 28.8 s (18.5 s tuned) for the
same 10,000 enterprises on this machine; it is not installed here.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import statistics
import time
from datetime import timedelta

from _django import ROOT, database_label
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from safeloop.accounts.models import User
from safeloop.core.codes import make_credit_code
from safeloop.core.xlsx_write import write_workbook
from safeloop.hazards import ledger_io
from safeloop.hazards.ledger_import import ledger_import
from safeloop.registry.io import COLUMNS, enterprise_import
from safeloop.registry.models import Category, Enterprise, Region, RegionLevel, RiskLevel

PLACES = "安达华兴永盛恒通宏远金鑫瑞丰鼎泰新源广利长城东方南湖资江桃花益民康达"
TRADES = ["化工", "建材", "机械", "物流", "商贸", "食品", "纺织", "建筑", "燃气", "酒店", "超市", "学校"]


class Rollback(Exception):
    pass


def enterprise_file(rows: int) -> bytes:
    """New enterprises (codes not registered yet) over the city's townships and every category,
    written by the export itself, so the layout is the one people re-import."""
    towns = list(Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith="4309"))
    categories = list(Category.objects.all())
    taken = set(Enterprise.objects.filter(credit_code__startswith="91").values_list("credit_code", flat=True))
    risks = [value for value, _label in RiskLevel.choices]
    items = []
    for i in range(rows):
        town = towns[i % len(towns)]
        code = make_credit_code(f"91{town.code[:6]}PB{i:07d}")
        assert code not in taken
        name = f"益阳{PLACES[i % 37 : i % 37 + 2]}{TRADES[i % 12]}{i}号有限公司"
        items.append(
            Enterprise(
                name=name,
                credit_code=code,
                region=town,
                category=categories[i % len(categories)],
                address=f"{town.name}{i % 90 + 1}号",
                employees=10 + i % 400,
                risk_level=risks[i % len(risks)],
                principal_name="张三",
                principal_phone="13800138000",
            )
        )
    out = io.BytesIO()
    write_workbook(out, "企业档案", COLUMNS, items)
    return out.getvalue()


def ledger_file(rows: int) -> bytes:
    """Ledger rows (the export's layout) of the city's enterprises, assigned with a deadline."""
    enterprises = list(
        Enterprise.objects.filter(region__code__startswith="4309").values_list("name", "credit_code")[:2000]
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([c.header for c in ledger_io.COLUMNS])
    today = timezone.localdate()
    for i in range(rows):
        name, code = enterprises[i % len(enterprises)]
        row = {
            "编号": f"OLD-{i}",
            "企业": name,
            "信用代码": code,
            "隐患描述": f"导入隐患{i}：消防通道堵塞",
            "等级": "一般",
            "来源": "监管检查",
            "发现日期": (today - timedelta(days=30)).isoformat(),
            "状态": "已交办",
            "责任单位": "车间",
            "责任人": "张三",
            "期限": today.isoformat(),
        }
        ws.append([row.get(c.header, "") for c in ledger_io.COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def floor(data: bytes) -> int:
    return len(CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python())


def rolled_back(run, user: User, data: bytes) -> int:
    try:
        with transaction.atomic():
            report = run(actor=user, data=data)
            raise Rollback
    except Rollback:
        pass
    return report.created


def cpu() -> float:
    """CPU seconds of this process and its finished children (the guard's parser)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def sample(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one call. On a shared machine the wall clock includes the
    time other people's processes had the cores; CPU time does not (nor the database server's)."""
    wall, used = time.perf_counter(), cpu()
    fn()
    return time.perf_counter() - wall, cpu() - used


def measure(label: str, run, data: bytes, user: User, runs: int) -> dict:
    """Floor and import alternate, so both see the same load on a shared machine."""
    created = rolled_back(run, user, data)  # warm-up (and the check that it imports at all)
    floor(data)
    floors, imports = [], []
    for _ in range(runs):
        floors.append(sample(lambda: floor(data)))
        imports.append(sample(lambda: rolled_back(run, user, data)))
    wall, used = (statistics.median(s[0] for s in imports), statistics.median(s[1] for s in imports))
    floor_wall, floor_cpu = (statistics.median(s[0] for s in floors), statistics.median(s[1] for s in floors))
    result = {
        "rows": created,
        "file_kb": round(len(data) / 1024),
        "import_s": round(wall, 3),
        "import_max_s": round(max(s[0] for s in imports), 3),
        "calamine_floor_s": round(floor_wall, 3),
        "ratio": round(wall / floor_wall, 2),
        "import_cpu_s": round(used, 3),
        "calamine_floor_cpu_s": round(floor_cpu, 3),
        "cpu_ratio": round(used / floor_cpu, 2),
        "load_average": round(os.getloadavg()[0], 1),
        "runs": runs,
    }
    print(f"{label:28} {result}", flush=True)
    return result


def profile(run, data: bytes, user: User) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(rolled_back, run, user, data)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--only", default="enterprises,ledger")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one import instead")
    args = ap.parse_args()
    user = User.objects.get(username="city_admin")
    cases = {"enterprises": (enterprise_import, enterprise_file), "ledger": (ledger_import, ledger_file)}
    results = {"database": database_label(), "rows": args.rows, "django_import_export_issue_s": 28.8}
    for name in args.only.split(","):
        run, build = cases[name]
        data = build(args.rows)
        if args.profile:
            profile(run, data, user)
            continue
        results[name] = measure(f"import {args.rows:,} {name}", run, data, user, args.runs)
    if args.profile:
        return
    out = ROOT / "bench" / "results" / f"import-{results['database']}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
