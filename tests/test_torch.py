"""The PyTorch bridge: weight tensors and samplers for DataLoader."""

import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed (make test installs the CPU build)"
)

from imblearn.over_sampling import RandomOverSampler  # noqa: E402
from imblearn.under_sampling import RandomUnderSampler  # noqa: E402

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


class Labelled(torch.utils.data.Dataset):
    """A dataset holding its labels in the attribute ``name``."""

    def __init__(self, labels, name="targets"):
        setattr(self, name, labels)
        self.size = len(labels)

    def __len__(self):
        return self.size

    def __getitem__(self, i):
        return torch.tensor([float(i)])


class Unlabelled(torch.utils.data.Dataset):
    """A dataset that only gives its labels item by item."""

    def __len__(self):
        return 3

    def __getitem__(self, i):
        return torch.tensor([float(i)]), i % 2


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
    with pytest.raises(
        ValueError, match="ClassBalancedSampler: num_samples must be 1 or more; got 0"
    ):
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
        Dataset(torch.tensor(y)),
        RandomOverSampler(),
        generator=torch.Generator().manual_seed(0),
    )
    assert len(sampler) == 60
    epochs = [list(sampler) for _ in range(3)]
    for indices in epochs:
        assert np.bincount(y[indices]).tolist() == [20, 20, 20]
        assert sorted(set(indices) & set(range(20))) == list(range(20))
    assert epochs[0] != epochs[1]
    replay = ResamplingSampler(
        y, RandomOverSampler(), generator=torch.Generator().manual_seed(0)
    )
    assert [list(replay) for _ in range(3)] == epochs
    under = ResamplingSampler(
        y,
        RandomImageUnderSampler(),
        shuffle=False,
        generator=torch.Generator().manual_seed(1),
    )
    indices = list(under)
    assert len(indices) == len(under) == 6
    assert y[indices].tolist() == [0, 0, 1, 1, 2, 2]  # by class, not shuffled


def test_labels_must_be_1d():
    with pytest.raises(ValueError, match="y must be 1-D"):
        ClassBalancedSampler(np.zeros((3, 2)))


def test_missing_torch_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch fails
    with pytest.raises(ImportError, match="imgbalance.torch needs PyTorch: pip"):
        class_weight_tensor([0, 1])


# labels of items 0..9: class 0 at 1, 3, 4, 6, 8, 9; class 1 at 2, 5; 2 at 0, 7
TARGETS = [2, 0, 1, 0, 0, 1, 0, 2, 0, 0]


def split(dataset, lengths, seed):
    generator = torch.Generator().manual_seed(seed)
    return torch.utils.data.random_split(dataset, lengths, generator=generator)


def test_random_split_indices_the_cases_rely_on():
    train, test = split(Labelled(TARGETS), [6, 4], 0)
    assert (train.indices, test.indices) == ([4, 1, 7, 5, 3, 9], [0, 8, 6, 2])
    first, second = split(train, [4, 2], 1)
    assert (first.indices, second.indices) == ([1, 5, 2, 0], [3, 4])


Subset = torch.utils.data.Subset
# (y, its labels, their "balanced" class weights, each class's share of items)
DATASETS = [
    pytest.param(
        Subset(Labelled(TARGETS), [7, 1, 2, 0, 5]),
        [2, 0, 1, 2, 1],
        [5 / 3, 5 / 6, 5 / 6],
        [1 / 5, 2 / 5, 2 / 5],
        id="subset-of-list-targets",
    ),
    pytest.param(
        Subset(Labelled(torch.tensor(TARGETS)), [7, 1, 2, 0, 5]),
        [2, 0, 1, 2, 1],
        [5 / 3, 5 / 6, 5 / 6],
        [1 / 5, 2 / 5, 2 / 5],
        id="subset-of-tensor-targets",
    ),
    pytest.param(
        split(Labelled(np.array(TARGETS)), [6, 4], 0)[0],  # items 4 1 7 5 3 9
        [0, 0, 2, 1, 0, 0],
        [1 / 2, 2, 2],
        [4 / 6, 1 / 6, 1 / 6],
        id="random-split",
    ),
    pytest.param(
        split(split(Labelled(TARGETS), [6, 4], 0)[0], [4, 2], 1)[0],  # 1 9 7 4
        [0, 0, 2, 0],
        [2 / 3, 2],
        [3 / 4, 1 / 4],
        id="random-split-of-random-split",
    ),
    pytest.param(
        Subset(Subset(Labelled(TARGETS), [9, 8, 7, 6, 5]), [4, 2, 0]),  # 5 7 9
        [1, 2, 0],
        [1, 1, 1],
        [1 / 3, 1 / 3, 1 / 3],
        id="subset-of-subset",
    ),
    pytest.param(
        torch.utils.data.ConcatDataset(
            [
                Labelled([1, 0]),
                Subset(Labelled(torch.tensor([2, 2, 1, 0])), [3, 0]),
                Labelled(np.array([1]), name="y"),
            ]
        ),
        [1, 0, 0, 2, 1],
        [5 / 6, 5 / 6, 5 / 3],
        [2 / 5, 2 / 5, 1 / 5],
        id="concat-dataset",
    ),
    pytest.param(
        Labelled(np.array([1, 1, 1, 0]), name="labels"),
        [1, 1, 1, 0],
        [2, 2 / 3],
        [1 / 4, 3 / 4],
        id="labels-attribute",
    ),
    pytest.param(
        Labelled(torch.tensor([0, 2, 2, 2]), name="y"),
        [0, 2, 2, 2],
        [2, 2 / 3],
        [1 / 4, 3 / 4],
        id="y-attribute",
    ),
]


