"""A real demo city behind a real server, for the role walks: `seed_demo` into a temporary data
directory, then `manage.py serve --no-worker` on a free port, as subprocesses (the walk's own
test database stays untouched). The server runs with SAFELOOP_DRY_RUN on, so the walk can press
every button it is shown and roll the press back (safeloop/core/middleware.py).

SAFELOOP_WALK_SEEDED=<dir> copies the SQLite database of a directory seeded before (with this
module's `seed` function) instead of seeding again: for working on the walk only; the suite
seeds afresh.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The demo has no township account; the walk adds one for the township of enterprise_demo's
# enterprise (笔架山乡, 赫山区), where that enterprise's work lands.
TOWNSHIP_USER = "township_walk"
TOWNSHIP_SCRIPT = f"""
from django.conf import settings
from safeloop.accounts.models import User
from safeloop.accounts.services import user_create
from safeloop.core.roles import Role
town = User.objects.get(username="enterprise_demo").enterprise.region_id
user_create(username="{TOWNSHIP_USER}", password=settings.SAFELOOP_DEMO_PASSWORD, role=Role.TOWNSHIP,
            display_name="笔架山乡安监站", region_id=town)
"""


@dataclass(frozen=True)
class Site:
    url: str
    data_dir: Path
    password: str


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SAFELOOP_TEST_DATABASE_URL")}
    env.update(
        SAFELOOP_ENV="local",
        SAFELOOP_DATA_DIR=str(data_dir),
        SAFELOOP_DRY_RUN="true",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def seed(data_dir: Path) -> None:
    env = environment(data_dir)
    subprocess.run([sys.executable, "-m", "config.local_setup"], cwd=ROOT, env=env, check=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo")
    manage(env, "shell", "-c", TOWNSHIP_SCRIPT)


def prepare(data_dir: Path) -> subprocess.Popen | None:
    """Start seeding `data_dir` in the background (None when a seeded directory is reused)."""
    seeded = os.environ.get("SAFELOOP_WALK_SEEDED")
    if not seeded:
        code = f"from pathlib import Path; from tests.browser.demo_site import seed; seed(Path({str(data_dir)!r}))"
        return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=environment(data_dir))
    shutil.copy(Path(seeded) / "safeloop.sqlite3", data_dir / "safeloop.sqlite3")
    shutil.copy(Path(seeded) / "secret_key", data_dir / "secret_key")
    shutil.copytree(Path(seeded) / "media", data_dir / "media", dirs_exist_ok=True)
    return None


class Seeding:
    """The demo city being seeded while the rest of the suite runs (it starts when the walk is
    collected: tests/browser/conftest.py), so its minute or two overlaps the other tests."""

    def __init__(self) -> None:
        shm = Path("/dev/shm")  # noqa: S108 (a private mkdtemp folder in memory: SQLite's syncs cost nothing there)
        self.data_dir = Path(tempfile.mkdtemp(prefix="safeloop-walk-", dir=str(shm) if shm.is_dir() else None))
        self.process = prepare(self.data_dir)

    def wait(self) -> None:
        if self.process is not None and self.process.wait() != 0:
            raise RuntimeError(f"seeding the demo city failed (exit {self.process.returncode})")

    def remove(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        shutil.rmtree(self.data_dir, ignore_errors=True)


_seeding: Seeding | None = None


def start_seeding() -> Seeding:
    global _seeding
    if _seeding is None:
        _seeding = Seeding()
    return _seeding


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the demo server stopped (exit {server.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=5) as response:  # noqa: S310 (our own server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the demo server did not answer within a minute")


def demo_site():
    """Generator for the session fixture: the site while the walks run, removed after."""
    seeding = start_seeding()
    try:
        seeding.wait()
        data_dir = seeding.data_dir
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "manage.py", "serve", "--no-worker", "--port", str(port), "--threads", "4"]
        log = (data_dir / "server.log").open("w")
        server = subprocess.Popen(command, cwd=ROOT, env=environment(data_dir), stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(url, server)
            yield Site(url=url, data_dir=data_dir, password=os.environ.get("SAFELOOP_DEMO_PASSWORD", "Safe@2026demo"))
        finally:
            server.terminate()
            server.wait(timeout=20)
            log.close()
    finally:
        seeding.remove()
