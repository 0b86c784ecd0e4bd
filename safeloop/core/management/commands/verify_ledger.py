import sys
import time
from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand

from safeloop.core.chain import FINDINGS
from safeloop.core.ledger import chained_histories, ledger_top, ledger_verify

SHOWN = 20  # the first findings of each kind are listed; the counts cover all


class Command(BaseCommand):
    help = (
        "Verify the whole ledger: every event chain (keyed hashes), the global sequence, the published "
        "daily roots, the append-only triggers, the fields each hazard replays, and every stored file. "
        "Each kind of finding is reported on its own; exit 1 on any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="re-read every file, not only changed ones")

    def handle(self, *args, full: bool, **options):
        started = time.monotonic()
        found: dict[str, list[str]] = defaultdict(list)
        for finding in ledger_verify(full_files=full):
            found[finding.finding].append(str(finding))
        seconds = time.monotonic() - started
        for kind, label in FINDINGS.items():
            self._kind(label, found.get(kind, []))
        summary = f"（共检查 {self._counts()}，全局序号至 #{ledger_top()}，用时 {seconds:.1f} 秒）"
        if found:
            count = sum(len(items) for items in found.values())
            self.stderr.write(self.style.ERROR(f"发现 {count} 处篡改迹象，{len(found)} 类{summary}"))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"台账完整：各项校验均通过{summary}"))

    def _counts(self) -> str:
        """How many owners (隐患, …) and events each history has."""
        parts = []
        for events in chained_histories():
            owner: Any = events._meta.get_field(events.chain_owner).related_model
            parts.append(
                f"{owner._default_manager.count()} 条{owner._meta.verbose_name}、{events._default_manager.count()} 个事件"
            )
        return "；".join(parts) or "0 个事件"

    def _kind(self, label, items: list[str]) -> None:
        if not items:
            self.stdout.write(f"  ✓ {label}：0")
            return
        self.stderr.write(f"  ✗ {label}：{len(items)}")
        for text in items[:SHOWN]:
            self.stderr.write(f"      {text}")
