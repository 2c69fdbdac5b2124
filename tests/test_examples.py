"""Every script in examples/ runs offline."""

import importlib.util
import pathlib
import runpy

import pytest

EXAMPLES = pathlib.Path(__file__).parents[1] / "examples"


def test_there_are_examples():
    """The gallery's plot_*.py run when the documentation is built (make
    docs); the other two run here."""
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == [
        "plot_albumentations_augmenter.py",
        "plot_augmenting_over_sampler.py",
        "plot_balance_folder.py",
        "plot_class_distribution.py",
        "plot_class_weights.py",
        "plot_embedding_smote.py",
        "plot_grid_search_strategies.py",
        "plot_local_augmentations.py",
        "plot_report.py",
        "plot_torch_features.py",
        "quickstart.py",
        "torch_class_weights.py",
    ]


def test_quickstart(capsys):
    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    assert "after over-sampling: (1740, 8, 8) uint8" in capsys.readouterr().out


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None,
    reason="PyTorch is not installed (make test installs the CPU build)",
)
def test_torch_class_weights(capsys):
    runpy.run_path(str(EXAMPLES / "torch_class_weights.py"), run_name="__main__")
    out = capsys.readouterr().out
    scores = {
        line[:22].strip(): float(line.split()[-1])
        for line in out.splitlines()
        if "balanced accuracy" in line
    }
    assert set(scores) == {
        "plain cross-entropy",
        "class-weighted loss",
        "ClassBalancedSampler",
    }
    assert all(0 <= s <= 1 for s in scores.values())
