"""Intervals and tests for cross-validated scores whose training sets
overlap: Nadeau and Bengio's corrected resampled t-statistic (Machine
Learning 52, 2003).

The scores of the folds of a (repeated) cross-validation are not
independent: two folds train on mostly the same images. The plain standard
error of their mean is too small, and a paired t-test over them finds
differences that are not there. The correction multiplies the variance of
the mean by ``1/J + n_test/n_train`` in place of ``1/J`` (``J`` folds).
"""

import math

import numpy as np
from scipy import stats

__all__ = ["corrected_interval", "corrected_ttest", "corrected_variance"]


def corrected_variance(values, n_train, n_test):
    """The corrected variance of the mean of ``values`` (one per fold)."""
    values = np.asarray(values, dtype=np.float64)
    values = values[~np.isnan(values)]
    if len(values) < 2:
        return math.nan
    return (1 / len(values) + n_test / n_train) * values.var(ddof=1)


def corrected_interval(values, n_train, n_test, level=0.95):
    """The mean of ``values`` and its ``level`` interval, ``(mean, low,
    high)``, by Student's t with ``J - 1`` degrees of freedom on the
    corrected variance (NaN folds left out; the interval is NaN with fewer
    than two)."""
    values = np.asarray(values, dtype=np.float64)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return math.nan, math.nan, math.nan
    mean = float(values.mean())
    variance = corrected_variance(values, n_train, n_test)
    if math.isnan(variance):
        return mean, math.nan, math.nan
    half = stats.t.ppf(0.5 + level / 2, len(values) - 1) * math.sqrt(variance)
    return mean, mean - half, mean + half


def corrected_ttest(a, b, n_train, n_test):
    """The corrected resampled paired t-test of ``a`` against ``b`` (scores
    of the same folds): ``(mean difference, t, two-sided p)``. Folds where
    either is NaN are left out; a difference that never varies gives t of
    plus or minus infinity (p 0), or NaN where it is 0."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    kept = ~(np.isnan(a) | np.isnan(b))
    differences = a[kept] - b[kept]
    if len(differences) < 2:
        return math.nan, math.nan, math.nan
    mean = float(differences.mean())
    variance = corrected_variance(differences, n_train, n_test)
    if variance == 0:
        if mean == 0:
            return 0.0, math.nan, math.nan
        return mean, math.copysign(math.inf, mean), 0.0
    t = mean / math.sqrt(variance)
    p = 2 * stats.t.sf(abs(t), len(differences) - 1)
    return mean, float(t), float(p)