@pytest.mark.parametrize("y, labels, weights, shares", DATASETS)
def test_class_weight_tensor_from_datasets(y, labels, weights, shares):
    assert class_weight_tensor(y).tolist() == pytest.approx(weights, rel=1e-6)


@pytest.mark.parametrize("y, labels, weights, shares", DATASETS)
def test_class_balanced_sampler_from_datasets(y, labels, weights, shares):
    sampler = ClassBalancedSampler(y, method="none")
    assert sampler.classes_.tolist() == sorted(set(labels))
    assert sampler.class_probabilities_.tolist() == pytest.approx(shares)
    # the same draws as from the labels themselves: same items for each class
    drawn = ClassBalancedSampler(y, generator=torch.Generator().manual_seed(0))
    reference = ClassBalancedSampler(labels, generator=torch.Generator().manual_seed(0))
    assert list(drawn) == list(reference)


@pytest.mark.parametrize("y, labels, weights, shares", DATASETS)
def test_resampling_sampler_from_datasets(y, labels, weights, shares):
    sampler = ResamplingSampler(
        y, RandomUnderSampler(), generator=torch.Generator().manual_seed(0)
    )
    assert sampler.y.tolist() == labels
    drawn = [labels[i] for i in sampler]  # under-sampled: classes equal
    assert sorted(set(drawn)) == sorted(set(labels))
    assert len({drawn.count(c) for c in labels}) == 1


def test_labels_attribute_order_and_missing_values():
    both = Labelled([0, 0, 1], name="labels")
    both.targets = [1, 1, 0]  # targets first
    assert class_weight_tensor(both).tolist() == pytest.approx([3 / 2, 3 / 4])
    unset = Labelled([0, 0, 1], name="y")
    unset.targets = None  # as some datasets keep for an unlabelled split
    assert class_weight_tensor(unset).tolist() == pytest.approx([3 / 4, 3 / 2])
    # labels themselves are not searched for attributes: a Series would
    # answer series.targets with its item at index "targets"
    pandas = pytest.importorskip("pandas")
    series = pandas.Series([1, 0, 0], index=["targets", "labels", "y"])
    assert class_weight_tensor(series).tolist() == pytest.approx([3 / 4, 3 / 2])


ENTRY_POINTS = [
    pytest.param(class_weight_tensor, "class_weight_tensor({})", id="weights"),
    pytest.param(ClassBalancedSampler, "ClassBalancedSampler({})", id="balanced"),
    pytest.param(
        lambda y: ResamplingSampler(y, RandomOverSampler()),
        "ResamplingSampler({}, sampler)",
        id="resampling",
    ),
]
NO_LABELS = "no labels in {} (it has no targets, labels or y attribute)."


@pytest.mark.parametrize("entry_point, call", ENTRY_POINTS)
def test_dataset_without_labels_says_to_pass_them(entry_point, call):
    name = call.partition("(")[0]
    tensors = torch.utils.data.TensorDataset(
        torch.zeros(4, 2), torch.tensor([0, 1, 1, 0])
    )
    with pytest.raises(ValueError) as error:
        entry_point(tensors)
    assert str(error.value) == (
        f"{name}: {NO_LABELS.format('TensorDataset')} Pass the labels themselves, "
        f"e.g. {call.format('dataset.tensors[1]')}."
    )
    with pytest.raises(ValueError) as error:
        entry_point(split(tensors, [3, 1], 0)[0])
    assert str(error.value) == (
        f"{name}: {NO_LABELS.format('TensorDataset')} Pass the labels themselves, "
        f"e.g. {call.format('subset.dataset.tensors[1][subset.indices]')}."
    )
    for dataset in [Unlabelled(), Subset(Unlabelled(), [2, 0])]:
        with pytest.raises(ValueError) as error:
            entry_point(dataset)
        assert str(error.value) == (
            f"{name}: {NO_LABELS.format('Unlabelled')} Pass the labels themselves: "
            "a list, array or tensor with one label per item of the dataset."
        )


def test_dataset_without_labels_message_in_full():
    tensors = torch.utils.data.TensorDataset(torch.zeros(2, 2), torch.tensor([0, 1]))
    with pytest.raises(ValueError) as error:
        class_weight_tensor(tensors)
    assert str(error.value) == (
        "class_weight_tensor: no labels in TensorDataset (it has no targets, "
        "labels or y attribute). Pass the labels themselves, e.g. "
        "class_weight_tensor(dataset.tensors[1])."
    )
    # and the labels it suggests work
    assert class_weight_tensor(tensors.tensors[1]).tolist() == [1.0, 1.0]


@pytest.mark.parametrize("entry_point, call", ENTRY_POINTS)
def test_labels_of_a_dataset_must_be_1d(entry_point, call):
    one_hot = Labelled(np.eye(3)[[0, 1, 1]])
    for dataset in [one_hot, Subset(one_hot, [2, 0])]:
        with pytest.raises(ValueError) as error:
            entry_point(dataset)
        assert str(error.value) == (
            "y must be 1-D, one label per item; got shape (3, 3)."
        )


def test_importing_the_bridge_does_not_import_torch():
    code = "import sys, imgbalance.torch; print('torch' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "False\n"


def test_resampling_sampler_takes_the_labels_first():
    """The old order (sampler, labels) gets the call to make instead."""
    with pytest.raises(TypeError) as raised:
        ResamplingSampler(RandomUnderSampler(), [0, 0, 1])
    assert str(raised.value) == (
        "ResamplingSampler takes the labels (or the dataset) first and the "
        "sampler second, as ClassBalancedSampler does: "
        "ResamplingSampler(y, RandomUnderSampler(...)); the sampler came first."
    )
