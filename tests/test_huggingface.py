"""Hugging Face datasets: labels from a named column (ClassLabel included),
and a sampler's sample_indices_ given to Dataset.select. A small in-memory
Dataset, nothing downloaded."""

import numpy as np
import pytest
from PIL import Image

datasets = pytest.importorskip(
    "datasets", reason="the datasets package is not installed (pip install datasets)"
)

from imblearn.under_sampling import RandomUnderSampler  # noqa: E402

from imgbalance.datasets import dataset_labels, is_hf_dataset  # noqa: E402
from imgbalance.over_sampling import RandomImageOverSampler  # noqa: E402
from imgbalance.under_sampling import EmbeddingUnderSampler  # noqa: E402

RNG = np.random.default_rng(0)
PIXELS = RNG.integers(0, 256, (14, 8, 8, 3), dtype=np.uint8)
CLASSES = [0] * 10 + [1] * 4
FINE = ["tabby"] * 6 + ["siamese"] * 4 + ["pug"] * 3 + ["beagle"]


def _dataset(labels=CLASSES):
    features = datasets.Features(
        {
            "image": datasets.Image(),
            "label": datasets.ClassLabel(names=["cat", "dog"]),
            "fine": datasets.Value("string"),
            "id": datasets.Value("int64"),
        }
    )
    return datasets.Dataset.from_dict(
        {
            "image": [Image.fromarray(p) for p in PIXELS],
            "label": list(labels),
            "fine": FINE,
            "id": list(range(100, 114)),
        },
        features=features,
    )


def test_labels_come_from_the_named_column():
    data = _dataset()
    assert is_hf_dataset(data) and not is_hf_dataset(np.zeros(3))
    np.testing.assert_array_equal(dataset_labels(data), CLASSES)
    assert dataset_labels(data, names=True).tolist() == ["cat"] * 10 + ["dog"] * 4
    assert dataset_labels(data, "fine").tolist() == FINE
    np.testing.assert_array_equal(dataset_labels(data, "id"), np.arange(100, 114))


def test_a_labels_column_is_found_too():
    data = _dataset().rename_column("label", "labels")
    np.testing.assert_array_equal(dataset_labels(data), CLASSES)


@pytest.mark.parametrize(
    "change, column, message",
    [
        (lambda d: d.remove_columns("label"), None, r"no 'label' or 'labels' column"),
        (lambda d: d, "kind", r"has no column 'kind'; its columns: \['image', "),
        (
            lambda d: _dataset([0] * 9 + [-1] + [1] * 4),
            None,
            r"Row 9 of column 'label' \(and 0 more\) has label -1",
        ),
    ],
)
def test_bad_columns_are_named(change, column, message):
    with pytest.raises(ValueError, match=message):
        dataset_labels(change(_dataset()), column)


@pytest.mark.parametrize(
    "sampler",
    [
        RandomImageOverSampler(random_state=0),
        EmbeddingUnderSampler(random_state=0),
    ],
    ids=lambda s: type(s).__name__,
)
def test_the_kept_indices_select_the_balanced_dataset(sampler):
    data = _dataset()
    images = list(data["image"])  # PIL images
    X_res, y_res = sampler.fit_resample(images, dataset_labels(data))
    balanced = data.select(sampler.sample_indices_)
    assert len(balanced) == len(X_res)
    np.testing.assert_array_equal(balanced["label"], y_res)
    assert len(set(np.bincount(y_res))) == 1  # balanced
    for image, item in zip(balanced["image"], X_res):
        np.testing.assert_array_equal(np.asarray(image), np.asarray(item))
    np.testing.assert_array_equal(balanced["id"], 100 + sampler.sample_indices_)


def test_a_column_object_is_labels_as_it_is():
    data = _dataset()
    sampler = RandomImageOverSampler(random_state=0)
    _, y_res = sampler.fit_resample(np.zeros((14, 1)), data["fine"])
    assert sorted(set(np.unique(y_res, return_counts=True)[1])) == [6]
    assert data.select(sampler.sample_indices_)["fine"] == y_res.tolist()


def test_the_torch_samplers_read_the_label_column():
    torch = pytest.importorskip("torch")
    from imgbalance.torch import (
        BalancedBatchSampler,
        ClassBalancedSampler,
        ResamplingSampler,
    )

    data = _dataset()
    under = ResamplingSampler(data, RandomUnderSampler(), seed=0)
    indices = list(under)
    assert sorted(np.bincount(np.asarray(CLASSES)[indices])) == [4, 4]
    balanced = ClassBalancedSampler(data, num_samples=2000, seed=0)
    drawn = np.asarray(CLASSES)[list(balanced)]
    assert abs(drawn.mean() - 0.5) < 0.05
    batches = BalancedBatchSampler(data["fine"], 2, 2, seed=0)
    loader = torch.utils.data.DataLoader(
        data.with_format("torch", columns=["id", "label"]), batch_sampler=batches
    )
    for batch in loader:
        fine = {FINE[int(i) - 100] for i in batch["id"]}
        assert len(batch["id"]) == 4 and len(fine) == 2
