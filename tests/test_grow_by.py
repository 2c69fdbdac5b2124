"""grow_by: a sampling strategy that grows every class by a factor."""

import numpy as np
import pytest
from sklearn.base import clone

from imgbalance.over_sampling import (
    AugmentingOverSampler,
    EmbeddingSMOTE,
    RandomImageOverSampler,
    grow_by,
)


@pytest.mark.parametrize(
    "sampler",
    [
        AugmentingOverSampler(random_state=0),
        RandomImageOverSampler(random_state=0),
        EmbeddingSMOTE(random_state=0, k_neighbors=2),
    ],
    ids=lambda s: type(s).__name__,
)
def test_every_class_grows_by_the_factor(sampler):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (13, 8, 8), dtype=np.uint8)
    y = np.array(["cat"] * 9 + ["dog"] * 4)
    sampler = clone(sampler).set_params(sampling_strategy=grow_by(2.5))
    X_res, y_res = sampler.fit_resample(X, y)
    labels, counts = np.unique(y_res, return_counts=True)
    assert dict(zip(labels.tolist(), counts.tolist())) == {"cat": 22, "dog": 10}
    np.testing.assert_array_equal(X_res[:13], X)  # the originals first


def test_factor_one_changes_nothing_and_bad_factors_are_named():
    y = np.array([0, 0, 1])
    assert grow_by(1)(y) == {0: 2, 1: 1}
    assert repr(grow_by(3)) == "grow_by(3)"
    for factor in (0.5, -1, True, "2", float("nan")):
        with pytest.raises(ValueError, match=r"factor must be a number >= 1; got "):
            grow_by(factor)
