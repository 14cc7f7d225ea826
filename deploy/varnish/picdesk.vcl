# Varnish in front of picdesk (Varnish 7 with the xkey vmod of varnish-modules).
#
# Reader pages, feeds, sitemaps, embeds, the API's documents and renditions
# are cached for as long as their s-maxage says (PICDESK_SHARED_MAX_AGE) and
# purged by surrogate key the moment something they show changes: picdesk
# sends `PURGE` with an `xkey-purge: s12 p345 listings` header
# (PICDESK_PURGER=varnish, PICDESK_PURGE_URLS=http://this-host:6081/).
# The desk and the admin are never cached.
#
# What differs from site to site, the web servers to fetch from and who may
# purge, is in picdesk-site.vcl beside this file (README.md, Production):
# one web server there, several in picdesk-site-cluster.vcl.
vcl 4.1;

import xkey;

include "./picdesk-site.vcl";

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.url ~ "^/(desk|admin)(/|$)") {
        return (pass);
    }
    # The desk's thumbnails of photos readers cannot see yet: answered to the
    # signed-in editor alone (private), never from or into the cache.
    if (req.url ~ "^/media/r/" && req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Public documents are the same for everyone: no cookie changes them, and
    # a cookie would make the built-in rules pass every request.
    unset req.http.Cookie;
    # Varnish assembles a page's fragments (the More in Pictures rail), each
    # cached and purged apart: picdesk leaves the includes to it.
    set req.http.Surrogate-Capability = "varnish=ESI/1.0";
}

sub vcl_backend_response {
    # picdesk names what a document shows in Surrogate-Key; xkey indexes it.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    } elsif (beresp.status == 404 || beresp.status == 410 || beresp.status >= 500) {
        # A 404 nothing could purge (a rendition asked for before its photo
        # went live) must not outlive the publication that makes it a 200:
        # fetched again each time. Errors likewise.
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    if (beresp.http.Surrogate-Control ~ "ESI/1.0") {
        unset beresp.http.Surrogate-Control;
        set beresp.do_esi = true;
        # Its validators describe the page without its fragments: a 304 on
        # them would keep a rail that changed since.
        unset beresp.http.ETag;
        unset beresp.http.Last-Modified;
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
