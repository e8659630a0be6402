# The archive's web image: gunicorn serving Django, static files by whitenoise.
# Build: docker compose build   (see docs/deployment.md)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=0 \
    GUNICORN_BIND=0.0.0.0:8000 \
    STATIC_ROOT=/app/staticfiles \
    SEARCH_INDEX_PATH=/data/search-index \
    JIEBA_CACHE_DIR=/app/var/jieba

WORKDIR /app

# Dependencies first, from the pinned list only, so code changes reuse this layer.
COPY requirements.txt ./
RUN pip install --requirement requirements.txt

RUN groupadd --system --gid 10001 archive \
    && useradd --system --uid 10001 --gid archive --home-dir /app --shell /usr/sbin/nologin archive \
    && mkdir -p /data/search-index /data/issues /app/var/jieba \
    && chown -R archive:archive /data /app/var

COPY --chown=archive:archive . .

# Hashed, compressed static files and jieba's dictionary cache are built
# once into the image; the throwaway key exists only for this build step.
RUN ALLOW_INSECURE_DEV_KEY=1 python manage.py collectstatic --noinput --verbosity 0 \
    && ALLOW_INSECURE_DEV_KEY=1 python -c "import django, jieba; django.setup(); jieba.initialize()" \
    && chown -R archive:archive /app/var

USER archive

# The search index lives in a named volume; issue files are mounted read-only.
VOLUME ["/data/search-index"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=6s --start-period=60s --retries=3 \
    CMD ["python", "docker/healthcheck.py"]

ENTRYPOINT ["docker/entrypoint.sh"]
CMD ["gunicorn", "config.wsgi", "--config", "gunicorn.conf.py"]
