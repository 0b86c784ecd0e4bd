"""Role names, as plain values the scope mechanism and every app can use without importing accounts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY = "city", _("市安委办/应急局")
    DEPARTMENT = "department", _("行业部门")
    COUNTY = "county", _("县区")
    TOWNSHIP = "township", _("乡镇街道")
    ENTERPRISE = "enterprise", _("企业")
    EXPERT = "expert", _("专家")
    SYSADMIN = "sysadmin", _("系统管理员")


# Roles that see a region (area roles) and the regulators among all roles.
AREA_ROLES = frozenset({Role.CITY, Role.COUNTY, Role.TOWNSHIP})
REGULATOR_ROLES = frozenset({Role.CITY, Role.DEPARTMENT, Role.COUNTY, Role.TOWNSHIP, Role.SYSADMIN})
