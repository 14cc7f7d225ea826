"""Security headers for every response (Django's SecurityMiddleware adds
X-Content-Type-Options, Referrer-Policy and, over HTTPS, HSTS).

The Content Security Policy allows scripts only from this site: no inline
script runs, so a caption that smuggles in `<script>` stays inert even if an
escape were ever missed. Inline style *attributes* stay allowed: each photo's
blur placeholder is one. Images come from this site, and from the buckets
where object storage holds them (the public one or its CDN for readers, the
private one's presigned URLs for the desk). Pages may not be framed, except
the embed player (``reader.embeds``), which sets its own frame-ancestors.
"""

from urllib.parse import urlsplit

from picdesk.core.config import setting
from picdesk.photos.public import public_base_url


def image_origins() -> list[str]:
    """Where else images come from: the object storage's origins, if any."""
    urls = []
    if setting("PICDESK_S3_PUBLIC_BUCKET"):
        urls.append(public_base_url())
    if setting("PICDESK_S3_BUCKET"):
        urls.append(setting("PICDESK_S3_ENDPOINT_URL") or f"https://s3.{setting('PICDESK_S3_REGION')}.amazonaws.com")
    return sorted({f"{part.scheme}://{part.netloc}" for part in map(urlsplit, urls)})


def policy() -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        " ".join(["img-src 'self' data:", *image_origins()]),
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
            if "default-src" not in own:  # not a whole policy already (a page from the cache)
                response["Content-Security-Policy"] = policy().replace("frame-ancestors 'none'", own)
        else:
            response["Content-Security-Policy"] = policy()
        return response
