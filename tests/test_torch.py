"""The PyTorch bridge: weight tensors and samplers for DataLoader."""

import re
import sys

import numpy as np
import pytest

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed (make test installs the CPU build)"
)

from imblearn.over_sampling import SMOTE, RandomOverSampler  # noqa: E402
from imblearn.under_sampling import TomekLinks  # noqa: E402

from imgbalance.class_weight import class_weights  # noqa: E402
from imgbalance.torch import (  # noqa: E402
    ClassBalancedSampler,
    ResamplingSampler,
    class_weight_tensor,
)
from imgbalance.under_sampling import RandomImageUnderSampler  # noqa: E402


class Dataset:
    """Like torchvision's datasets: labels in ``targets``."""

    def __init__(self, targets):
        self.targets = targets

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, i):
        return torch.tensor([float(i)]), self.targets[i]


def within_binomial(count, n, p):
    """count is within 5 standard deviations of n draws of probability p."""
    return abs(count - n * p) <= 5 * np.sqrt(n * p * (1 - p))


def test_class_weight_tensor_for_cross_entropy():
    y = [0] * 30 + [1] * 6 + [2] * 4
    weight = class_weight_tensor(y)
    assert weight.dtype == torch.float32 and weight.shape == (3,)
    expected = list(class_weights(y).values())
    np.testing.assert_allclose(weight.numpy(), expected, rtol=1e-6)
    # the weighted loss is sum(w[y_i] * nll_i) / sum(w[y_i])
    logits = torch.randn(len(y), 3, generator=torch.Generator().manual_seed(0))
    target = torch.tensor(y)
    loss = torch.nn.CrossEntropyLoss(weight=weight)(logits, target)
    nll = -torch.log_softmax(logits, dim=1)[torch.arange(len(y)), target]
    manual = (weight[target] * nll).sum() / weight[target].sum()
    assert loss.item() == pytest.approx(manual.item(), rel=1e-6)
    # from a dataset's targets, a tensor of labels, in a chosen order
    dataset = Dataset(torch.tensor(y))
    assert torch.equal(class_weight_tensor(dataset), weight)
    reordered = class_weight_tensor(y, classes=[2, 1, 0], method="effective_number")
    effective = class_weights(y, method="effective_number")
    np.testing.assert_allclose(
        reordered.numpy(), [effective[2], effective[1], effective[0]], rtol=1e-6
    )
    assert class_weight_tensor(["b", "a", "a"], device="cpu").device.type == "cpu"


@pytest.mark.parametrize("method", ["balanced", "effective_number", "none"])
def test_class_balanced_sampler_frequencies(method):
    y = np.array([0] * 900 + [1] * 90 + [2] * 10)
    sampler = ClassBalancedSampler(
        y,
        num_samples=30000,
        method=method,
        beta=0.99,
        generator=torch.Generator().manual_seed(1),
    )
    indices = np.array(list(sampler))
    assert len(indices) == len(sampler) == 30000
    weights = class_weights(y, method=method, beta=0.99)
    mass = np.array([np.sum(y == c) * weights[c] for c in (0, 1, 2)])
    expected = mass / mass.sum()
    np.testing.assert_allclose(sampler.class_probabilities_, expected)
    if method == "balanced":
        np.testing.assert_allclose(expected, [1 / 3] * 3)
    counts = np.bincount(y[indices], minlength=3)
    for c in range(3):
        assert within_binomial(counts[c], 30000, expected[c]), (c, counts)
    # within a class, items are drawn uniformly: all ten of class 2 appear
    rare = indices[y[indices] == 2]
    per_item = np.bincount(rare - 990, minlength=10)
    assert all(within_binomial(k, len(rare), 0.1) for k in per_item), per_item


def test_class_balanced_sampler_is_seeded_and_feeds_a_dataloader():
    y = [0] * 40 + [1] * 4
    first = list(ClassBalancedSampler(y, generator=torch.Generator().manual_seed(3)))
    again = list(ClassBalancedSampler(y, generator=torch.Generator().manual_seed(3)))
    assert first == again
    sampler = ClassBalancedSampler(
        Dataset(y), generator=torch.Generator().manual_seed(3)
    )
    assert list(sampler) != list(sampler)  # a new draw each epoch
    loader = torch.utils.data.DataLoader(Dataset(y), batch_size=11, sampler=sampler)
    batches = list(loader)
    assert [len(b[1]) for b in batches] == [11, 11, 11, 11]
    with pytest.raises(ValueError, match="num_samples must be positive"):
        ClassBalancedSampler(y, num_samples=0)


def test_class_balanced_sampler_past_two_to_the_24():
    """torch.multinomial (behind WeightedRandomSampler) refuses more than
    2**24 categories; drawing a class, then an item, does not need a weight
    per item."""
    n = 2**24 + 5
    with pytest.raises(RuntimeError, match="cannot exceed 2\\^24"):
        torch.multinomial(torch.ones(n), 1)
    y = np.zeros(n, dtype=np.int8)
    y[-3:] = 1
    sampler = ClassBalancedSampler(
        y, num_samples=20000, generator=torch.Generator().manual_seed(0)
    )
    indices = np.array(list(sampler))
    assert indices.max() < n
    assert within_binomial(np.sum(y[indices] == 1), 20000, 0.5)
    assert set(indices[y[indices] == 1].tolist()) == {n - 3, n - 2, n - 1}
    assert (indices >= 2**24).any()


def test_resampling_sampler_epochs():
    y = np.array([0] * 20 + [1] * 5 + [2] * 2)
    sampler = ResamplingSampler(
        RandomOverSampler(),
        Dataset(torch.tensor(y)),
        generator=torch.Generator().manual_seed(0),
    )
    assert len(sampler) == 60
    epochs = [list(sampler) for _ in range(3)]
    for indices in epochs:
        assert np.bincount(y[indices]).tolist() == [20, 20, 20]
        assert sorted(set(indices) & set(range(20))) == list(range(20))
    assert epochs[0] != epochs[1]
    replay = ResamplingSampler(
        RandomOverSampler(), y, generator=torch.Generator().manual_seed(0)
    )
    assert [list(replay) for _ in range(3)] == epochs
    under = ResamplingSampler(
        RandomImageUnderSampler(),
        y,
        shuffle=False,
        generator=torch.Generator().manual_seed(1),
    )
    indices = list(under)
    assert len(indices) == len(under) == 6
    assert y[indices].tolist() == [0, 0, 1, 1, 2, 2]  # by class, not shuffled


def test_resampling_sampler_errors():
    y = [0] * 10 + [1] * 4
    with pytest.raises(ValueError, match="TomekLinks has no random_state"):
        ResamplingSampler(TomekLinks(), y)
    with pytest.raises(
        ValueError, match=re.escape("SMOTE sets no sample_indices_; ResamplingSampler")
    ):
        ResamplingSampler(SMOTE(k_neighbors=2), y)
    with pytest.raises(ValueError, match="y must be 1-D"):
        ClassBalancedSampler(np.zeros((3, 2)))


def test_missing_torch_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch fails
    with pytest.raises(ImportError, match="imgbalance.torch needs PyTorch: pip"):
        class_weight_tensor([0, 1])
