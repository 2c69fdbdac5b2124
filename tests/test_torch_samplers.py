"""The torch samplers: which imbalanced-learn samplers ResamplingSampler
takes, epochs and their lengths, and shares of an epoch in distributed
training (a real two-process gloo group)."""

import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed (make test installs the CPU build)"
)

from imblearn.combine import SMOTEENN  # noqa: E402
from imblearn.over_sampling import SMOTE, RandomOverSampler  # noqa: E402
from imblearn.under_sampling import (  # noqa: E402
    AllKNN,
    ClusterCentroids,
    EditedNearestNeighbours,
    InstanceHardnessThreshold,
    NearMiss,
    OneSidedSelection,
    TomekLinks,
)
from sklearn.datasets import make_classification  # noqa: E402

from imgbalance.over_sampling import (  # noqa: E402
    AugmentingOverSampler,
    EmbeddingSMOTE,
)
from imgbalance.torch import ClassBalancedSampler, ResamplingSampler  # noqa: E402
from imgbalance.under_sampling import RandomImageUnderSampler  # noqa: E402

X, Y = make_classification(
    n_samples=300,
    n_features=6,
    n_informative=4,
    weights=[0.8, 0.2],
    flip_y=0.05,
    random_state=0,
)


@pytest.mark.parametrize(
    "sampler, message",
    [
        (SMOTE(), r"SMOTE makes new items, and a sampler can only give indices"),
        (AugmentingOverSampler(), r"AugmentingOverSampler makes new items"),
        (EmbeddingSMOTE(), r"EmbeddingSMOTE makes new items.*EmbeddingSMOTE\.fit_"),
        (SMOTEENN(), r"SMOTEENN makes new items"),
        (ClusterCentroids(), r"ClusterCentroids makes centroids, new items; use "),
        (TomekLinks(), r"TomekLinks chooses items by their features; give features="),
        (
            InstanceHardnessThreshold(),
            r"InstanceHardnessThreshold chooses items by their features",
        ),
    ],
)
def test_samplers_that_cannot_give_indices_are_refused(sampler, message):
    with pytest.raises(ValueError, match="^ResamplingSampler: " + message):
        ResamplingSampler(Y, sampler, seed=0)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"features": X[:10]}, ValueError, r"features has 10 rows but y has 300"),
        (
            {"features": X, "seed": 1, "generator": torch.Generator()},
            ValueError,
            r"give seed or generator, not both",
        ),
        ({"num_replicas": 2, "rank": 2}, ValueError, r"rank must be from 0 to 1"),
        ({"num_replicas": 0}, ValueError, r"num_replicas must be 1 or more"),
        ({"seed": -1}, ValueError, r"seed must be from 0 to"),
        ({"seed": 1.5}, TypeError, r"seed must be a whole number"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, message):
    kwargs = {"features": X, **kwargs}
    with pytest.raises(error, match="^ResamplingSampler: " + message):
        ResamplingSampler(Y, TomekLinks(), **kwargs)


def test_something_that_is_not_a_sampler():
    with pytest.raises(TypeError, match=r"sampler must be an imbalanced-learn"):
        ResamplingSampler(Y, object())


@pytest.mark.parametrize(
    "cleaner",
    [
        TomekLinks(),
        EditedNearestNeighbours(),
        AllKNN(),
        NearMiss(version=1),
        OneSidedSelection(random_state=3),
    ],
    ids=lambda s: type(s).__name__,
)
def test_a_cleaner_with_features_keeps_what_imblearn_keeps(cleaner):
    """For a cleaner with a random_state, epoch e's clone gets the
    documented seed ``SeedSequence([seed, e]).generate_state(1)[0]``."""
    from sklearn.base import clone

    reference = clone(cleaner)
    if "random_state" in cleaner.get_params():
        epoch_seed = int(np.random.SeedSequence([7, 2]).generate_state(1)[0])
        reference.set_params(random_state=epoch_seed)
    reference.fit_resample(X, Y)
    sampler = ResamplingSampler(Y, cleaner, features=torch.tensor(X), seed=7)
    sampler.set_epoch(2)
    announced = len(sampler)
    indices = list(sampler)
    assert len(indices) == announced == len(reference.sample_indices_)
    assert sorted(indices) == sorted(reference.sample_indices_.tolist())


def test_len_is_the_length_of_each_epoch_even_when_it_varies():
    """InstanceHardnessThreshold keeps ties: its epochs differ in length."""
    sampler = ResamplingSampler(Y, InstanceHardnessThreshold(cv=3), features=X, seed=0)
    lengths = []
    for _ in range(6):
        announced = len(sampler)
        epoch = list(sampler)
        assert len(epoch) == announced
        lengths.append(announced)
    assert len(set(lengths)) > 1, lengths  # the test means something here


