# The Sitrep worker image: one worker process per container, as a non-root user.
#
# The base is pinned by digest, so a rebuild gets the same Python and Debian layers; the tag is for
# readers. The digest is the multi-platform index of python:3.11-slim (Python 3.11.15, Debian trixie,
# built 2026-08-05) as recorded by docker-library/repo-info, repos/python/remote/3.11-slim.md at 2477d55.
# To refresh: `docker buildx imagetools inspect python:3.11-slim` prints the current index digest
# ("Digest:"); put it here and rebuild.
FROM python:3.11-slim@sha256:90744cff8f32887f075c47d747a173ff333e9e98801667af93c357fa9f5e28ff

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# The dependencies first, from the lock files (`make lock`), every one checked against its hash: this
# layer is rebuilt only when a lock changes, not on every code change.
COPY requirements.lock requirements-build.lock ./
RUN pip install --require-hashes -r requirements-build.lock \
    && pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY streams ./streams
RUN pip install --no-deps --no-build-isolation . && useradd --create-home --uid 10001 sitrep
USER sitrep
# SITREP_WEB_HOST=0.0.0.0 binds every address of the container's own network namespace: the only way
# to be reachable through a published port. Compose publishes it on the host's 127.0.0.1 only.
ENV SITREP_WEB_HOST=0.0.0.0 SITREP_WEB_PORT=6066 SITREP_DATA_DIR=/home/sitrep/data
EXPOSE 6066
# Shell form: /bin/sh expands SITREP_WEB_PORT when the check runs, so `-e SITREP_WEB_PORT=...` moves
# the check along with the server.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${SITREP_WEB_PORT:-6066}/healthz', timeout=2)"
CMD ["sitrep", "worker"]
