from __future__ import annotations

import json
import logging

from ariaforge.core.logging import JsonFormatter, request_id_var


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("ariaforge.test", logging.INFO, __file__, 1, message, None, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_log_lines_are_json_with_request_id_and_extras() -> None:
    token = request_id_var.set("req-42")
    try:
        line = JsonFormatter().format(_record("hello %s", status=201))
    finally:
        request_id_var.reset(token)
    entry = json.loads(line)
    assert entry["message"] == "hello %s"
    assert entry["request_id"] == "req-42"
    assert entry["status"] == 201
    assert entry["level"] == "INFO"
    assert "\n" not in line


def test_exceptions_stay_inside_one_json_line() -> None:
    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        record = _record("failed")
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert "ValueError: broken" in json.loads(line)["exception"]
