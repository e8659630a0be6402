"""Container health check: GET /healthz on this node, exit 0 only on 200.

The Host header is the first of ALLOWED_HOSTS so Django accepts the request
whatever public name the site has.
"""

import os
import sys
import urllib.error
import urllib.request

port = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
host = next((h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost").split(",") if h.strip()), "localhost")
request = urllib.request.Request(
    f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost" if host == "*" else host.lstrip(".")}
)
try:
    with urllib.request.urlopen(request, timeout=5) as response:
        sys.exit(0 if response.status == 200 else 1)
except (urllib.error.URLError, OSError) as exc:
    print(f"healthz: {exc}", file=sys.stderr)
    sys.exit(1)
