"""``imgbalance compare``: its output, page, held-out scores, time budget,
exit codes and one-line messages."""

import json
import os

import numpy as np
import pytest
from PIL import Image

from commands import run_command, run_here

PANEL = [
    "none",
    "class weights",
    "random over-sampling",
    "random under-sampling",
    "moderate over-sampling + class weights",
    "augmentation",
    "augmentation (TrivialAugment)",
    "embedding under-sampling",
    "EmbeddingSMOTE",
    "EmbeddingSMOTE + ENN",
]


def tiny_folder(root, counts=(("big", 12), ("mid", 6), ("rare", 4)), seed=0):
    """Classes of 16x16 colour PNGs told apart by stripes (2, 3 or 5
    pixels apart), under noise."""
    rng = np.random.default_rng(seed)
    for k, (name, n) in enumerate(counts):
        os.makedirs(os.path.join(root, name))
        stripes = (np.arange(16) % (2, 3, 5)[k % 3] == 0)[None, :, None]
        for i in range(n):
            pixels = rng.integers(0, 120, (16, 16, 3)) + 100 * stripes
            image = Image.fromarray(pixels.astype(np.uint8))
            image.save(os.path.join(root, name, f"{i}.png"))
    return root


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """One run with --test, --report and --json: (code, json, stderr, page)."""
    base = tmp_path_factory.mktemp("compare")
    src = tiny_folder(base / "train")
    test = tiny_folder(base / "test", seed=1)
    (src / "rare" / "broken.png").write_bytes(b"\x89PNG not one")
    page = base / "compare.html"
    process = run_command(
        "compare", src, "--test", test, "--report", page, "--json", "--jobs", "2"
    )
    return process.returncode, json.loads(process.stdout), process.stderr, page


def test_json_has_every_strategy_scored_and_the_recommendation(compared):
    code, out, err, _ = compared
    assert (code, err) == (0, "")
    assert out["exit_code"] == 0 and out["complete"] is True
    assert [row["strategy"] for row in out["strategies"]] == PANEL
    for row in out["strategies"]:
        assert row["folds"] + row["failed folds"] == 8  # 4-fold, twice
        assert len(row["recall per class"]) == 3
    assert out["recommendation"] in PANEL and out["reason"].startswith(
        out["recommendation"] + ":"
    )
    # the balance command first where one applies the pick, then the pipeline
    method = {"random over-sampling": "random", "augmentation": "augment"}.get(
        out["recommendation"],
        "smote" if out["recommendation"] == "EmbeddingSMOTE" else None,
    )
    pipeline = out["apply"][1] if method else out["apply"][0]
    assert pipeline.startswith("make_pipeline(")
    assert "GaborFeatures(frequencies=(0.2, 0.3, 0.4)), StandardScaler()" in pipeline
    if method:
        assert out["apply"][0].startswith("imgbalance balance ")
        assert out["apply"][0].endswith(f"--method {method}")
    assert out["notes"] == [
        "left out rare/broken.png: not an image file Pillow can read"
    ]
    assert out["failures"] == []


def test_held_out_scores_every_strategy_on_test(compared):
    _, out, _, _ = compared
    assert sorted(out["held_out"]) == sorted(PANEL)
    for scores in out["held_out"].values():
        assert 0 <= scores["balanced_accuracy"] <= 1
        assert len(scores["recall per class"]) == 3
    # the colours tell the classes apart: the baseline learns them
    assert out["held_out"]["class weights"]["balanced_accuracy"] > 0.6


def test_the_page_shows_ranking_folds_recall_and_how_to_apply(compared):
    *_, page = compared
    html = page.read_text()
    for part in ("Recommendation", "To apply it", "Every fold", "Recall per class"):
        assert part in html
    assert html.count('<tr class="strategy"') == len(PANEL)
    assert "held-out test" in html and "<svg" in html
    assert "left out rare/broken.png" in html


def test_text_output_and_quiet(tmp_path, capsys):
    src = tiny_folder(tmp_path / "d", counts=(("big", 8), ("rare", 3)))
    code, out, err = run_here(capsys, "compare", src, "--quiet", "--max-time", "0.01")
    assert (code, err) == (0, "")
    assert out.strip() in PANEL
    code, out, err = run_here(capsys, "compare", src, "--max-time", "0.01")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["strategy", "balanced_accuracy", "95"]
    assert sorted(line[:40].strip() for line in lines[1:11]) == sorted(PANEL)
    assert lines[11] == "recommended: class weights"
    assert lines[12].startswith("why: class weights: too few folds to compare")
    assert lines[13] == "to apply it:"
    assert lines[14].startswith(
        "  make_pipeline(GaborFeatures(frequencies=(0.2, 0.3, 0.4)), StandardScaler(), "
    )
    # one fold: no interval, no test; said as dashes, not NaN
    none = next(line for line in lines if line.startswith("none "))
    assert none.split()[1:] == [none.split()[1], "-", "-", "-", "-"]
    assert "nan" not in out
    # the budget ended it after the first round: said once, on stderr
    assert err == (
        "imgbalance compare: note: --max-time 0.01: 1 of 6 folds were run "
        "before it (fewer folds: wider intervals)\n"
    )


def test_a_time_budget_ends_with_a_complete_page(tmp_path, capsys):
    src = tiny_folder(tmp_path / "d", counts=(("big", 8), ("rare", 3)))
    page = tmp_path / "c.html"
    code, out, _ = run_here(
        capsys, "compare", src, "--max-time", "0.01", "--json", "--report", page
    )
    result = json.loads(out)
    assert code == 0 and result["complete"] is False
    assert {row["folds"] for row in result["strategies"]} == {1}
    html = page.read_text()
    assert "the time budget ended the comparison before every fold" in html
    assert html.rstrip().endswith("</html>")


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing"], "DIR 'missing' does not exist; give a folder-per-class dataset."),
        (
            ["d", "--test", "gone"],
            "TEST 'gone' does not exist; give a folder-per-class dataset.",
        ),
        (["d", "--report", "d/c.html"], None),
    ],
)
def test_bad_folders_exit_2_with_one_line(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    tiny_folder(tmp_path / "d", counts=(("big", 4), ("rare", 2)))
    code, out, err = run_here(capsys, "compare", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("imgbalance compare: ")
    if message:
        assert err == f"imgbalance compare: {message}\n"
    else:
        assert "--report" in err
    assert not (tmp_path / "d" / "c.html").exists()


@pytest.mark.parametrize("value", ["0", "-3", "nan", "inf", "soon"])
def test_max_time_must_be_seconds(tmp_path, capsys, value):
    code, out, err = run_here(capsys, "compare", tmp_path, "--max-time", value)
    assert code == 2 and out == ""
    assert f"give a number of seconds above 0; got '{value}'" in err


def test_a_class_of_one_image_is_refused_with_the_fix(tmp_path, capsys):
    src = tiny_folder(tmp_path / "d", counts=(("big", 6), ("one", 1)))
    code, out, err = run_here(capsys, "compare", src, "--json")
    assert code == 2
    result = json.loads(out)
    assert result["exit_code"] == 2
    message = (
        "class 'one' has one image: cross-validation needs at least two images "
        "of every class (one for a training fold, one for a test fold); add "
        "images of it, or leave it out."
    )
    assert result["error"] == message
    assert err == f"imgbalance compare: {message}\n"
