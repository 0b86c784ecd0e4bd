import time

from django.core.management.base import BaseCommand

from safeloop.board.tasks import warm_now


class Command(BaseCommand):
    help = "Compute and store the map board's figures for every scope and region it is opened at."

    def handle(self, *args, **options):
        start = time.perf_counter()
        tally = warm_now()
        seconds = time.perf_counter() - start
        self.stdout.write(f"挂图作战数据已预先计算 {tally.done} 份，用时 {seconds:.1f} 秒")
        if tally.failed:
            self.stderr.write(f"计算失败 {tally.failed} 份（已记录日志）")
