from django.apps import AppConfig


class AccidentsConfig(AppConfig):
    name = "safeloop.accidents"
    label = "accidents"
    verbose_name = "事故与灾害"
