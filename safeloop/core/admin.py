from django.contrib import admin

from safeloop.core.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note", "source"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note", "source"]
