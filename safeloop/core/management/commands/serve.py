"""Run the web server (waitress) and the task worker together, for `make run`."""

import os
import signal
import subprocess
import sys
import threading
import time

from django.core.management.base import BaseCommand
from waitress import serve

from config.wsgi import application
from safeloop.core.schedule import enqueue_due


class Command(BaseCommand):
    help = "Serve the platform on 127.0.0.1:$PORT with the django-tasks database worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true")

    def handle(self, *args, host: str, port: int, threads: int, no_worker: bool, **options):
        worker = None if no_worker else subprocess.Popen([sys.executable, "manage.py", "db_worker"])
        if worker is not None:
            threading.Thread(target=_daily, name="safeloop-scheduler", daemon=True).start()
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        self.stdout.write(f"SafeLoop 已启动：http://{host}:{port}/  （Ctrl+C 停止）")
        try:
            serve(application, host=host, port=port, threads=threads, ident="SafeLoop")
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)


CHECK_SECONDS = 300  # how often the scheduler looks for a job whose period has passed


def _daily() -> None:
    """Enqueue the daily jobs at start-up and then each when its period (a day, or a job's own
    `every_hours`) has passed (production: cron or a timer unit)."""
    last: dict = {}
    while True:
        enqueue_due(last, time.monotonic())
        time.sleep(CHECK_SECONDS)
