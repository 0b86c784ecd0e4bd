"""The parties of the hazard loop (who, relative to a hazard), the kinds of hazard that widen
who may act, and the parties an actor has."""

from __future__ import annotations

from django.db.models import Q

from safeloop.accounts.models import Role, User
from safeloop.core.transitions import Subset, Who
from safeloop.hazards.models import (
    Hazard,
    Level,
    Source,
    Status,
)

S = Status
ENTERPRISE, EXPERT, REGULATOR, SUPERVISOR = "enterprise", "expert", "regulator", "supervisor"
SELF_MANAGED_SOURCES = (Source.SELF_CHECK, Source.INTERNAL_REPORT)


def is_self_managed(hazard: Hazard) -> bool:
    """A general hazard the enterprise found itself: the enterprise runs the whole loop, but a
    different person must accept what was fixed."""
    return hazard.level == Level.GENERAL and hazard.source in SELF_MANAGED_SOURCES


SELF_MANAGED = Subset(test=is_self_managed, q=Q(level=Level.GENERAL, source__in=SELF_MANAGED_SOURCES))
# 即查即改 (services' hazard_fix_on_spot): the recorder enters, in the same act, the rectification
# a named person did before their eyes. A reopen clears the mark: from then on the enterprise submits.
ON_SPOT = Subset(test=lambda hazard: hazard.on_spot, q=Q(on_spot=True))
REGULATORS_OR_SELF = Who(always=frozenset({REGULATOR}), also=frozenset({ENTERPRISE}), when=SELF_MANAGED)
CLOSERS = Who(always=frozenset({SUPERVISOR}), also=frozenset({ENTERPRISE}), when=SELF_MANAGED)
SIGNERS = Who(always=frozenset({EXPERT, ENTERPRISE}))
DOERS = Who(always=frozenset({ENTERPRISE, REGULATOR}))
ENTERPRISE_ONLY = Who(always=frozenset({ENTERPRISE}))
ENTERPRISE_OR_ON_SPOT_RECORDER = Who(always=frozenset({ENTERPRISE}), also=frozenset({REGULATOR}), when=ON_SPOT)
REGULATORS = Who(always=frozenset({REGULATOR}))
SUPERVISORS = Who(always=frozenset({SUPERVISOR}))


# ---------------------------------------------------------------- who is acting


def role_parties(actor: User) -> frozenset[str]:
    """The system administrator sees everything but acts in no hazard's loop: running the
    platform is not a supervisory authority."""
    if actor.role == Role.SYSADMIN:
        return frozenset()
    if actor.role == Role.ENTERPRISE:
        return frozenset({ENTERPRISE})
    if actor.role == Role.EXPERT:
        return frozenset({EXPERT})
    if actor.is_regulator:
        return frozenset({REGULATOR}) if actor.role == Role.TOWNSHIP else frozenset({REGULATOR, SUPERVISOR})
    return frozenset()


def parties_of(actor: User, hazard: Hazard) -> frozenset[str]:
    """The actor's parties for a hazard already known to be in the actor's scope. An enterprise
    party is an account of the hazard's own enterprise, signing in its own name."""
    if actor.role == Role.ENTERPRISE and actor.enterprise_id != hazard.enterprise_id:
        return frozenset()
    return role_parties(actor)
