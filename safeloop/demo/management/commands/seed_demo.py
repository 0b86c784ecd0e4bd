from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safeloop.core.db import refresh_planner_statistics
from safeloop.demo.campaigns import seed_campaigns
from safeloop.demo.checklists import seed_checklists
from safeloop.demo.duties import seed_duties
from safeloop.demo.enforcement import seed_enforcement  # issue 17
from safeloop.demo.experts import seed_experts
from safeloop.demo.flood import seed_flood
from safeloop.demo.hazards import seed_hazards
from safeloop.demo.inspections import seed_inspections
from safeloop.demo.registry import seed_demo
from safeloop.demo.reporting import seed_reporting
from safeloop.registry.models import Enterprise


class Command(BaseCommand):
    help = "Load the deterministic demo city (益阳市) with its accounts; --scale N multiplies the data."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="N×5,000 enterprises; N>1 spreads them over 湖南省")
        parser.add_argument("--seed", type=int, default=20261129)
        parser.add_argument("--if-empty", action="store_true", help="do nothing when enterprises exist")

    def handle(self, *args, scale: int, seed: int, if_empty: bool, **options):
        if settings.PRODUCTION:
            # Demo accounts share one published password: never on a real installation.
            raise CommandError("生产环境（SAFELOOP_ENV=production）不能加载演示数据和演示账号。")
        if Enterprise.objects.exists():
            if if_empty:
                self.stdout.write("数据库已有数据，跳过演示数据加载。")
                return
            raise CommandError("数据库已有企业数据；演示数据只加载到空数据库（可设置 SAFELOOP_DATA_DIR 使用新目录）。")
        if scale < 1:
            raise CommandError("--scale 必须是正整数")
        progress = self.stdout.write
        accounts = seed_demo(seed=seed, scale=scale, password=settings.SAFELOOP_DEMO_PASSWORD, progress=progress)
        seed_hazards(seed=seed, progress=progress)
        seed_checklists(seed=seed, progress=progress)
        seed_experts(seed=seed, progress=progress)
        accounts.usernames += seed_reporting(seed=seed, progress=progress, password=accounts.password)
        seed_inspections(seed=seed, progress=progress)
        seed_campaigns(seed=seed, progress=progress)
        accounts.usernames += seed_flood(seed=seed, progress=progress, password=accounts.password)
        seed_enforcement(seed=seed, progress=progress)  # issue 17
        seed_duties(seed=seed, progress=progress)
        progress("更新查询统计信息（ANALYZE）…")
        refresh_planner_statistics()
        self.stdout.write(self.style.SUCCESS(f"演示数据已加载。演示账号（密码均为 {accounts.password}）："))
        for name in accounts.usernames:
            self.stdout.write(f"  {name}")
