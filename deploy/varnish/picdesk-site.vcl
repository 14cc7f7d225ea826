# This site's part of picdesk.vcl: the web server(s) Varnish fetches from
# (`picdesk serve` on this host's port 8000)
# and the addresses allowed to purge (picdesk's web servers and workers).
# With several web servers, declare each and pick among them with the
# directors vmod (round robin); see README.md, Production.
backend picdesk {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}
