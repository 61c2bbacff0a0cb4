# The Sitrep worker image: one worker process per container, as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY streams ./streams
RUN pip install . && useradd --create-home --uid 10001 sitrep
USER sitrep
ENV SITREP_WEB_HOST=0.0.0.0 SITREP_DATA_DIR=/home/sitrep/data
EXPOSE 6066
HEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:6066/healthz')"
CMD ["sitrep", "worker"]
