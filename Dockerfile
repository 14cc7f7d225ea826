# picdesk in a container: the web server by default; the same image runs the
# workers (`picdesk worker`), the one-off `picdesk migrate` of each upgrade
# and `picdesk buckets create`. Settings come from the environment
# (README.md's settings table; deploy/picdesk.env is an example). Not built
# in CI: the machines that test picdesk run no container engine.
FROM python:3.11-slim-bookworm

RUN useradd --system --create-home --home-dir /var/lib/picdesk picdesk
WORKDIR /opt/picdesk
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir .

USER picdesk
# Migrations are a step of their own (`picdesk migrate`, once per upgrade):
# replicas started together never race on them.
ENV PICDESK_HOME=/var/lib/picdesk \
    PICDESK_ALLOWED_HOSTS=localhost \
    PICDESK_AUTO_MIGRATE=false
# Static files fingerprinted and compressed at build, not at every start.
RUN python -c "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'picdesk.settings'; \
django.setup(); from picdesk.ops.server import collect_static; collect_static()"
EXPOSE 8000
# Alive: the process answers. (Ready, with the database and services, is /readyz.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["picdesk", "serve", "--host", "0.0.0.0", "--port", "8000"]
