# picdesk-site.vcl for deploy/compose.yaml: the web service, and purges from
# the compose network's private addresses.
backend picdesk {
    .host = "web";
    .port = "8000";
}

acl purgers {
    "127.0.0.1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}
