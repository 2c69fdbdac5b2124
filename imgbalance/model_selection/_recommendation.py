"""The rule by which a comparison recommends a strategy.

Each strategy's gain over the baseline (class weights) is measured on the
same folds; with tiny classes that measure is mostly noise, and the largest
of ten noisy gains is larger than the true one (the winner's curse). So the
measured gain is weighed against its noise: the gains remedies bring over
class weights are taken to spread around zero by ``PRIOR_SPREAD`` (a normal
prior), and each measured gain is shrunk toward zero by how noisy it is,

    expected = measured * spread**2 / (spread**2 + variance),

the variance being that of the mean paired difference, corrected for
overlapping training sets (Nadeau and Bengio). A gain measured on many
steady folds keeps most of its size; one measured on four folds of two
images each keeps little. The strategy with the largest expected gain is
recommended, the baseline when none is expected to gain; a strategy that
failed on a fold is not recommended.
"""

import math
from typing import NamedTuple

import numpy as np

from ._stats import corrected_variance

__all__ = ["PRIOR_SPREAD", "Recommendation", "expected_gains", "recommend"]

# how far the true gains of remedies over class weights spread, in the
# first metric's units (balanced accuracy): a few points either way
PRIOR_SPREAD = 0.025


class Recommendation(NamedTuple):
    """The strategy recommended and why, in one sentence."""

    strategy: str
    reason: str


def expected_gains(comparison):
    """Strategy -> ``(measured gain, its corrected standard error, expected
    gain)`` over the baseline on the first metric, for every strategy but
    the baseline scored on two folds or more alongside it."""
    first = comparison.scores[comparison.metrics[0]]
    base = first[comparison.strategies.index(comparison.baseline)]
    out = {}
    for s, name in enumerate(comparison.strategies):
        if name == comparison.baseline:
            continue
        difference = first[s] - base
        difference = difference[~np.isnan(difference)]
        variance = corrected_variance(difference, comparison.n_train, comparison.n_test)
        if math.isnan(variance):
            continue
        measured = float(difference.mean())
        prior = PRIOR_SPREAD**2
        out[name] = (
            measured,
            math.sqrt(variance),
            measured * prior / (prior + variance),
        )
    return out


def recommend(comparison, rows):
    """The :class:`Recommendation` for ``comparison`` (a StrategyComparison)
    whose :meth:`rows` are ``rows``."""
    metric, baseline = comparison.metrics[0], comparison.baseline
    by_name = {row["strategy"]: row for row in rows}
    usable = {
        name
        for name, row in by_name.items()
        if row["failed folds"] == 0 and row["folds"] >= 2
    }
    if baseline not in usable or len(usable) == 1:
        return Recommendation(
            baseline,
            f"{baseline}: too few folds to compare the strategies "
            f"({by_name[baseline]['folds']} scored), so the baseline stays.",
        )
    gains = {n: g for n, g in expected_gains(comparison).items() if n in usable}
    if not gains:
        return Recommendation(
            baseline,
            f"{baseline}: no other strategy was scored on the same folds, so the "
            "baseline stays.",
        )
    simplicity = dict(zip(comparison.strategies, comparison.simplicity))
    best = max(gains, key=lambda n: (gains[n][2], -simplicity[n]))
    measured, error, expected = gains[best]
    weighed = (
        f"measured {measured:+.3f} ± {error:.3f} on {metric} over "
        f"{by_name[best]['folds']} folds, expected {expected:+.3f} once weighed "
        f"against that noise"
    )
    if expected <= 0:
        return Recommendation(
            baseline,
            f"{baseline}: no strategy is expected to do better (the best, {best}: "
            f"{weighed}), and it is the simplest remedy.",
        )
    return Recommendation(
        best,
        f"{best}: the largest expected gain over {baseline} ({weighed}).",
    )
