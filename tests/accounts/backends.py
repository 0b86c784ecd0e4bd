"""A sign-in backend for the race test: every attempt that reaches the password check waits
until each parallel attempt has either reached it too or been refused before it, so all of them
are counted against the same moment, as on a busy server."""

from __future__ import annotations

import threading

from django.contrib.auth.backends import ModelBackend


class Gate:
    def __init__(self, parties: int):
        self.parties = parties
        self.arrived = 0
        self.condition = threading.Condition()

    def arrive(self) -> None:
        with self.condition:
            self.arrived += 1
            self.condition.notify_all()

    def wait(self) -> None:
        with self.condition:
            self.condition.wait_for(lambda: self.arrived >= self.parties, timeout=30)


GATE: list[Gate] = []


class GateBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if GATE:
            GATE[0].arrive()
            GATE[0].wait()
        return super().authenticate(request, username=username, password=password, **kwargs)
