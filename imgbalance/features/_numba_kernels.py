"""Compiled per-pixel loops of HOG and LBP (the optional ``numba`` backend).

Imported only when that backend is used: importing this module imports
numba. Each kernel reproduces the arithmetic of the numpy path in
``_hog.py`` / ``_lbp.py`` (itself tested against scikit-image), one pixel at
a time instead of one array at a time, and releases the GIL so threads can
share a batch.
"""

import math

import numba
import numpy as np

_DEGREES = 180.0 / math.pi
# |error| of the arctan estimate of _row_bins, in radians: 0.00151 at most
# on [0, 1] (Rajan et al. 2006), taken twice for safety
_ATAN_ESTIMATE_ERROR = 0.003


@numba.njit(nogil=True, cache=True)
def _exact_bin(g_row, g_col, edges):
    """Orientation bin by scikit-image's formula: ``i`` where ``edges[i] <=
    arctan2(g_row, g_col) in degrees % 180 < edges[i + 1]``, and
    ``len(edges) - 1`` (no bin) for an angle that rounds to 180, which
    scikit-image counts nowhere."""
    exact = (math.atan2(g_row, g_col) * _DEGREES) % 180.0
    n_bins = edges.shape[0] - 1
    bin_ = min(max(int(exact * (n_bins / 180.0)), 0), n_bins - 1)
    if exact < edges[bin_]:
        bin_ -= 1
    if exact >= edges[bin_ + 1]:
        bin_ += 1
    return bin_


@numba.njit(nogil=True, cache=True)
def _row_bins(g_row, g_col, edges, position, bins, magnitude):
    """Orientation bins and magnitudes of a row of gradients, as
    ``skimage.feature.hog`` bins them (see :func:`_exact_bin`).

    As ``_hog._orientation_bins``: a rational estimate of the angle (error
    below 0.0015 rad), computed with selects rather than branches so the
    loop vectorises, gives the bin of every gradient clearly inside one;
    those within the estimate's error of an edge take the exact formula.
    """
    n_bins = edges.shape[0] - 1
    to_position = n_bins / math.pi
    for c in range(g_row.shape[0]):
        r, q = np.float64(g_row[c]), np.float64(g_col[c])
        magnitude[c] = math.sqrt(r * r + q * q)
        flip = r < 0.0  # the angle modulo pi: turned into the upper half
        r = -r if flip else r
        q = -q if flip else q
        a = abs(q)
        steep = r > a
        big = r if steep else a
        small = a if steep else r
        z = small / big if big > 0.0 else 0.0  # in [0, 1]
        angle = (math.pi / 4) * z - z * (z - 1.0) * (0.2447 + 0.0663 * z)
        angle = math.pi / 2 - angle if steep else angle  # arctan(r / |q|)
        angle = math.pi - angle if q < 0.0 else angle
        position[c] = angle * to_position  # in bin widths, in [0, n_bins]
    margin = _ATAN_ESTIMATE_ERROR * to_position
    for c in range(g_row.shape[0]):
        bin_ = int(position[c])
        fraction = position[c] - bin_
        if (fraction < margin or fraction > 1.0 - margin) and g_row[c] != 0:
            bin_ = _exact_bin(np.float64(g_row[c]), np.float64(g_col[c]), edges)
        elif g_row[c] == 0:
            bin_ = 0  # angle 0 or 180 % 180 (and 0 / 0): bin 0
        bins[c] = bin_


@numba.njit(nogil=True, cache=True)
def _row_gradients(images, i, r, integer_valued, g_row, g_col):
    """Gradients of row ``r`` of image ``i`` into ``g_row``, ``g_col`` (as
    long as the row's used part): central differences, zero on the border,
    of the strongest channel (the first on ties), in the images' type."""
    height, width, channels = images.shape[1:]
    inner_r = 0 < r < height - 1
    for c in range(g_row.shape[0]):
        inner_c = 0 < c < width - 1
        best = -1.0
        for k in range(channels):
            d_row = images[i, r + 1, c, k] - images[i, r - 1, c, k] if inner_r else 0
            d_col = images[i, r, c + 1, k] - images[i, r, c - 1, k] if inner_c else 0
            if channels == 1:
                g_row[c], g_col[c] = d_row, d_col
                break
            if integer_valued:  # exact squares order as hypot does
                strength = d_row * d_row + d_col * d_col
            else:
                strength = math.hypot(d_row, d_col)
            if strength > best:
                best = strength
                g_row[c], g_col[c] = d_row, d_col


