"""The framework's ceiling: a bare Flask app answering one constant JSON, nothing else.

Served by the same gunicorn settings as the real app (``bench.ceiling:app``), it measures what
Flask, gunicorn and the load generator cost on this machine before any application code runs.
"""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def constant():
    return jsonify({"ok": True})
