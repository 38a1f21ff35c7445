"""Column values every backend accepts: text without NUL or lone surrogates, JSON-able
stats, item timestamps as aware UTC, the page's model input as JSON (split from db.store)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from db.models import utcnow

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(value: str | None) -> str:
    """Text every backend accepts: no NUL (PostgreSQL refuses it), no lone surrogates."""
    if not value:
        return ""
    value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = _SURROGATE.sub("\ufffd", value)
    return value


def jsonable(value: Any) -> Any:
    """Scrapy stats and spider arguments as JSON: datetimes as ISO strings, the rest as text."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return clean(str(value))


def parse_time(value: Any) -> datetime:
    """An item's ``fetched_at`` (ISO 8601) as aware UTC; now when missing or unreadable."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return utcnow()
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return utcnow()


def model_input_json(inputs: Mapping[str, Any]) -> str | None:
    """``pages.model_input``: JSON text (stored compressed), None when the analysis had none."""
    if not inputs:
        return None
    return json.dumps({k: clean(v) if isinstance(v, str) else v for k, v in inputs.items()},
                      ensure_ascii=False, separators=(",", ":"))
