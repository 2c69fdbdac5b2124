"""Spatial pooling of response maps: the statistics several extractors
share (mean and sum, and those that keep a small local response: max, the
mean of the largest values, a high percentile)."""

from numbers import Integral, Real

import numpy as np

__all__ = [
    "POOL_STATISTICS",
    "check_pool",
    "pool_map",
    "pool_names",
    "pool_values",
]

POOL_STATISTICS = ("mean", "std", "sum", "max", "min", "top_k", "percentile")


def check_pool(pool, top_k, percentile, name="pool"):
    """``pool`` as a tuple of statistics (a string is one), checked with
    ``top_k`` and ``percentile``."""
    stats = (pool,) if isinstance(pool, str) else pool
    try:
        stats = tuple(stats)
    except TypeError:
        stats = ()
    unknown = [s for s in stats if s not in POOL_STATISTICS]
    if not stats or unknown or len(set(stats)) != len(stats):
        raise ValueError(
            f"{name} must be one or more different statistics among "
            f"{', '.join(POOL_STATISTICS)}; got {pool!r}."
        )
    if "top_k" in stats and not (
        isinstance(top_k, Integral) and not isinstance(top_k, bool) and top_k >= 1
    ):
        raise ValueError(f"top_k must be a positive integer; got {top_k!r}.")
    if "percentile" in stats and not (
        isinstance(percentile, Real) and 0 <= percentile <= 100
    ):
        raise ValueError(f"percentile must be in [0, 100]; got {percentile!r}.")
    return stats


def pool_names(stats, top_k, percentile):
    """The short name of each statistic: ``top{k}`` and ``p{q}`` for the
    mean of the k largest values and the q-th percentile."""
    names = {"top_k": f"top{top_k}", "percentile": f"p{percentile:g}"}
    return [names.get(s, s) for s in stats]


def pool_values(values, stats, top_k, percentile):
    """Pool ``values`` of shape (n, m, d) over their m positions: (n, d,
    len(stats)) float64.

    ``"top_k"`` is the mean of the ``min(top_k, m)`` largest values,
    ``"percentile"`` :func:`numpy.percentile` (linear interpolation),
    ``"std"`` the population standard deviation.
    """
    values = np.asarray(values)
    n, m, d = values.shape
    out = np.empty((n, d, len(stats)), dtype=np.float64)
    for j, stat in enumerate(stats):
        if stat == "mean":
            out[..., j] = values.mean(axis=1, dtype=np.float64)
        elif stat == "std":
            out[..., j] = values.std(axis=1, dtype=np.float64)
        elif stat == "sum":
            out[..., j] = values.sum(axis=1, dtype=np.float64)
        elif stat == "max":
            out[..., j] = values.max(axis=1)
        elif stat == "min":
            out[..., j] = values.min(axis=1)
        elif stat == "top_k":
            k = min(top_k, m)
            largest = np.partition(values, m - k, axis=1)[:, m - k :]
            out[..., j] = largest.mean(axis=1, dtype=np.float64)
        else:
            out[..., j] = np.percentile(values, percentile, axis=1)
    return out


def pool_map(values, stats, top_k, percentile):
    """Pool one map (any shape; all its values): a list of floats, as
    :func:`pool_values` pools each of its columns."""
    flat = np.ravel(values)
    out = []
    for stat in stats:
        if stat == "mean":
            out.append(flat.mean(dtype=np.float64))
        elif stat == "std":
            out.append(flat.std(dtype=np.float64))
        elif stat == "sum":
            out.append(flat.sum(dtype=np.float64))
        elif stat == "max":
            out.append(flat.max())
        elif stat == "min":
            out.append(flat.min())
        elif stat == "top_k":
            k = min(top_k, flat.size)
            out.append(np.partition(flat, flat.size - k)[flat.size - k :].mean())
        else:
            out.append(np.percentile(flat, percentile))
    return out
