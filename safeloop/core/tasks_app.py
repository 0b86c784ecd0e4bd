"""The background job queue (django_tasks_db) as INSTALLED_APPS names it: under a Chinese name
(its own is English, in the admin). Its own module: an apps.py with two configurations has no
default one."""

from django_tasks_db.apps import TasksAppConfig as DjangoTasksDbConfig


class TasksDatabaseConfig(DjangoTasksDbConfig):
    """django_tasks_db (the background job queue) under a name its administrators read."""

    verbose_name = "后台任务"
