"""The imgbalance command, called through its entry point with an argv list."""

import re
import subprocess
import sys

import pytest

import imgbalance
from imgbalance.cli import main


def test_help_lists_subcommands(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "usage: imgbalance" in out and "demo" in out


def test_no_subcommand_is_a_usage_error(capsys):
    assert main([]) == 2
    assert "usage: imgbalance" in capsys.readouterr().err


def test_unknown_subcommand_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_version_via_python_m():
    result = subprocess.run(
        [sys.executable, "-m", "imgbalance", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == f"imgbalance {imgbalance.__version__}"


def test_demo_prints_counts_and_score_table(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "915 images of 8x8 px, 457 to train, 458 to test" in out
    counts = re.search(r"^total\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$", out, re.MULTILINE)
    assert counts is not None
    assert counts.groups() == ("457", "870", "40", "870")
    rows = {}
    for name in [
        "none",
        "class_weight='balanced'",
        "RandomImageOverSampler",
        "RandomImageUnderSampler",
        "AugmentingOverSampler",
        "HOG + AugmentingOverSampler",
    ]:
        match = re.search(
            rf"^{re.escape(name)}\s+([01]\.\d{{3}})\s+([01]\.\d{{3}})\s+"
            rf"([01]\.\d{{3}})\s+([01]\.\d{{3}})(\s+<- CV)?$",
            out,
            re.MULTILINE,
        )
        assert match is not None, name
        rows[name] = match
    assert sum(bool(m.group(5)) for m in rows.values()) == 1
    # rebalancing must help the minority classes over doing nothing
    for name in [
        "class_weight='balanced'",
        "RandomImageOverSampler",
        "AugmentingOverSampler",
        "HOG + AugmentingOverSampler",
    ]:
        assert float(rows[name].group(2)) > float(rows["none"].group(2))
