# adcvd-watch worker: `docker build -t adcvd-watch .`, then `docker compose up` (see compose.yaml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /opt/adcvd-watch
COPY pyproject.toml README.md ./
COPY worker ./worker
COPY watchers ./watchers
COPY notifier ./notifier
COPY templates ./templates
# The postgres extra: the PostgreSQL driver (psycopg) for ADCVD_DATABASE_URL=postgresql+psycopg://...
RUN pip install ".[postgres]" \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/adcvd --create-home adcvd

# Non-root; the SQLite database (when used), the Maildir outbox and the lock file live in the volume.
USER adcvd
WORKDIR /var/lib/adcvd
VOLUME ["/var/lib/adcvd"]
ENV ADCVD_DATABASE_URL=sqlite:////var/lib/adcvd/adcvd.db \
    ADCVD_OUTBOX_DIR=/var/lib/adcvd/outbox

# SIGINT stops the scheduler cleanly (the worker handles Ctrl-C); docker stop sends it.
STOPSIGNAL SIGINT
ENTRYPOINT ["adcvd"]
CMD ["run"]
