"""May this expert sign this major hazard? A provider the experts app registers (ADR 0005):
the hazards app sits below experts and never imports it.

`refusal(actor, hazard, today)` gives the reason in the user's words (specialty, certificate,
conflict of interest), or None when the expert may sign; `q(actor, today)` is the same rule as a
filter on hazards (the expert's to-do list leaves out what they may not sign). With no provider
registered, no expert may sign (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ExpertSigning:
    refusal: Callable[[Any, Any, date], str | None]
    q: Callable[[Any, date], Q]


_provider: list[ExpertSigning] = []


def provide_expert_signing(*, refusal: Callable[[Any, Any, date], str | None], q: Callable[[Any, date], Q]) -> None:
    _provider[:] = [ExpertSigning(refusal, q)]


def expert_refusal(actor: Any, hazard: Any, today: date) -> str | None:
    if not _provider:
        return _("专家库未启用，专家暂不能签字")
    return _provider[0].refusal(actor, hazard, today)


def expert_signable_q(actor: Any, today: date) -> Q:
    return _provider[0].q(actor, today) if _provider else Q(pk__in=[])
