"""How picdesk's log lines look on standard error: text for a terminal or
the journal, or JSON, one object per line, for log collectors
(PICDESK_LOG_FORMAT=json). Either way a line written while a request is
answered names the request (its id, also sent back as ``X-Request-ID``,
and its path: ``core.metrics.RequestContextFilter`` puts them on the record),
and one about an exception carries its traceback."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        if request_id := getattr(record, "request_id", ""):
            line += f" [request {request_id} {getattr(record, 'path', '')}]"
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if request_id := getattr(record, "request_id", ""):
            line["request_id"] = request_id
            line["path"] = getattr(record, "path", "")
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
