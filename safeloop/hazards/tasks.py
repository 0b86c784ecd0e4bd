from django_tasks import task

from safeloop.core.db import refresh_planner_statistics
from safeloop.hazards.digest import digests_send
from safeloop.hazards.supervision import supervise


@task()
def supervise_hazards() -> dict:
    """The daily deadline-supervision pass, run by the task worker; then fresh planner statistics."""
    report = vars(supervise())
    refresh_planner_statistics()
    return report


@task()
def notify_digest() -> int:
    """The leaders' daily digest (idempotent per leader per day)."""
    return digests_send()
