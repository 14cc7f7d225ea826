"""Bearer-token authentication for the API's write operations."""

from functools import wraps

from django.views.decorators.csrf import csrf_exempt

from picdesk.api.errors import api_error
from picdesk.api.models import ApiToken


def token_required(view):
    """Requires ``Authorization: Bearer <key>`` of a token made with
    ``picdesk createtoken``. No cookies are involved, so no CSRF token either."""

    @csrf_exempt
    @wraps(view)
    def guarded(request, *args, **kwargs):
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        token = ApiToken.for_key(key.strip()) if scheme.lower() == "bearer" and key else None
        if token is None:
            response = api_error("a valid bearer token is required", 401)
            response["WWW-Authenticate"] = 'Bearer realm="picdesk"'
            return response
        token.mark_used()
        request.api_token = token  # who sent it, for the audit log
        return view(request, *args, **kwargs)

    return guarded
