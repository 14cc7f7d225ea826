# picdesk-site.vcl for deploy/compose.yaml: the two web services, probed on
# /readyz, round robin; purges from the compose network's private addresses.
import directors;

probe picdesk_ready {
    .url = "/readyz";
    .interval = 5s;
    .timeout = 3s;
    .window = 3;
    .threshold = 2;
}

backend web1 {
    .host = "web1";
    .port = "8000";
    .probe = picdesk_ready;
}

backend web2 {
    .host = "web2";
    .port = "8000";
    .probe = picdesk_ready;
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
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}
