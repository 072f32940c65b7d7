# The portal's production image: Debian with the CJK fonts and HarfBuzz subsetting WeasyPrint needs,
# the locked Python environment, static files collected at build, and a non-root user.
# docker-compose.yml runs it as web (gunicorn), worker and beat (Celery) and the one-shot migrate.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    MEDIA_ROOT=/app/media \
    STATIC_ROOT=/app/staticfiles

# Versions come from the pinned Debian release (bookworm) and its security updates; see .hadolint.yaml.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext libmagic1 \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv==0.13.9

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN DEBUG=false python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home portal \
    && mkdir -p /app/media \
    && chown -R 10001:10001 /app/media

USER 10001:10001
EXPOSE 8000
# deploy/healthcheck.py sends a Host header that ALLOWED_HOSTS admits.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["python", "deploy/healthcheck.py"]
# Workers (WEB_CONCURRENCY, else one per CPU), bind address, timeout and an access log without query
# strings: deploy/gunicorn.conf.py.
CMD ["gunicorn", "portal.wsgi:application", "--config", "deploy/gunicorn.conf.py"]
