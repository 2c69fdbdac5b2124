"""The torch samplers against torch's DistributedSampler where their
semantics coincide (shuffle, drop_last, shares of an epoch), and
BalancedBatchSampler's P x K batches."""

import numpy as np
import pytest

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed (make test installs the CPU build)"
)

from imblearn.over_sampling import RandomOverSampler  # noqa: E402
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset  # noqa: E402

from imgbalance.torch import (  # noqa: E402
    BalancedBatchSampler,
    ClassBalancedSampler,
    ResamplingSampler,
)

CASES = [(37, 1), (37, 2), (37, 3), (40, 4), (3, 4), (10, 7)]


def _distributed(n, replicas, rank, **kwargs):
    sampler = DistributedSampler(range(n), num_replicas=replicas, rank=rank, **kwargs)
    return sampler


@pytest.mark.parametrize("n, replicas", CASES)
@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("drop_last", [True, False])
def test_a_sampler_keeping_every_item_gives_distributed_samplers_stream(
    n, replicas, shuffle, drop_last
):
    """RandomOverSampler asked for the class sizes there are keeps every
    item, in order: ResamplingSampler is then DistributedSampler, index for
    index, for every rank and epoch."""
    y = np.arange(n) % 2
    sizes = dict(enumerate(np.bincount(y).tolist()))
    for rank in range(replicas):
        ours = ResamplingSampler(
            y,
            RandomOverSampler(sampling_strategy=sizes),
            shuffle=shuffle,
            drop_last=drop_last,
            seed=7,
            num_replicas=replicas,
            rank=rank,
        )
        theirs = _distributed(
            n, replicas, rank, shuffle=shuffle, seed=7, drop_last=drop_last
        )
        for epoch in (0, 1, 5):
            ours.set_epoch(epoch)
            theirs.set_epoch(epoch)
            assert list(ours) == list(theirs)
            assert len(ours) == len(theirs)


@pytest.mark.parametrize("n, replicas", CASES)
@pytest.mark.parametrize("drop_last", [True, False])
def test_class_balanced_shares_are_distributed_samplers_shares(n, replicas, drop_last):
    """Each process's share of the drawn epoch is the one DistributedSampler
    (without shuffling) gives of it."""
    y = np.arange(n) % 3
    whole = ClassBalancedSampler(y, seed=3, num_replicas=1)
    whole.set_epoch(2)
    epoch = list(whole)
    for rank in range(replicas):
        part = ClassBalancedSampler(
            y, seed=3, num_replicas=replicas, rank=rank, drop_last=drop_last
        )
        part.set_epoch(2)
        positions = _distributed(
            len(epoch), replicas, rank, shuffle=False, drop_last=drop_last
        )
        assert list(part) == [epoch[p] for p in positions]
        assert len(part) == len(positions)


def test_drop_last_cuts_a_long_epoch_at_every_chunk():
    """Past the 65 536 draws ClassBalancedSampler makes at a time."""
    y = np.arange(10) % 2
    n = 2 * 65536 + 5
    whole = ClassBalancedSampler(y, num_samples=n, seed=1, num_replicas=1)
    epoch = list(whole)
    shares = [
        list(
            ClassBalancedSampler(
                y, num_samples=n, seed=1, num_replicas=4, rank=r, drop_last=True
            )
        )
        for r in range(4)
    ]
    assert all(len(share) == n // 4 for share in shares)
    together = [i for group in zip(*shares) for i in group]
    assert together == epoch[: 4 * (n // 4)]


def test_drop_last_is_a_bool():
    with pytest.raises(TypeError, match="drop_last must be True or False; got 'yes'"):
        ClassBalancedSampler([0, 1], drop_last="yes")


# -- BalancedBatchSampler ----------------------------------------------------

LABELS = np.array([0] * 50 + [1] * 20 + [2] * 7 + [3] * 2 + [4] * 1)


def test_every_batch_has_p_classes_of_k_images():
    sampler = BalancedBatchSampler(LABELS, 3, 4, seed=0)
    assert len(sampler) == 80 // 12 == 6 and sampler.batch_size == 12
    batches = list(sampler)
    assert len(batches) == 6
    for batch in batches:
        assert len(batch) == 12
        blocks = np.asarray(batch).reshape(3, 4)
        labels = LABELS[blocks]
        assert (labels == labels[:, :1]).all()  # the K of a class together
        assert len(set(labels[:, 0])) == 3  # P distinct classes
        for block, label in zip(blocks, labels[:, 0]):
            n_class = np.count_nonzero(LABELS == label)
            # distinct images where the class has K; all of them otherwise
            assert len(set(block)) == min(4, n_class)


def test_classes_come_up_alike_and_every_rare_image_is_used():
    sampler = BalancedBatchSampler(LABELS, 2, 2, num_batches=5000, seed=0)
    drawn = np.concatenate(list(sampler))
    per_class = np.bincount(LABELS[drawn])
    # each class in 2 of 5 places of a batch: 4000 images each, +- 4 sigma
    assert np.abs(per_class - 4000).max() < 4 * np.sqrt(5000 * 0.4 * 0.6) * 2
    assert set(np.flatnonzero(LABELS == 2)) <= set(drawn.tolist())


def test_seed_and_epoch_fix_the_batches():
    a = BalancedBatchSampler(LABELS, 2, 3, seed=5)
    b = BalancedBatchSampler(LABELS, 2, 3, seed=5)
    first, second = list(a), list(a)
    assert first != second
    b.set_epoch(1)
    assert list(b) == second
    b.set_epoch(0)
    assert list(b) == first
    assert np.array_equal(b.epoch_batches(0), np.asarray(first))


@pytest.mark.parametrize("replicas, num_batches", [(2, 7), (3, 7), (4, 2), (2, 8)])
@pytest.mark.parametrize("drop_last", [True, False])
def test_batches_are_shared_as_distributed_sampler_shares(
    replicas, num_batches, drop_last
):
    whole = BalancedBatchSampler(LABELS, 2, 2, num_batches=num_batches, seed=9)
    batches = whole.epoch_batches(3).tolist()
    for rank in range(replicas):
        part = BalancedBatchSampler(
            LABELS,
            2,
            2,
            num_batches=num_batches,
            seed=9,
            num_replicas=replicas,
            rank=rank,
            drop_last=drop_last,
        )
        part.set_epoch(3)
        positions = _distributed(
            num_batches, replicas, rank, shuffle=False, drop_last=drop_last
        )
        assert list(part) == [batches[p] for p in positions]
        assert len(part) == len(positions)


def test_in_a_dataloader():
    dataset = TensorDataset(torch.arange(len(LABELS)), torch.from_numpy(LABELS))
    dataset.targets = dataset.tensors[1]
    sampler = BalancedBatchSampler(dataset, 2, 3, seed=0)
    loader = DataLoader(dataset, batch_sampler=sampler)
    seen = [labels.tolist() for _, labels in loader]
    assert len(seen) == len(sampler) == 80 // 6
    assert all(len(batch) == 6 and len(set(batch)) == 2 for batch in seen)


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        ((6, 2), {}, ValueError, "classes_per_batch=6 but the labels hold 5 classes"),
        ((0, 2), {}, ValueError, "classes_per_batch must be 1 or more; got 0"),
        ((2, 2.5), {}, TypeError, "images_per_class must be a whole number"),
        ((2, 2), {"num_batches": 0}, ValueError, "num_batches must be 1 or more"),
    ],
)
def test_bad_arguments_are_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        BalancedBatchSampler(LABELS, *args, **kwargs)
