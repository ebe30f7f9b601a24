# syntax=docker/dockerfile:1
# Praxis production image: one image for the web servers (compose: gunicorn for pages and
# the API, uvicorn for WebSockets; the default CMD below serves both from uvicorn, for a
# single-container run), the task worker (manage.py db_worker) and the one-shot migration job. Configuration comes
# only from environment variables at run time (see compose.yaml, config/settings.py).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings

WORKDIR /app

# Runtime dependencies only, exactly as locked (no dev group). --no-deps plus
# `pip check` makes a stale lock fail the build instead of pulling unpinned packages.
COPY requirements.lock ./
RUN pip install --no-deps -r requirements.lock && pip check

# The application code is owned by root and read-only for the service user.
COPY . .

# Static files are baked into the image (WhiteNoise serves them with the manifest).
# The SECRET_KEY here is a throwaway that exists only for this one RUN step; it is
# never stored in an image layer's environment.
RUN SECRET_KEY=collectstatic-build-step-only-not-a-secret \
    python manage.py collectstatic --noinput \
 && python -m compileall -q .

# Unprivileged runtime user; /data/media is the only writable path (mount a volume).
RUN groupadd --system --gid 10001 praxis \
 && useradd --system --uid 10001 --gid praxis --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin praxis \
 && mkdir -p /data/media \
 && chown praxis:praxis /data/media
ENV MEDIA_ROOT=/data/media
USER praxis:praxis

EXPOSE 8000

# sh -c so ${WEB_CONCURRENCY} and ${FORWARDED_ALLOW_IPS} (the TLS proxy's address:
# the only peer whose X-Forwarded-* uvicorn believes) expand at run time; exec so uvicorn is PID 1 and
# receives SIGTERM directly for a graceful shutdown.
CMD ["sh", "-c", "exec uvicorn config.asgi:application --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY:-2} --proxy-headers --forwarded-allow-ips \"${FORWARDED_ALLOW_IPS:-127.0.0.1}\" --lifespan off"]
