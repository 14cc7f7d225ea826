"""Per-client rate limits for the expensive or abusable endpoints (search,
API writes): a fixed one-minute window counted in Django's cache, answering
429 with Retry-After once the client has used its allowance."""

from __future__ import annotations

import time
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

from picdesk.config import setting


def rate_limited(name: str, setting_name: str):
    """Allow each client address ``setting(setting_name)`` requests a minute."""

    def decorate(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            allowance = setting(setting_name)
            window = int(time.time() // 60)
            key = f"ratelimit:{name}:{request.META.get('REMOTE_ADDR', '')}:{window}"
            cache.add(key, 0, timeout=70)
            if cache.incr(key) > allowance:
                response = HttpResponse("Too many requests; try again in a minute.\n", status=429,
                                        content_type="text/plain; charset=utf-8")
                response["Retry-After"] = str(60 - int(time.time()) % 60)
                return response
            return view(request, *args, **kwargs)

        return limited

    return decorate