@numba.njit(nogil=True, cache=True)
def hog_cell_histograms(images, c_row, c_col, edges, integer_valued, out):
    """Cell histograms of HOG into ``out`` (n, cells_row, cells_col, bins).

    ``images`` is (n, h, w, c) in the float type of the gradients; each
    pixel takes the gradient of its strongest channel, votes its magnitude
    into its orientation bin, and each cell's sums are divided by its pixel
    count, as ``skimage.feature.hog``.
    """
    n_cells_row, n_cells_col, n_bins = out.shape[1:]
    scale = 1.0 / (c_row * c_col)
    used = n_cells_col * c_col
    g_row = np.empty(used, dtype=images.dtype)
    g_col = np.empty_like(g_row)
    position, magnitude = np.empty(used), np.empty(used)
    bins = np.empty(used, dtype=np.intp)
    sums = np.empty((n_cells_col, n_bins + 1))  # + the no-bin of angle 180
    for i in range(images.shape[0]):
        for cell_r in range(n_cells_row):
            sums[:] = 0.0
            for r in range(cell_r * c_row, (cell_r + 1) * c_row):
                _row_gradients(images, i, r, integer_valued, g_row, g_col)
                _row_bins(g_row, g_col, edges, position, bins, magnitude)
                for cell_c in range(n_cells_col):
                    for c in range(cell_c * c_col, (cell_c + 1) * c_col):
                        sums[cell_c, bins[c]] += magnitude[c]
            for cell_c in range(n_cells_col):
                for o in range(n_bins):
                    out[i, cell_r, cell_c, o] = sums[cell_c, o] * scale


@numba.njit(nogil=True, cache=True)
def hog_normalise_blocks(histogram, b_row, b_col, method, eps, out):
    """Normalised blocks of cell histograms into ``out`` (n, n_features),
    in scikit-image's order (block row, block column, cell row, cell
    column, orientation); ``method`` 0 L1, 1 L1-sqrt, 2 L2, 3 L2-Hys."""
    n, n_cells_row, n_cells_col, n_bins = histogram.shape
    size = b_row * b_col * n_bins
    block = np.empty(size)
    for i in range(n):
        k = 0
        for block_r in range(n_cells_row - b_row + 1):
            for block_c in range(n_cells_col - b_col + 1):
                j = 0
                for a in range(b_row):
                    for b in range(b_col):
                        for o in range(n_bins):
                            block[j] = histogram[i, block_r + a, block_c + b, o]
                            j += 1
                total = 0.0
                for j in range(size):
                    total += abs(block[j]) if method < 2 else block[j] * block[j]
                if method < 2:
                    total += eps
                    for j in range(size):
                        value = block[j] / total
                        out[i, k + j] = math.sqrt(value) if method == 1 else value
                else:
                    total = math.sqrt(total + eps * eps)
                    for j in range(size):
                        block[j] /= total
                    if method == 3:
                        total = 0.0
                        for j in range(size):
                            block[j] = min(block[j], 0.2)
                            total += block[j] * block[j]
                        total = math.sqrt(total + eps * eps)
                        for j in range(size):
                            block[j] /= total
                    for j in range(size):
                        out[i, k + j] = block[j]
                k += size


@numba.njit(nogil=True, cache=True)
def _popcount(value):
    value = value - ((value >> 1) & 0x5555555555555555)
    value = (value & 0x3333333333333333) + ((value >> 2) & 0x3333333333333333)
    value = (value + (value >> 4)) & 0x0F0F0F0F0F0F0F0F
    return (value * 0x0101010101010101) >> 56


