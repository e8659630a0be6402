# Stand-in for postgres:16, built from Debian 12's own packages by
# docker/make-base-images where no image registry can be reached. Debian 12
# ships PostgreSQL 15. The entrypoint does what the official image's does for
# the variables the archive uses: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB
# and POSTGRES_INITDB_ARGS on first start, data in /var/lib/postgresql/data.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
# No "main" cluster at install time: the entrypoint makes the only one, in PGDATA.
RUN mkdir -p /etc/postgresql-common \
    && echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf \
    && apt-get update \
    && apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data \
    LANG=C.UTF-8
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
EXPOSE 5432
# PostgreSQL's "fast" shutdown, as in the official image.
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
