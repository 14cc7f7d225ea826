# picdesk in a container: the web server by default; the same image runs the
# workers (`picdesk worker`). Settings come from the environment (README.md's
# settings table; deploy/picdesk.env is an example). Not built in CI: the
# machines that test picdesk run no container engine.
FROM python:3.11-slim-bookworm

RUN useradd --system --create-home --home-dir /var/lib/picdesk picdesk
WORKDIR /opt/picdesk
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir .

USER picdesk
ENV PICDESK_HOME=/var/lib/picdesk \
    PICDESK_ALLOWED_HOSTS=localhost
EXPOSE 8000
CMD ["picdesk", "serve", "--host", "0.0.0.0", "--port", "8000"]
