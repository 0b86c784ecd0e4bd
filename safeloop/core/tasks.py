from django_tasks import task

from safeloop.core.ledger import ledger_publish


@task()
def ledger_publish_root() -> dict | None:
    """The daily root of the ledger (the events appended since the last one), appended to the
    roots file outside the database (docs/adr/0012)."""
    return ledger_publish()
