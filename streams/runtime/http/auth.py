"""The HTTP bearer-token check of POST /articles, GET /stats and GET /metrics (SITREP_API_TOKEN)."""

from __future__ import annotations

import hmac


def bearer_refusal(authorization: str | None, token: str) -> str | None:
    """Why a request is refused (None: let it in). No token configured means the API is open."""
    if not token:
        return None
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return "missing_token"
    # compare_digest takes as long for a near miss as for a far one: no timing oracle.
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        return "invalid_token"
    return None
