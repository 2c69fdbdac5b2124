"""Class and sample weights."""

import re

import numpy as np
import pytest
from sklearn.utils.class_weight import compute_class_weight

from imgbalance.class_weight import class_weights, sample_weights


@pytest.mark.parametrize(
    "y",
    [
        [0] * 50 + [1] * 7 + [2] * 3,
        ["cat"] * 10 + ["dog"] * 3 + ["sea lion"] * 1,
        [5, 5, 9, 9, 9, -2],  # labels that are not 0..k-1
    ],
)
def test_balanced_equals_scikit_learn(y):
    classes = np.unique(y)
    expected = compute_class_weight("balanced", classes=classes, y=np.asarray(y))
    weights = class_weights(y)
    assert list(weights) == classes.tolist()
    np.testing.assert_allclose(list(weights.values()), expected, rtol=1e-15)
    np.testing.assert_allclose(
        sample_weights(y),
        [weights[label] for label in np.asarray(y).tolist()],
        rtol=1e-15,
    )


def test_effective_number_closed_form():
    """Cui et al. 2019: w_c proportional to (1 - beta) / (1 - beta ** n_c),
    normalised to sum to the number of classes; by hand for n = 100, 10, 1."""
    y = [0] * 100 + [1] * 10 + [2]
    beta = 0.9
    raw = [(1 - 0.9) / (1 - 0.9**100), (1 - 0.9) / (1 - 0.9**10), 1.0]
    expected = [3 * r / sum(raw) for r in raw]
    weights = class_weights(y, method="effective_number", beta=beta)
    np.testing.assert_allclose(list(weights.values()), expected, rtol=1e-12)
    assert sum(weights.values()) == pytest.approx(3)
    # beta = 0: every class counts as one sample, so all weights are 1
    flat = class_weights(y, method="effective_number", beta=0)
    assert list(flat.values()) == [1.0, 1.0, 1.0]
    # beta -> 1: inverse frequency, proportional to "balanced"
    near = class_weights(y, method="effective_number", beta=1 - 1e-9)
    balanced = class_weights(y)
    ratio = np.array(list(near.values())) / np.array(list(balanced.values()))
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-5)


def test_inverse_sqrt_and_none():
    y = ["a"] * 64 + ["b"] * 16 + ["c"] * 4
    weights = class_weights(y, method="inverse_sqrt")
    # proportional to 1/8, 1/4, 1/2, with sample weights averaging 1
    assert weights["b"] / weights["a"] == pytest.approx(2)
    assert weights["c"] / weights["a"] == pytest.approx(4)
    assert sample_weights(y, method="inverse_sqrt").mean() == pytest.approx(1)
    assert class_weights(y, method="none") == {"a": 1.0, "b": 1.0, "c": 1.0}


def test_classes_order_and_errors():
    y = ["b", "a", "b", "c"]
    assert list(class_weights(y, classes=["c", "b", "a"])) == ["c", "b", "a"]
    with pytest.raises(
        ValueError, match=re.escape("classes ['zebra'] do not occur in y")
    ):
        class_weights(y, classes=["a", "b", "c", "zebra"])
    with pytest.raises(ValueError, match=re.escape("y holds labels ['c'] missing")):
        class_weights(y, classes=["a", "b"])
    with pytest.raises(ValueError, match="classes holds a label twice"):
        class_weights(y, classes=["a", "b", "c", "a"])
    with pytest.raises(ValueError, match="y is empty"):
        class_weights([])
    with pytest.raises(ValueError, match="y must be 1-D"):
        class_weights([[0, 1], [1, 0]])
    for beta in (1, 1.5, -0.1):
        with pytest.raises(ValueError, match="The 'beta' parameter"):
            class_weights(y, method="effective_number", beta=beta)
    with pytest.raises(ValueError, match="The 'method' parameter"):
        sample_weights(y, method="focal")


def test_weights_in_a_classifier():
    """sample_weights in fit gives what class_weight='balanced' gives."""
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression

    X, y = load_digits(return_X_y=True)
    keep = (y != 3) | (np.arange(len(y)) % 10 == 0)  # class 3 made rare
    X, y = X[keep] / 16, y[keep]
    weighted = LogisticRegression(max_iter=3000).fit(
        X, y, sample_weight=sample_weights(y)
    )
    balanced = LogisticRegression(max_iter=3000, class_weight="balanced").fit(X, y)
    np.testing.assert_allclose(weighted.coef_, balanced.coef_, rtol=1e-4, atol=1e-6)
