"""Security headers for every response (Django's SecurityMiddleware adds
X-Content-Type-Options, Referrer-Policy and, over HTTPS, HSTS).

The Content Security Policy allows scripts only from this site: no inline
script runs, so a caption that smuggles in `<script>` stays inert even if an
escape were ever missed. Inline style *attributes* stay allowed: each photo's
blur placeholder is one. Pages may not be framed, except the embed player
(``reader.embeds``), which sets its own frame-ancestors.
"""

POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            # A view that sets its own (the embed player) keeps its framing
            # rule on top of the rest of the policy.
            own = response["Content-Security-Policy"]
            base = POLICY.replace("frame-ancestors 'none'", own)
            response["Content-Security-Policy"] = base
        else:
            response["Content-Security-Policy"] = POLICY
        return response
