"""A small HTTP client for servers on 127.0.0.1 (benchmark set-up and the scale-out test)."""

from __future__ import annotations

import http.client
import json
import socket
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def cookie(self, name: str = "session") -> str | None:
        for header in self.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            if name in jar:
                return jar[name].value
        return None


def call(
    port: int,
    method: str,
    path: str,
    body: Any = None,
    headers=None,
    timeout=15,
    form: dict[str, str] | None = None,
) -> Reply:
    """One request: ``body`` sent as JSON, or ``form`` as a page's form would send it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        all_headers = {"Accept": "application/json", **(headers or {})}
        payload = None
        if form is not None:
            payload = urlencode(form).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            payload = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
