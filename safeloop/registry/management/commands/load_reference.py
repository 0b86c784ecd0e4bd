from django.core.management.base import BaseCommand

from safeloop.registry.reference import reference_load


class Command(BaseCommand):
    help = "Load or update reference data: categories, GB/T 4754 industries, regions, departments."

    def add_arguments(self, parser):
        parser.add_argument("--province", action="store_true", help="all of 湖南省, not only 益阳市")

    def handle(self, *args, province: bool, **options):
        counts = reference_load(province=province)
        self.stdout.write(f"新增区划 {counts['regions']} 个，新增部门 {counts['departments']} 个。")
