"""The imgbalance command, called through its entry point with an argv list."""

import gc
import re
import subprocess
import sys
import warnings

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
    assert capsys.readouterr().err == (
        "imgbalance: give a command: inspect, split, leaks, compare, balance, demo (see imgbalance --help)\n"
    )


def test_unknown_subcommand_exits_2_with_one_line(capsys):
    assert main(["frobnicate"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    # argparse quotes the choices or not, by Python version
    assert re.fullmatch(
        r"imgbalance: argument COMMAND: invalid choice: 'frobnicate' \(choose from "
        r"'?inspect'?, '?split'?, '?leaks'?, '?compare'?, '?balance'?, '?demo'?\) \(see imgbalance --help\)\n",
        captured.err,
    )


def test_version_via_python_m():
    result = subprocess.run(
        [sys.executable, "-m", "imgbalance", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == f"imgbalance {imgbalance.__version__}"


def test_demo_reports_a_strategy_that_cannot_run(capsys):
    """At ratio 50 a minority class has one training image: SMOTE cannot
    grow it, and the table says so instead of stopping."""
    with warnings.catch_warnings():  # scikit-learn's about tiny CV folds
        warnings.simplefilter("ignore")
        assert main(["demo", "--ratio", "50"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^EmbeddingSMOTE\s+nan\s+n/a\s+n/a\s+n/a$", out, re.MULTILINE)
    assert "n/a: EmbeddingSMOTE: Class 2 has 1 sample; SMOTE needs at least 2" in out


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
        "class weights, effective number",
        "RandomImageOverSampler",
        "RandomImageUnderSampler",
        "AugmentingOverSampler",
        "EmbeddingSMOTE",
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
        "class weights, effective number",
        "RandomImageOverSampler",
        "AugmentingOverSampler",
        "EmbeddingSMOTE",
        "HOG + AugmentingOverSampler",
    ]:
        assert float(rows[name].group(2)) > float(rows["none"].group(2))


FREEZE_SCRIPT = """
import gc, sys
from imgbalance.cli import console_main, main
sys.argv = ["imgbalance", "inspect", {folder!r}]
first = main(), gc.get_freeze_count()
then = console_main(), gc.get_freeze_count() > 0
print(*first, *then)
"""


def test_the_command_freezes_its_objects_as_it_ends(tmp_path, capsys):
    """As the console script, what is left when it ends is the interpreter's
    exit, whose last collection the frozen objects skip; :func:`main`
    (with argv or without) leaves the caller's collections as they were."""
    from folders import write_pngs

    src = write_pngs(tmp_path / "src", {"a": 2, "b": 1})
    before = gc.get_freeze_count()
    assert main(["inspect", str(src)]) == 0
    assert gc.get_freeze_count() == before
    done = subprocess.run(
        [sys.executable, "-c", FREEZE_SCRIPT.format(folder=str(src))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "0 0 0 True")