@numba.njit(nogil=True, cache=True)
def _code(bits, P, method):
    """The pattern code of one pixel, as scikit-image codes it, from its
    default code ``bits`` (bit p set when neighbour p is not below the
    centre); ``method`` 0 default, 1 ror, 2 uniform, 3 nri_uniform."""
    if method == 0:
        return bits
    if method == 1:  # the smallest rotation
        code = bits
        rotated = bits
        for _ in range(1, P):
            rotated = (rotated >> 1) | ((rotated & 1) << (P - 1))
            code = min(code, rotated)
        return code
    # 0/1 changes between neighbours 0..P-1, not round the circle
    changes = _popcount((bits ^ (bits >> 1)) & ((1 << (P - 1)) - 1))
    n_ones = _popcount(bits)
    if method == 2:  # uniform
        return n_ones if changes <= 2 else P + 1
    if changes > 2:  # nri_uniform from here
        return P * (P - 1) + 2
    if n_ones == 0:
        return 0
    if n_ones == P:
        return P * (P - 1) + 1
    first_one = _popcount((bits & -bits) - 1)  # index of the lowest 1
    zeros = ~bits
    first_zero = _popcount((zeros & -zeros) - 1)  # index of the lowest 0
    rot_index = n_ones - first_zero if first_one == 0 else P - first_one
    return 1 + (n_ones - 1) * P + rot_index


@numba.njit(nogil=True, cache=True)
def lbp_codes(images, rr, cc, method, out):
    """Local binary pattern codes of ``images`` (n, h, w) float64 into
    ``out`` (n, h, w) int64, as ``skimage.feature.local_binary_pattern``.

    ``rr``, ``cc`` are the neighbour offsets; ``method`` is 0 default, 1
    ror, 2 uniform, 3 nri_uniform. Each neighbour is interpolated with the
    arithmetic of scikit-image's ``bilinear_interpolation`` (zero outside:
    the image is read from a zero-padded copy), its corners and fractions
    taken per row and per column as scikit-image computes them; one loop
    along a row per neighbour.
    """
    n, height, width = images.shape
    P = rr.shape[0]
    margin = 1
    for p in range(P):
        margin = max(margin, int(math.ceil(abs(rr[p]))) + 1)
        margin = max(margin, int(math.ceil(abs(cc[p]))) + 1)
    low_r = np.empty((P, height), dtype=np.int64)
    high_r = np.empty((P, height), dtype=np.int64)
    frac_r = np.empty((P, height))
    for p in range(P):
        for r in range(height):
            position = r + rr[p]
            low_r[p, r] = int(math.floor(position))
            high_r[p, r] = int(math.ceil(position))
            frac_r[p, r] = position - low_r[p, r]
    # columns: the corners are one shift for every column (an offset is
    # whole or at least 1e-5 from whole), the fractions are per column
    low_c = np.empty(P, dtype=np.int64)
    high_c = np.empty(P, dtype=np.int64)
    frac_c = np.empty((P, width))
    for p in range(P):
        low_c[p] = int(math.floor(cc[p])) + margin
        high_c[p] = int(math.ceil(cc[p])) + margin
        for c in range(width):
            position = c + cc[p]
            frac_c[p, c] = position - math.floor(position)
            assert math.floor(position) == c + low_c[p] - margin
    padded = np.zeros((height + 2 * margin, width + 2 * margin))
    bits = np.empty(width, dtype=np.int64)
    for i in range(n):
        padded[margin : margin + height, margin : margin + width] = images[i]
        for r in range(height):
            bits[:] = 0
            centre = images[i, r]
            for p in range(P):
                top_row = padded[low_r[p, r] + margin]
                bottom_row = padded[high_r[p, r] + margin]
                dr = frac_r[p, r]
                low, high, fractions = low_c[p], high_c[p], frac_c[p]
                if low == high and dr == 0.0:  # a whole offset: no blend
                    for c in range(width):
                        texture = top_row[low + c]
                        bits[c] |= np.int64(texture - centre[c] >= 0) << p
                    continue
                for c in range(width):
                    dc = fractions[c]
                    top = (1 - dc) * top_row[low + c] + dc * top_row[high + c]
                    bottom = (1 - dc) * bottom_row[low + c] + dc * bottom_row[high + c]
                    texture = (1 - dr) * top + dr * bottom
                    bits[c] |= np.int64(texture - centre[c] >= 0) << p
            for c in range(width):
                out[i, r, c] = _code(bits[c], P, method)


@numba.njit(nogil=True, cache=True)
def count_codes(codes, cell_of_row, cell_of_col, n_cells_col, out):
    """Counts of each code per cell into ``out`` (n, n_cells, n_codes)."""
    n, height, width = codes.shape
    for i in range(n):
        for r in range(height):
            row_cells = cell_of_row[r] * n_cells_col
            for c in range(width):
                out[i, row_cells + cell_of_col[c], codes[i, r, c]] += 1