def test_seed_and_set_epoch_fix_each_epoch():
    y = np.array([0] * 30 + [1] * 6)
    a = ResamplingSampler(y, RandomImageUnderSampler(), seed=5)
    b = ResamplingSampler(y, RandomImageUnderSampler(), seed=5)
    first, second = list(a), list(a)  # successive epochs differ
    assert first != second
    b.set_epoch(1)
    assert list(b) == second and list(b) == second  # set: no counting on
    b.set_epoch(0)
    assert list(b) == first
    c = ClassBalancedSampler(y, seed=5)
    c.set_epoch(3)
    again = ClassBalancedSampler(y, seed=5)
    again.set_epoch(3)
    assert list(c) == list(again)


@pytest.mark.parametrize("n_items, replicas", [(37, 2), (37, 3), (2, 3), (1000, 4)])
def test_shares_are_disjoint_equal_and_make_the_epoch(n_items, replicas):
    y = np.arange(n_items) % 3
    for make in (
        lambda **k: ClassBalancedSampler(y, **k),
        lambda **k: ResamplingSampler(y, RandomOverSampler(), **k),
    ):
        whole = make(seed=11, num_replicas=1, rank=0)
        whole.set_epoch(4)
        epoch = list(whole)
        shares = []
        for rank in range(replicas):
            part = make(seed=11, num_replicas=replicas, rank=rank)
            part.set_epoch(4)
            shares.append(list(part))
            assert len(shares[-1]) == len(part) == -(-len(epoch) // replicas)
        # position p of the epoch goes to rank p % replicas; the padding
        # repeats the epoch's start
        padded = epoch + [
            epoch[i % len(epoch)] for i in range(len(shares[0]) * replicas - len(epoch))
        ]
        for rank, share in enumerate(shares):
            assert share == padded[rank::replicas]


_WORKER = """
import json, os, sys
import numpy as np
import torch
import torch.distributed as dist
from imblearn.under_sampling import RandomUnderSampler
from imgbalance.torch import ClassBalancedSampler, ResamplingSampler

dist.init_process_group("gloo", init_method="env://")
y = np.array([0] * 50 + [1] * 9 + [2] * 4)
out = {}
for name, sampler in [
    ("balanced", ClassBalancedSampler(y)),
    ("under", ResamplingSampler(y, RandomUnderSampler())),
]:
    for epoch in (0, 1):
        sampler.set_epoch(epoch)
        out[f"{name}-{epoch}"] = list(sampler)
        out[f"{name}-{epoch}-len"] = len(sampler)
out["rank"], out["world"] = dist.get_rank(), dist.get_world_size()
dist.barrier()
dist.destroy_process_group()
with open(sys.argv[1], "w") as f:
    json.dump(out, f)
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_processes_of_a_gloo_group_share_one_balanced_epoch(tmp_path):
    """num_replicas and rank come from torch.distributed; seed 0 is the
    default of a distributed run, so the single-process epoch with seed=0
    is the reference."""
    from imblearn.under_sampling import RandomUnderSampler

    port = str(_free_port())
    processes = []
    for rank in range(2):
        env = {
            **os.environ,
            "MASTER_ADDR": "127.0.0.1",
            "MASTER_PORT": port,
            "RANK": str(rank),
            "WORLD_SIZE": "2",
        }
        processes.append(
            subprocess.Popen(
                [sys.executable, "-c", _WORKER, str(tmp_path / f"{rank}.json")],
                env=env,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    ranks = [json.loads((tmp_path / f"{r}.json").read_text()) for r in range(2)]
    assert [(r["rank"], r["world"]) for r in ranks] == [(0, 2), (1, 2)]
    y = np.array([0] * 50 + [1] * 9 + [2] * 4)
    for name, make in [
        ("balanced", lambda: ClassBalancedSampler(y, seed=0, num_replicas=1)),
        (
            "under",
            lambda: ResamplingSampler(y, RandomUnderSampler(), seed=0, num_replicas=1),
        ),
    ]:
        for epoch in (0, 1):
            single = make()
            single.set_epoch(epoch)
            whole = list(single)
            first, second = (r[f"{name}-{epoch}"] for r in ranks)
            assert len(first) == len(second) == ranks[0][f"{name}-{epoch}-len"]
            together = [i for pair in zip(first, second) for i in pair]
            assert together[: len(whole)] == whole
            assert sorted(together[len(whole) :]) == sorted(
                whole[: len(together) - len(whole)]
            )
        assert ranks[0][f"{name}-0"] != ranks[0][f"{name}-1"]
    under = np.concatenate([ranks[0]["under-0"], ranks[1]["under-0"]])
    assert np.bincount(y[under]).tolist() == [4, 4, 4]  # 12 items, no padding


@pytest.mark.parametrize("num_samples", [2.7, True, "5"])
def test_num_samples_must_be_a_whole_number(num_samples):
    with pytest.raises(TypeError, match="num_samples must be a whole number"):
        ClassBalancedSampler([0, 0, 1], num_samples=num_samples)
