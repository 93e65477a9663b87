import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatory.settings.base")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 -- imports every view (pandas, the registries) before the freeze below
# What is loaded now lives as long as the process: kept out of the garbage collector's sight, a full collection no
# longer walks the hundreds of thousands of objects of Django, pandas and the registries (about 100 ms each time it
# ran while a large workbook or review was built; bench/bench_exports.py).
gc.freeze()
