"""Flask's JSON encoded with orjson (docs/performance.md: the lookup answer is about 170
values, and the standard library's encoder took a tenth of the request's time)."""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


class OrjsonProvider(DefaultJSONProvider):
    """Keys keep the order the serializers give them (the API document's order); values orjson
    does not know (``Decimal``, dates, lazy strings) go through Flask's ``default``. Anything
    orjson can not encode (integers beyond 64 bits), and reading JSON, is the standard
    library's, as in Flask."""

    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if set(kwargs) <= {"indent", "separators"}:  # the options Flask's responses pass
            option = OPTIONS | (orjson.OPT_INDENT_2 if kwargs.get("indent") else 0)
            try:
                return orjson.dumps(obj, default=self.default, option=option).decode()
            except orjson.JSONEncodeError:
                pass
        return super().dumps(obj, **kwargs)
