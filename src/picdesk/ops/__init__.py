"""What an operator starts: the ``picdesk`` command line, the server with
its FTP and hot-folder channels, the workers, imports,
backups and the demo. The top layer: it may use every other."""
