# The archive's web image: gunicorn serving Django, static files by whitenoise.
# Build: docker compose build   (see docs/deployment.md)
#
# PYTHON_IMAGE is the base: the official python:3.11-slim by default, or a
# stand-in made by docker/make-base-images where no registry is reachable.
ARG PYTHON_IMAGE=python:3.11-slim

# --- dependencies: the pinned requirements in a virtualenv -----------------
FROM ${PYTHON_IMAGE} AS dependencies

# PEM certificates to trust besides the usual ones, for a network whose TLS
# is intercepted. Used by pip in this stage only: the final image copies the
# virtualenv and nothing else from here, so neither the bundle nor the
# argument (which `docker history` would show) reaches it.
ARG EXTRA_CA_CERTS=""
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

COPY requirements.txt /tmp/requirements.txt
RUN python -m venv /opt/archive \
    && if [ -n "$EXTRA_CA_CERTS" ]; then \
         bundle="$(/opt/archive/bin/python -c 'import pip._vendor.certifi as c; print(c.where())')" \
         && cat "$bundle" > /tmp/ca-bundle.pem \
         && printf '%s\n' "$EXTRA_CA_CERTS" >> /tmp/ca-bundle.pem \
         && export PIP_CERT=/tmp/ca-bundle.pem; \
       fi \
    && /opt/archive/bin/pip install --requirement /tmp/requirements.txt

# --- the image ---------------------------------------------------------------
FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="newspaper-archive"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/archive/bin:$PATH \
    DEBUG=0 \
    GUNICORN_BIND=0.0.0.0:8000 \
    STATIC_ROOT=/app/staticfiles \
    SEARCH_INDEX_PATH=/data/search-index \
    JIEBA_CACHE_DIR=/app/var/jieba

WORKDIR /app

# Dependencies first, so code changes reuse these layers.
COPY --from=dependencies /opt/archive /opt/archive

RUN groupadd --system --gid 10001 archive \
    && useradd --system --uid 10001 --gid archive --home-dir /app --shell /usr/sbin/nologin archive \
    && mkdir -p /data/search-index /data/issues /app/var/jieba \
    && chown -R archive:archive /data /app/var

COPY --chown=archive:archive . .

# Hashed, compressed static files and jieba's dictionary cache are built
# once into the image; the throwaway key exists only for this build step.
RUN ALLOW_INSECURE_DEV_KEY=1 python manage.py collectstatic --noinput --verbosity 0 \
    && ALLOW_INSECURE_DEV_KEY=1 DJANGO_SETTINGS_MODULE=config.settings \
       python -c "import django, jieba; django.setup(); jieba.initialize()" \
    && chown -R archive:archive /app/var

USER archive

# The search index lives in a named volume; issue files are mounted read-only.
VOLUME ["/data/search-index"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=6s --start-period=60s --retries=3 \
    CMD ["python", "docker/healthcheck.py"]

ENTRYPOINT ["docker/entrypoint.sh"]
CMD ["gunicorn", "config.wsgi", "--config", "gunicorn.conf.py"]
