"""The pixels of SMOTE's synthetic images: blended between two real images,
or decoded from synthetic embeddings, written straight into the output a
chunk at a time."""

import numpy as np
from sklearn.decomposition import PCA

from ..._contract._intensity import full_scale
from ..._contract._out_of_core import on_disk, take_rows_from, value_bounds

__all__ = ["make_pixels", "pixel_chunk", "pixel_range"]

# bytes of float pixels decoded or interpolated at a time (bounds the copies)
CHUNK_BYTES = 16 << 20


def pixel_chunk(n_features, work):
    """The rows of pixels made at a time (a chunk of ``CHUNK_BYTES``)."""
    return max(1, CHUNK_BYTES // (n_features * np.dtype(work).itemsize))


def pixel_range(rows):
    """The range output pixels are clipped to: for integers, the dtype's
    range by imgbalance's rule (0..255, uint16 0..65535), widened to the
    input's own values and cut to what the dtype holds; for floats, the
    input's range. Rows on disk are read a part at a time."""
    if rows.dtype.kind == "b":
        return 0, 1
    found = value_bounds(rows) if on_disk(rows) else (rows.min(), rows.max())
    if rows.dtype.kind in "iu":
        info = np.iinfo(rows.dtype)
        low = min(0, int(found[0]))
        high = max(int(full_scale(rows.dtype)), int(found[1]))
        return max(low, info.min), min(high, info.max)
    return found


def _store(values, out, low, high):
    """Write float pixel values into ``out``: clipped to [low, high] and,
    for an integer ``out``, rounded (``values`` is overwritten; nothing to
    copy when it is ``out`` itself)."""
    np.clip(values, low, high, out=values)
    if out.dtype.kind in "iub":
        np.rint(values, out=values)
    if values is not out:
        out[...] = values


def _pca_decoder(embedder, work):
    """For a fitted PCA without whitening whose decoding comes out in
    ``work``: ``decode(z, into)``, the arithmetic of its
    ``inverse_transform`` (``z @ components_ + mean_``) written into
    ``into`` rather than into new arrays; else None."""
    if type(embedder) is not PCA or embedder.whiten:
        return None
    components, mean = embedder.components_, embedder.mean_
    if np.result_type(components, mean) != work:
        return None

    def decode(z, into):
        if np.result_type(z, components) != work:
            into[...] = embedder.inverse_transform(z)
            return into
        np.matmul(np.ascontiguousarray(z), components, out=into)
        into += mean
        return into

    return decode


def make_pixels(
    embedder,
    generation,
    rows,
    pairs,
    new_embedding,
    work,
    out,
    bounds=None,
):
    """The synthetic images' pixels into ``out`` (a row each, of ``rows``'s
    dtype), a chunk at a time: blended between ``rows[sources]`` and
    ``rows[neighbors]`` by ``gaps`` (``pairs``: those three;
    ``generation="interpolate"``), or ``new_embedding`` decoded by the
    fitted ``embedder``, in pixels scaled to [0, 1] (as it was fitted),
    then back to the input's scale.

    Computed in ``work`` (float32 or float64); where ``out`` is of that
    type, straight into it, else through one buffer reused by every chunk.
    ``bounds``: :func:`pixel_range` of ``rows``, if known.
    """
    sources, neighbors, gaps = pairs
    low, high = pixel_range(rows) if bounds is None else bounds
    scale = full_scale(rows.dtype)
    n_features = rows.shape[1]
    chunk = pixel_chunk(n_features, work)
    in_place = out.dtype == work
    buffer = None if in_place else np.empty((min(chunk, len(out)), n_features), work)
    decode = _pca_decoder(embedder, work) if generation == "decode" else None
    for start in range(0, len(sources), chunk):
        part = slice(start, start + chunk)
        target = out[part]
        into = target if in_place else buffer[: len(target)]
        if generation == "interpolate":
            np.copyto(into, take_rows_from(rows, sources[part]), casting="unsafe")
            step = take_rows_from(rows, neighbors[part]).astype(work)
            step -= into
            step *= gaps[part, None].astype(work)
            into += step
        else:
            z_new = new_embedding[part]
            if decode is not None:
                decode(z_new, into)
            else:
                into[...] = embedder.inverse_transform(z_new)
            if scale != 1:
                into *= work(scale)
        _store(into, target, low, high)
