from django_tasks import task

from safeloop.core.db import refresh_planner_statistics
from safeloop.core.schedule import Tally
from safeloop.hazards.digest import digests_send
from safeloop.hazards.supervision import supervise


@task()
def supervise_hazards() -> dict:
    """The daily deadline-supervision pass, run by the task worker; then fresh planner statistics.
    Its report counts the hazards whose check failed (`failed`, `failures`: logged, skipped)."""
    report = vars(supervise())
    refresh_planner_statistics()
    return report


@task()
def notify_digest() -> dict:
    """The leaders' daily digest (idempotent per leader per day); leaders whose digest failed are
    counted (and logged), the others told."""
    tally = Tally()
    sent = digests_send(tally=tally)
    return {"sent": sent, "failed": tally.failed, "failures": tally.failures}
