import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Every view, API schema and dictionary loaded now (the URL patterns import them all), then kept
# out of the cycle collector: the ~460,000 objects of a started process (pypinyin's dictionary
# alone 220,000 lists) made each full collection a 170–330 ms pause in about one request in a
# hundred (bench/changes.py: 22 of 2,452 feed pages over 200 ms). `gc.freeze()` moves them to a
# permanent generation the collector no longer walks (with a forking server, pages stay shared).
get_resolver().url_patterns  # noqa: B018 - loading them is the point
gc.collect()
gc.freeze()
