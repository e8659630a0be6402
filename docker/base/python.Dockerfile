# Stand-in for python:3.11-slim, built from Debian 12's own packages by
# docker/make-base-images where no image registry can be reached. Debian's
# Python 3.11 with a virtualenv first on PATH, so `python` and `pip` mean what
# they mean in the official image and pip never touches Debian's packages.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3.11 python3.11-venv ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && python3.11 -m venv /opt/python
ENV PATH=/opt/python/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8
CMD ["python"]
