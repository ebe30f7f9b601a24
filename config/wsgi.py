"""The WSGI application: pages and the API under gunicorn (compose ``web``).

WebSockets are served by the ASGI application (``config/asgi.py``, compose ``ws``).
``FORWARDED_ALLOW_IPS`` names the proxy, as for uvicorn (``community/client_address.py``).
"""

import os

from django.core.wsgi import get_wsgi_application

from community.client_address import ForwardedClientAddress

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = ForwardedClientAddress(get_wsgi_application(), trusted=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"))
