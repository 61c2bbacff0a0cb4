"""The worker's web port: POST /articles, /healthz, /readyz, /metrics, /stats, token and rate limit."""
