from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from safeloop.hazards.diagram import lifecycle_markdown

TARGET = Path(settings.BASE_DIR) / "docs" / "hazard-lifecycle.md"


class Command(BaseCommand):
    help = "Write docs/hazard-lifecycle.md (Mermaid diagram and action table) from the workflow table."

    def handle(self, *args, **options):
        TARGET.write_text(lifecycle_markdown(), encoding="utf-8")
        self.stdout.write(f"已写入 {TARGET}")
