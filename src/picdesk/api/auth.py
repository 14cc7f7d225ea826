"""Bearer-token authentication: who sent a request, and may it do this."""

from functools import wraps

from django.views.decorators.csrf import csrf_exempt

from picdesk.api.errors import api_error
from picdesk.api.models import ApiToken


class BadToken(Exception):
    """An Authorization header that names no usable token."""


def bearer_token(request) -> ApiToken | None:
    """The token the request sends, None when it sends none; BadToken for
    one that is unknown, revoked or expired."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, key = header.partition(" ")
    token = ApiToken.for_key(key.strip()) if scheme.lower() == "bearer" and key.strip() else None
    if token is None:
        raise BadToken
    token.mark_used()
    return token


def unauthorized():
    response = api_error("a valid bearer token is required (unknown, revoked or expired tokens are not)", 401)
    response["WWW-Authenticate"] = 'Bearer realm="picdesk"'
    return response


def token_required(scope: str):
    """Requires ``Authorization: Bearer <key>`` of a usable token with
    ``scope`` (401 without one, 403 without the scope). No cookies are
    involved, so no CSRF token either."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def guarded(request, *args, **kwargs):
            try:
                token = bearer_token(request)
            except BadToken:
                token = None
            if token is None:
                return unauthorized()
            if not token.allows(scope):
                return api_error(f"this token has no {scope!r} scope", 403)
            request.api_token = token  # who sent it, for the audit log
            return view(request, *args, **kwargs)

        return guarded

    return decorate
