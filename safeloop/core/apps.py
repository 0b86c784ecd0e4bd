from django.apps import AppConfig
from django.core import checks
from django_tasks_db.apps import TasksAppConfig as DjangoTasksDbConfig

from safeloop.core.checks import public_base_url


class CoreConfig(AppConfig):
    name = "safeloop.core"
    label = "core"
    verbose_name = "公共"

    def ready(self) -> None:
        from safeloop.core.jobs import jobs_expire
        from safeloop.core.schedule import register_daily

        register_daily(jobs_expire)
        checks.register(public_base_url, checks.Tags.compatibility)


class TasksDatabaseConfig(DjangoTasksDbConfig):
    """django_tasks_db (the background job queue) under a name its administrators read."""

    verbose_name = "后台任务"
