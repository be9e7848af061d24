"""The framework's ceiling and the contract's floor, measured beside the app by ``make bench``.

``app`` (the ceiling): a bare Flask app answering one constant JSON, nothing else. Served by the
same gunicorn settings as the real app (``bench.ceiling:app``), it measures what Flask, gunicorn
and the load generator cost on this machine before any application code runs.

``floor``: what every JSON POST about a proven order must do under the contract before any of
the app's own work (design.md: the CSRF token on every POST, the proven orders in the signed
session cookie): read the JSON body, Flask-WTF's CSRF check, Flask's own signed cookie session
opened, the order added and the cookie signed again, a constant JSON answer. No database.
"""

import time

from flask import Flask, jsonify, request, session
from flask_wtf.csrf import CSRFProtect, generate_csrf

app = Flask(__name__)


@app.get("/")
def constant():
    return jsonify({"ok": True})


floor = Flask(__name__)
floor.config.update(SECRET_KEY="bench-floor-secret-key-0123456789abcdef", WTF_CSRF_TIME_LIMIT=None)
CSRFProtect(floor)


@floor.get("/csrf_token/")
def csrf_token():
    return jsonify({"csrf_token": generate_csrf()})


@floor.post("/")
def remember():
    body = request.get_json()
    orders = dict(session.get("orders") or {})
    orders[str(body["order"])] = time.time()
    session["orders"] = orders
    return jsonify({"ok": True})
