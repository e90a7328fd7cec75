# Time Tracker: the API (:8000) and the dashboard (:8501) in one container, started by
# entrypoint.sh. With no DATABASE_URL it runs the embedded PostgreSQL in the /data volume.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# PostgreSQL refuses to run as root, and nothing here needs root after the install.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app \
    && mkdir -p /data && chown app:app /data

# Dependencies first, so code changes don't reinstall them.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --chown=app:app . .

ENV ENVIRONMENT=production \
    DATA_DIR=/data \
    API_HOST=0.0.0.0 \
    UI_HOST=0.0.0.0 \
    PYTHON=python

USER app
VOLUME ["/data"]
EXPOSE 8000 8501

# Healthy only when both front doors answer (the API's answer includes the database).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request as r; r.urlopen('http://127.0.0.1:8000/api/health', timeout=4); r.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"

# Exec form: entrypoint.sh is PID 1 and receives SIGTERM from `docker stop`.
ENTRYPOINT ["./entrypoint.sh"]
