"""Every error the API gives is JSON: ``{"error": "what went wrong"}``.

Views answer with ``api_error``; what Django or a shared decorator answers on
their behalf (405, 429, a 404 from URL resolution, a 400 for a bad request,
a 500) is rewritten into the same shape by ``JsonErrorsMiddleware``, so a
partner's client never has to parse an HTML page.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import reverse

# Headers an error response carries that still apply to its JSON version.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def api_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        api_root = reverse("api:openapi").removesuffix("openapi.json")
        if response.status_code < 400 or not request.path.startswith(api_root):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        message = response.reason_phrase.lower()
        if response.get("Content-Type", "").startswith("text/plain") and response.content:
            message = response.content.decode("utf-8", "replace").strip()
        rewritten = api_error(message, response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                rewritten[header] = response[header]
        return rewritten
