"""Weights written as .npz whose bytes depend only on the weights, so a retrain is byte-identical."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import numpy as np
import numpy.typing as npt


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
