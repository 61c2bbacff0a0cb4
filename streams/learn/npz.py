"""Weights written as .npz whose bytes depend only on the weights, so a retrain is byte-identical; and
the per-unit feature matrix the per-event models (scope, status) train on."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

from streams.classify.detect.features import DIM, featurize


def deterministic_npz(arrays: dict[str, npt.NDArray[Any]]) -> bytes:
    """An .npz with fixed zip timestamps (np.savez stamps the clock); numeric arrays only."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            one = io.BytesIO()
            np.lib.format.write_array(one, np.ascontiguousarray(array))  # np.load refuses objects
            z.writestr(info, one.getvalue())
    return buf.getvalue()


def write_model(
    out: Path,
    weights_file: str,
    arrays: dict[str, npt.NDArray[Any]],
    config_file: str,
    config: dict[str, Any],
) -> list[Path]:
    """A model's weights (`deterministic_npz`) and its JSON configuration in `out`: their paths."""
    weights = out / weights_file
    weights.write_bytes(deterministic_npz(arrays))
    conf = out / config_file
    conf.write_text(json.dumps(config, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return [weights, conf]


def unit_matrix(lows: Sequence[str], spans: Sequence[tuple[int, int]], names: Sequence[list[str]]) -> Any:
    """Labelled units' features as one CSR matrix (DIM columns), each unit featurised within its own
    text: words and bigrams of its sentence, and its named cues."""
    rows, cols, vals = [], [], []
    for i, (low, span, cues) in enumerate(zip(lows, spans, names, strict=True)):
        r, c, v = featurize(low, [span], [cues], chars=False, words=True, bigrams=True)
        rows.append(r + i)
        cols.append(c)
        vals.append(v)
    if not rows:
        return sparse.csr_matrix((0, DIM))
    x = sparse.csr_matrix(
        (np.concatenate(vals).astype(np.float64), (np.concatenate(rows), np.concatenate(cols))),
        shape=(len(spans), DIM),
    )
    x.sum_duplicates()
    return x
