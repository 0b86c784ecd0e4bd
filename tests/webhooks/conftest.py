"""A real HTTP receiver on 127.0.0.1 that checks every delivery's signature, and a subscription
of 资阳区 (a county account's scope) pointed at it. The task backend is the dummy one: what the
worker would run is run by the test (`webhooks_pump.call()`), so nothing is sent by surprise."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from safeloop.webhooks.services import subscription_create, target_allow


class Receiver:
    """Records each POST; one whose signature does not verify is answered 401 and kept in `bad`."""

    def __init__(self) -> None:
        self.secret = ""
        self.status = 204
        self.received: list[dict] = []  # {"delivery", "timestamp", "body"} of each verified POST
        self.bad: list[dict] = []
        self.server: ThreadingHTTPServer | None = None
        self.port = 0

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stamp = self.headers.get("X-SafeLoop-Timestamp", "")
                expected = hmac.new(receiver.secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                given = self.headers.get("X-SafeLoop-Signature", "")
                entry = {"delivery": self.headers.get("X-SafeLoop-Delivery"), "timestamp": stamp, "body": body}
                if not (stamp.isdigit() and hmac.compare_digest(given, f"sha256={expected}")):
                    receiver.bad.append(entry)
                    self.send_response(401)
                else:
                    receiver.received.append({**entry, "body": json.loads(body)})
                    self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Down: nothing listens on the port any more (it is kept for the restart)."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def changes(self) -> list[dict]:
        return [change for post in self.received for change in post["body"]["changes"]]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/safeloop"


@pytest.fixture(autouse=True)
def dummy_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    backend = task_backends["default"]  # this one, even if a test switches to another
    backend.clear()
    yield backend
    backend.clear()


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.start()
    yield receiver
    receiver.stop()


@pytest.fixture
def hook(receiver, sysadmin_user, ziyang_user):
    """资阳区's subscription (the county account's scope), its secret given to the receiver."""
    target_allow(actor=sysadmin_user, data={"prefix": f"http://127.0.0.1:{receiver.port}/hooks/"})
    sub, secret = subscription_create(
        actor=sysadmin_user, data={"name": "资阳区平台", "url": receiver.url, "owner": ziyang_user.username}
    )
    receiver.secret = secret
    return sub
