from django.core.management.base import BaseCommand

from safeloop.accounts.selectors import actor_for
from safeloop.core.xlsx_write import write_workbook
from safeloop.registry.io import COLUMNS, export_queryset
from safeloop.registry.selectors import EnterpriseFilters, enterprise_list


class Command(BaseCommand):
    help = "Export the enterprises a user may see to .xlsx (the import layout)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", default="sysadmin", help="act as this user (scope)")
        parser.add_argument("--region", default="")
        parser.add_argument("--category", default="")

    def handle(self, *args, file: str, username: str, region: str, category: str, **options):
        qs = enterprise_list(actor_for(username), EnterpriseFilters(region=region, category=category))
        with open(file, "wb") as out:
            count = write_workbook(out, "企业档案", COLUMNS, export_queryset(qs))
        self.stdout.write(f"已导出 {count} 家企业到 {file}")
