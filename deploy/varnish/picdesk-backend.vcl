# The web server(s) Varnish fetches from: `picdesk serve` (or gunicorn on
# picdesk.wsgi) on this host's port 8000. With several, declare each and pick
# among them with the directors vmod (round robin); see deploy/README.md.
backend picdesk {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}
