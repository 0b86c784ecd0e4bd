from django_tasks import task

from safeloop.duties.supervision import supervise


@task()
def supervise_duty_milestones() -> dict:
    """The daily pass over late milestones of annual tasks (run by the task worker)."""
    return vars(supervise())
