# picdesk-site.vcl for several web servers (copy it over picdesk-site.vcl):
# each is probed on /readyz (database, cache, broker and buckets answer), and
# requests go round robin to those that are ready; one that stops answering
# is out within 15 seconds and back once ready again. Until then a read that
# found it gone is fetched again from the next one: readers see no error.
# Purges come from the web servers and workers (picdesk sends them where the
# change is made).
import directors;

probe picdesk_ready {
    .url = "/readyz";
    .interval = 5s;
    .timeout = 3s;
    .window = 3;
    .threshold = 2;
}

backend web1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = picdesk_ready;
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

backend web2 {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = picdesk_ready;
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

sub vcl_init {
    new picdesk = directors.round_robin();
    picdesk.add_backend(web1);
    picdesk.add_backend(web2);
}

sub vcl_recv {
    set req.backend_hint = picdesk.backend();
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_backend_error {
    # A web server gone before its probe noticed (a crash, a restart): the
    # director picks again. Only reads: a form may have reached the server.
    if (bereq.retries < 1 && bereq.method ~ "^(GET|HEAD)$") {
        return (retry);
    }
}
