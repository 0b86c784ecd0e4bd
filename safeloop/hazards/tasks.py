from django_tasks import task

from safeloop.hazards.supervision import supervise


@task()
def supervise_hazards() -> dict:
    """The daily deadline-supervision pass, run by the task worker."""
    return vars(supervise())
