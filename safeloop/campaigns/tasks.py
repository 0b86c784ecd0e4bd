from django_tasks import task

from safeloop.campaigns.supervision import supervise


@task()
def supervise_campaign_tasks() -> dict:
    """The daily deadline-supervision pass over open campaign tasks (run by the task worker)."""
    return vars(supervise())
