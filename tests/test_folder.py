"""The installed `imgbalance inspect` and `imgbalance balance` on folders."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest
from PIL import Image

from commands import COMMAND, run_here
from commands import run_command as run
from folders import disk_full_after
from folders import tree_hashes as hashes
from folders import write_pngs
from imgbalance.utils import load_image
from imgbalance.augment import BaseTransform
from imgbalance.cli import main
from imgbalance.datasets import load_image_folder
from imgbalance.folder import balance_folder, inspect_folder, parse_strategy
from imgbalance.over_sampling import (
    AugmentingOverSampler,
    EmbeddingSMOTE,
    RandomImageOverSampler,
)


def manifest(dst):
    with open(os.path.join(dst, "manifest.csv"), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def dataset(tmp_path):
    """A messy dataset: every kind of image, bad files, hidden and empty
    folders, names with spaces and accents, a link leading outside."""
    rng = np.random.default_rng(0)
    src = tmp_path / "src"

    def save(relative, array, **kwargs):
        path = src / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        image = array if isinstance(array, Image.Image) else Image.fromarray(array)
        image.save(path, **kwargs)

    for i in range(9):  # the majority: RGB PNG
        save(f"cat/{i}.png", rng.integers(0, 256, (12, 10, 3), dtype=np.uint8))
    save("cat/sub/deep.png", rng.integers(0, 256, (12, 10, 3), dtype=np.uint8))
    # dog: JPEG with a quarter-turn EXIF orientation, grayscale, RGBA
    exif = Image.Exif()
    exif[0x0112] = 6
    save("dog/turned.jpg", rng.integers(0, 256, (8, 14, 3), dtype=np.uint8), exif=exif)
    save("dog/gray.png", rng.integers(0, 256, (10, 10), dtype=np.uint8))
    save("dog/alpha.png", rng.integers(0, 256, (10, 10, 4), dtype=np.uint8))
    # "sea lion é": palette with transparency, 16-bit
    palette = Image.fromarray(rng.integers(0, 4, (9, 9), dtype=np.uint8), mode="P")
    palette.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255] + [0] * 756)
    save("sea lion é/palette.png", palette, transparency=0)
    sixteen = Image.fromarray(rng.integers(0, 65536, (9, 9), dtype=np.uint16))
    save("sea lion é/sixteen.png", sixteen)
    # bad files
    (src / "dog" / "empty.png").touch()
    (src / "dog" / "notes.jpg").write_text("not an image")
    good = src / "cat" / "0.png"
    (src / "cat" / "truncated.png").write_bytes(good.read_bytes()[:60])
    # left out: a hidden folder, a non-image file, an empty class, a link out
    save(".hidden/x.png", rng.integers(0, 256, (4, 4), dtype=np.uint8))
    (src / "dog" / "readme.txt").write_text("hello")
    (src / "empty class").mkdir()
    outside = tmp_path / "outside.png"
    Image.fromarray(rng.integers(0, 256, (4, 4), dtype=np.uint8)).save(outside)
    os.symlink(outside, src / "dog" / "link.png")
    return src


def readable(src):
    """The readable images of ``src`` and their class names, in scan order."""
    with warnings.catch_warnings():  # the empty class folder
        warnings.simplefilter("ignore", UserWarning)
        data = load_image_folder(src, on_error="skip")
    bad = {"empty.png", "notes.jpg", "truncated.png"}
    assert {os.path.basename(u["path"]) for u in data.unreadable} <= bad
    return list(data.paths), np.array(data.target_names)[data.target]


def test_inspect(dataset, tmp_path):
    result = run("inspect", dataset, "--json")
    assert result.returncode == 1, result.stderr  # unreadable files found
    report = json.loads(result.stdout)
    assert report.pop("exit_code") == 1 and report.pop("plot") is None
    assert report.pop("html_report") is None
    assert [(c["name"], c["images"], c["unreadable"]) for c in report["classes"]] == [
        ("cat", 10, 1),
        ("dog", 3, 2),
        ("sea lion é", 2, 0),
    ]
    assert report["imbalance_ratio"] == 5.0
    assert report["empty_classes"] == ["empty class"]
    reasons = {u["path"]: u["reason"] for u in report["unreadable"]}
    assert reasons["dog/empty.png"] == "empty file (0 bytes)"
    assert reasons["dog/notes.jpg"] == "not an image file Pillow can read"
    assert reasons["cat/truncated.png"].startswith("cannot be decoded:")
    assert report["hidden_entries"] == 1 and report["other_files"] == 1
    assert report["links_not_followed"] == ["dog/link.png"]
    assert report["modes"] == {"I;16": 1, "L": 1, "P": 1, "RGB": 11, "RGBA": 1}
    assert report["formats"] == {"JPEG": 1, "PNG": 14}
    # the EXIF quarter turn is applied: stored 14 wide and 8 high, it is
    # 8 wide and 14 high once turned
    assert report["sizes"]["width"] == {"min": 8, "median": 10.0, "max": 10}
    assert report["sizes"]["height"] == {"min": 9, "median": 12.0, "max": 14}
    text = run("inspect", dataset)
    assert text.returncode == 1
    assert text.stdout.startswith(f"dataset: {dataset}\n")
    assert "imbalance ratio (largest / smallest class): 5.00" in text.stdout
    assert "  dog/notes.jpg: not an image file Pillow can read" in text.stdout
    assert "1 links leading out of DIR" in text.stdout
    assert inspect_folder(dataset) == report


def test_inspect_plot_and_errors(dataset, tmp_path):
    plot = tmp_path / "classes.png"
    result = run("inspect", dataset, "--plot", plot)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert result.returncode == 2
        assert "--plot needs matplotlib: pip install 'imgbalance[plot]'" in (
            result.stderr
        )
    else:
        assert result.returncode == 1, result.stderr  # unreadable files found
        assert result.stdout.endswith(f"\nbar chart written to {plot}\n")
        with Image.open(plot) as image:
            assert image.format == "PNG" and image.size[0] > 100
    missing = run("inspect", tmp_path / "nowhere")
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr


def test_jpeg_checks_find_cut_and_corrupt_files(tmp_path):
    """JPEGs are checked at a reduced scale (faster), which still reads the
    whole stream: a cut file or a broken stream is unreadable, with the
    error a full decode gives, and a whole one gives its full size."""
    from imgbalance._contract._files import check_image_file

    rng = np.random.default_rng(0)
    small = rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)
    Image.fromarray(small).resize((400, 300)).save(tmp_path / "whole.jpg", quality=90)
    data = (tmp_path / "whole.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 2])
    broken = bytearray(data)
    broken[len(data) // 2 : len(data) // 2 + 50] = b"\xff" * 50
    (tmp_path / "broken.jpg").write_bytes(bytes(broken))
    whole = check_image_file(str(tmp_path / "whole.jpg"))
    assert (whole.reason, whole.format, whole.mode, whole.size) == (
        None,
        "JPEG",
        "RGB",
        (400, 300),
    )
    expected = {}
    for name in ["cut.jpg", "broken.jpg"]:
        with Image.open(tmp_path / name) as image:
            try:
                image.load()
            except OSError as error:  # what a full decode says
                expected[name] = f"cannot be decoded: {error}"
    assert expected["cut.jpg"].startswith("cannot be decoded: image file is truncated")
    assert expected["broken.jpg"] == (
        "cannot be decoded: broken data stream when reading image file"
    )
    for name, reason in expected.items():
        assert check_image_file(str(tmp_path / name)).reason == reason, name


def test_unreadable_files_refuse_by_default(dataset, tmp_path):
    before = hashes(dataset)
    dst = tmp_path / "dst"
    result = run("balance", dataset, dst)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr  # one line
    assert result.stderr.startswith(
        "imgbalance balance: 3 file(s) of SRC cannot be read (the first: "
    )
    assert "`imgbalance inspect SRC` lists them all." in result.stderr
    assert "use --on-error skip to leave them out" in result.stderr
    assert not dst.exists()
    assert hashes(dataset) == before


def test_balance_augment_writes_fit_resample_pixels(dataset, tmp_path):
    before = hashes(dataset)
    dst = tmp_path / "out put"
    result = run(
        "balance",
        dataset,
        dst,
        "--on-error",
        "skip",
        "--format",
        "png",
        "--seed",
        "3",
        "--json",
    )
    assert result.returncode == 1, result.stderr  # finished, files left out
    summary = json.loads(result.stdout)
    assert summary["exit_code"] == 1
    assert {s["path"] for s in summary["skipped"]} == {
        "cat/truncated.png",
        "dog/empty.png",
        "dog/notes.jpg",
    }
    assert "left out dog/notes.jpg: not an image file Pillow can read" in (
        result.stderr
    )
    assert [(c["name"], c["before"], c["after"]) for c in summary["classes"]] == [
        ("cat", 10, 10),
        ("dog", 3, 10),
        ("sea lion é", 2, 10),
    ]
    assert summary["links_not_followed"] == ["dog/link.png"]
    assert hashes(dataset) == before  # SRC unchanged

    rows = manifest(dst)
    assert len(rows) == 30 == summary["planned_files"] == summary["written"]
    assert [r["method"] for r in rows] == ["original"] * 15 + ["augment"] * 15
    # the in-memory sampler on the same images and seed gives the same pixels
    paths, y = readable(dataset)
    sampler = AugmentingOverSampler(random_state=3)
    X_res, y_res = sampler.fit_resample(paths, y)
    for k, row in enumerate(rows):
        image = load_image(os.path.join(dst, row["output"]))
        expected = load_image(X_res[k]) if k < 15 else X_res[k]
        np.testing.assert_array_equal(image, expected, err_msg=row["output"])
        assert row["class"] == y_res[k]
        source = paths[sampler.sample_indices_[k]]
        assert row["source"] == os.path.relpath(source, dataset).replace(os.sep, "/")
    generated = rows[15:]
    assert all(r["output"].endswith(".png") for r in rows)
    assert generated[0]["output"].split("/")[0] == "dog"
    assert {r["output"] for r in generated} >= {"dog/gray_aug0.png"}
    applied = json.loads(generated[0]["parameters"])["applied"]
    assert [step["transform"] for step in applied] == ["RandomAffine", "ColorJitter"]
    assert int(generated[0]["seed"]) > 0
    assert not [p for p in hashes(dst) if ".imgbalance-tmp-" in p]
    # the copy is itself a dataset: same classes, balanced
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        copy = load_image_folder(dst)
    assert np.bincount(copy.target).tolist() == [10, 10, 10]


def test_sixteen_bit_and_palette_kept(dataset, tmp_path):
    dst = tmp_path / "dst"
    assert run("balance", dataset, dst, "--on-error", "skip").returncode == 1
    rows = {r["output"]: r for r in manifest(dst)}
    with Image.open(dst / "sea lion é" / "sixteen_aug0.png") as image:
        assert image.mode == "I;16"
    with Image.open(dst / "sea lion é" / "palette_aug0.png") as image:
        assert image.mode == "RGBA"  # palette with transparency, decoded
    # JPEG sources stay JPEG, with a JPEG extension; EXIF orientation applied
    turned = [r for r in rows if r.startswith("dog/turned_aug")]
    assert turned and all(r.endswith(".jpg") for r in turned)
    with Image.open(dst / turned[0]) as image:
        assert image.format == "JPEG" and image.size == (8, 14)
    # originals copied byte for byte (format kept)
    assert (dst / "dog" / "turned.jpg").read_bytes() == (
        dataset / "dog" / "turned.jpg"
    ).read_bytes()


def test_jpeg_output_converts_and_notes_it(dataset, tmp_path):
    dst = tmp_path / "dst"
    result = run(
        "balance", dataset, dst, "--on-error", "skip", "--format", "jpeg", "--quiet"
    )
    assert result.returncode == 1 and result.stdout == ""
    rows = {r["output"]: r for r in manifest(dst)}
    assert rows["dog/alpha.jpg"]["note"] == "alpha dropped: JPEG has none"
    assert rows["sea lion é/sixteen.jpg"]["note"] == "16-bit to 8-bit: JPEG has 8 bits"
    assert rows["cat/0.jpg"]["note"] == ""
    for output in rows:
        with Image.open(dst / output) as image:
            assert image.format == "JPEG" and image.mode in ("L", "RGB")


def test_random_copies_and_links(dataset, tmp_path, capsys):
    paths, y = readable(dataset)
    for originals in ("copy", "hardlink", "symlink", "none"):
        dst = tmp_path / originals
        code, _, err = run_here(
            capsys,
            *("balance", dataset, dst, "--method", "random", "--on-error", "skip"),
            *("--originals", originals, "--seed", "5"),
        )
        assert code == 1, err
        rows = manifest(dst)
        generated = [r for r in rows if r["method"] == "random"]
        sampler = RandomImageOverSampler(random_state=5)
        X_res, _ = sampler.fit_resample(paths, y)
        assert [os.path.join(dataset, r["source"]) for r in generated] == [
            os.path.normpath(p) for p in X_res[len(paths) :]
        ]
        for row in generated:  # copies of the source file, byte for byte
            assert (dst / row["output"]).read_bytes() == (
                dataset / row["source"]
            ).read_bytes()
        originals_rows = [r for r in rows if r["method"] == "original"]
        if originals == "none":
            assert not originals_rows
            continue
        assert len(originals_rows) == 15
        first = dst / originals_rows[0]["output"]
        source = dataset / originals_rows[0]["source"]
        if originals == "symlink":
            assert os.path.islink(first)
            assert os.path.realpath(first) == os.path.realpath(source)
        elif originals == "hardlink":
            assert os.stat(first).st_ino == os.stat(source).st_ino
        else:
            assert not os.path.islink(first)
            assert os.stat(first).st_ino != os.stat(source).st_ino


@pytest.mark.parametrize(
    "counts, strategy, n_made",
    [
        ([("a", 12), ("b", 4), ("c", 3)], "auto", 17),
        ([("a", 12), ("b", 4)], "auto", 8),  # one class to grow
        ([("a", 12), ("b", 4), ("c", 3)], "minority", 9),
    ],
    ids=["three-classes", "two-classes", "three-classes-minority"],
)
def test_smote_writes_embedding_smote_pixels(tmp_path, counts, strategy, n_made):
    """The pixels EmbeddingSMOTE.fit_resample makes from the whole folder,
    whether one class or several are grown."""
    rng = np.random.default_rng(1)
    src = tmp_path / "src"
    for name, n in counts:
        (src / name).mkdir(parents=True)
        for i in range(n):
            Image.fromarray(rng.integers(0, 256, (6, 6, 3), dtype=np.uint8)).save(
                src / name / f"{i}.png"
            )
    dst = tmp_path / "dst"
    args = ("--method", "smote", "--seed", "2", "--strategy", strategy)
    result = run("balance", src, dst, *args)
    assert result.returncode == 0, result.stderr
    small = "note: Class 'c' has 3 samples, too few for k_neighbors=5"
    assert (small in result.stderr) is (counts[-1][0] == "c")
    rows = manifest(dst)
    paths, y = readable(src)
    with warnings.catch_warnings():  # the note above, when c is grown
        warnings.simplefilter("ignore", UserWarning)
        sampler = EmbeddingSMOTE(sampling_strategy=strategy, random_state=2)
        X_res, _ = sampler.fit_resample(paths, y)
    synthetic = [r for r in rows if r["method"] == "smote"]
    assert len(synthetic) == len(X_res) - len(paths) == n_made
    for k, row in enumerate(synthetic):
        np.testing.assert_array_equal(
            load_image(os.path.join(dst, row["output"])), X_res[len(paths) + k]
        )
        parameters = json.loads(row["parameters"])
        assert parameters["neighbor"].split("/")[0] == row["class"]
        assert 0 <= parameters["gap"] < 1


def test_refusals_write_nothing(dataset, tmp_path, capsys):
    before = hashes(dataset)
    ours = tmp_path / "ours"
    assert run("balance", dataset, ours, "--on-error", "skip").returncode == 1
    ours_hashes = hashes(ours)
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    cases = [
        ((dataset, dataset), "is SRC; give a separate folder"),
        ((dataset, dataset / "cat" / "out"), "is inside SRC"),
        ((dataset / "cat", dataset.parent), "is around SRC"),
        ((dataset, other), "is not empty and was not written by imgbalance"),
        ((dataset, other, "--resume"), "is not empty and was not written by"),
        (
            (dataset, ours, "--on-error", "skip"),
            "holds a finished run of imgbalance (its manifest is written); give an "
            "empty or new folder, or use --resume to check it",
        ),
        (
            (dataset, ours, "--on-error", "skip", "--resume", "--seed", "9"),
            "seed: 0 then, 9 now",
        ),
        (
            (dataset, tmp_path / "x", "--originals", "symlink", "--format", "png"),
            "use --originals copy or --originals none",
        ),
        (
            (dataset, tmp_path / "x", "--on-error", "skip", "--strategy", "dog=4,w=3"),
            "--strategy names 'w', not classes of SRC",
        ),
        ((dataset, tmp_path / "x", "--strategy", "maybe"), "--strategy: 'maybe'"),
        ((dataset / "nope", tmp_path / "x"), "does not exist"),
    ]
    for args, message in cases:
        code, out, err = run_here(capsys, "balance", *args)
        assert code == 2, (args, err)
        assert message in err and out == "", (args, err)
    # the installed command: the same refusal, the same status
    result = run("balance", dataset, dataset / "cat" / "out")
    assert result.returncode == 2 and "is inside SRC" in result.stderr
    assert main(["balance", str(dataset), str(tmp_path / "x"), "--method", "mix"]) == 2
    assert "invalid choice: 'mix'" in capsys.readouterr().err
    assert hashes(dataset) == before
    assert hashes(ours) == ours_hashes
    assert hashes(other) == {"keep.txt": hashes(other)["keep.txt"]}
    assert not (tmp_path / "x").exists()


def test_dry_run_and_resume_of_a_finished_run(dataset, tmp_path):
    dst = tmp_path / "dst"
    dry = run("balance", dataset, dst, "--on-error", "skip", "--dry-run")
    assert dry.returncode == 1
    assert "dog              3 ->     10" in dry.stdout
    assert dry.stdout.endswith(
        "dry run: 30 files planned (3 unreadable files left out, listed above), "
        "none written\n"
    )
    assert dry.stdout.count("unreadable") == 1  # said once
    assert dry.stderr.count("imgbalance balance: left out ") == 3
    assert not dst.exists()
    assert run("balance", dataset, dst, "--on-error", "skip").returncode == 1
    finished = hashes(dst)
    again = run("balance", dataset, dst, "--on-error", "skip", "--resume")
    assert again.returncode == 1
    assert (
        "wrote 0 files (30 were there from the earlier run; 3 unreadable files "
        "left out, listed above); manifest: " in again.stdout
    )
    assert hashes(dst) == finished
    # files removed after the run finished are written again, the same
    os.remove(dst / "dog" / "gray_aug0.png")
    os.remove(dst / "cat" / "0.png")
    again = run("balance", dataset, dst, "--on-error", "skip", "--resume")
    assert "wrote 2 files (28 were there from the earlier run; " in again.stdout
    assert hashes(dst) == finished


def test_resume_after_kill_equals_an_uninterrupted_run(tmp_path):
    rng = np.random.default_rng(2)
    src = tmp_path / "src"
    for name, n in [("many", 400), ("few", 20)]:
        (src / name).mkdir(parents=True)
        for i in range(n):
            Image.fromarray(rng.integers(0, 256, (48, 48, 3), dtype=np.uint8)).save(
                src / name / f"{i:03d}.png"
            )
    whole = tmp_path / "whole"
    assert run("balance", src, whole, "--quiet").returncode == 0

    cut = tmp_path / "cut"
    process = subprocess.Popen(
        [COMMAND, "balance", str(src), str(cut), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # kill once generated files appear
        if (cut / "few").is_dir() and any(
            "_aug" in name for name in os.listdir(cut / "few")
        ):
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not (cut / "manifest.csv").exists(), "the run ended before the kill"
    partial = len(hashes(cut))
    assert 0 < partial < len(hashes(whole))

    result = run("balance", src, cut, "--resume", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["already_done"] + summary["written"] == summary["planned_files"]
    assert summary["written"] > 0
    assert hashes(cut) == hashes(whole)
    assert not [p for p in hashes(cut) if ".imgbalance-tmp-" in p]


def test_library_api(dataset, tmp_path):
    plans = []
    summary = balance_folder(
        dataset,
        tmp_path / "dst",
        on_error="skip",
        strategy="dog=5",
        on_plan=plans.append,
    )
    assert plans[0]["written"] == 0 and summary["written"] == 17
    assert [(c["name"], c["after"]) for c in summary["classes"]] == [
        ("cat", 10),
        ("dog", 5),
        ("sea lion é", 2),
    ]
    assert parse_strategy("minority") == "minority"
    assert parse_strategy("a=1, b c=2") == {"a": 1, "b c": 2}


def test_error_while_writing_stops_with_status_3_and_resume_finishes(
    dataset, tmp_path, capsys, monkeypatch
):
    from imgbalance.folder import _journal

    whole = tmp_path / "whole"
    args = ("balance", dataset, whole, "--on-error", "skip", "--format", "png")
    assert run_here(capsys, *args)[0] == 1
    # in the third job: the two of the originals are done
    undo = disk_full_after(monkeypatch, 17)
    cut = tmp_path / "cut"
    code, _, err = run_here(capsys, "balance", dataset, cut, *args[3:])
    assert code == 3
    assert "stopped: [Errno 28] No space left on device" in err
    assert "run again with --resume to finish" in err
    assert not (cut / "manifest.csv").exists()
    assert not [p for p in hashes(cut) if ".imgbalance-tmp-" in p]
    undo()
    # what a kill while writing the journal can leave: its last line cut short
    with open(cut / _journal.JOURNAL, "ab") as journal:
        journal.write(b'17\t"dog/gr')
    code, out, _ = run_here(capsys, "balance", dataset, cut, *args[3:], "--resume")
    assert code == 1 and "wrote 15 files (15 were there from the earlier run; " in out
    assert hashes(cut) == hashes(whole)


def test_progress_bar_only_on_a_terminal(dataset, tmp_path, capsys, monkeypatch):
    """tqdm draws on stderr when it is a terminal, not otherwise, never with
    --quiet."""
    import io

    tqdm = pytest.importorskip("tqdm")  # the test extra installs it
    del tqdm

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    args = ("balance", dataset, "--on-error", "skip", "--format", "png")
    for name, quiet, expect_bar in [("a", (), True), ("b", ("--quiet",), False)]:
        terminal = Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        code = main([str(a) for a in (*args[:2], tmp_path / name, *args[2:], *quiet)])
        monkeypatch.undo()
        assert code == 1
        assert ("30/30" in terminal.getvalue()) is expect_bar, terminal.getvalue()
    code, _, err = run_here(capsys, *args[:2], tmp_path / "c", *args[2:])
    assert code == 1 and "30/30" not in err  # stderr is not a terminal here


def test_no_readable_image_is_refused(tmp_path, capsys):
    src = tmp_path / "src"
    for name in ("a", "b"):
        (src / name).mkdir(parents=True)
        (src / name / "empty.png").touch()
    code, _, err = run_here(
        capsys, "balance", src, tmp_path / "dst", "--on-error", "skip"
    )
    assert code == 2
    assert (
        "none of the 2 image files of SRC can be read (the first: a/empty.png: " in err
    )
    assert not (tmp_path / "dst").exists()


class OpenCVThreads(BaseTransform):
    """Records how many threads OpenCV had while it ran."""

    _parameter_constraints = {}

    def _augment(self, image, rng, records):
        import cv2

        records.append({"transform": "OpenCVThreads", "threads": cv2.getNumThreads()})
        return image.copy()


def _threads_seen(dst):
    """The OpenCV threads each augmented output of ``dst`` was made with."""
    return [
        json.loads(row["parameters"])["applied"][0]["threads"]
        for row in manifest(dst)
        if row["method"] == "augment"
    ]


def test_jobs_run_opencv_on_one_thread(tmp_path, monkeypatch):
    """Two worker processes, each with OpenCV's own threads, would put twice
    as many threads as cores to work; one job runs on one core. (The pool is
    forced: this little work would run in this process.)"""
    from imgbalance.folder import _writing

    monkeypatch.setattr(_writing, "WRITES_PAY_AFTER", 0.0)
    cv2 = pytest.importorskip("cv2")
    threads = cv2.getNumThreads()
    if threads == 1:
        pytest.skip("OpenCV runs on one thread on this machine anyway")
    src = write_pngs(tmp_path / "src", {"many": 12, "few": 2})
    for jobs, expected in [(1, 1), (2, 1)]:
        dst = tmp_path / f"out-{jobs}"
        balance_folder(src, dst, augmenter=OpenCVThreads(), n_jobs=jobs)
        assert _threads_seen(dst) == [expected] * 10, jobs
        assert cv2.getNumThreads() == threads  # this process's setting kept


def test_little_work_stays_in_this_process_whatever_jobs(tmp_path):
    """Worker processes start by importing the render engine (tenths of a
    second): a small folder is written here, one job at a time, so with
    OpenCV on one thread; where joblib runs jobs in threads, OpenCV's
    setting is left alone (changing it from several threads would race)."""
    from joblib import parallel_config

    cv2 = pytest.importorskip("cv2")
    threads = cv2.getNumThreads()
    if threads == 1:
        pytest.skip("OpenCV runs on one thread on this machine anyway")
    src = write_pngs(tmp_path / "src", {"many": 12, "few": 2})
    for backend, expected in [("loky", 1), ("threading", threads)]:
        dst = tmp_path / backend
        with parallel_config(backend=backend):
            balance_folder(src, dst, augmenter=OpenCVThreads(), n_jobs=2)
        assert _threads_seen(dst) == [expected] * 10, backend
        assert cv2.getNumThreads() == threads


def test_names_taken_get_a_number(tmp_path):
    """Outputs whose names differ only by case from an earlier output's, or
    equal a source's, are numbered; the sources keep theirs."""
    src = tmp_path / "src"
    (src / "many").mkdir(parents=True)
    (src / "few").mkdir()
    (src / "few" / "A.png").touch()
    if (src / "few" / "a.png").exists():
        pytest.skip("this file system ignores case")
    (src / "few" / "A.png").unlink()
    rng = np.random.default_rng(4)

    def save(relative):
        pixels = rng.integers(0, 256, (6, 6, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(src / relative)

    for i in range(12):
        save(f"many/m{i}.png")
    save("many/m0.jpg")
    for name in ("A.png", "a.png", "b.png", "b_aug0.png"):
        save(f"few/{name}")

    dst = tmp_path / "dst"
    balance_folder(src, dst, strategy="few=12")
    rows = manifest(dst)
    outputs = [row["output"] for row in rows]
    assert len({o.lower() for o in outputs}) == len(outputs) == 13 + 12
    originals = {r["output"]: r["source"] for r in rows if r["method"] == "original"}
    assert originals["few/A.png"] == "few/A.png"
    assert originals["few/a-1.png"] == "few/a.png"
    assert originals["few/b_aug0.png"] == "few/b_aug0.png"
    made = {}
    for row in rows:
        if row["method"] == "augment":
            made.setdefault(row["source"], set()).add(row["output"])
    assert made["few/b.png"] == {"few/b_aug0-1.png", "few/b_aug1.png"}
    assert made["few/b_aug0.png"] == {"few/b_aug0_aug0.png", "few/b_aug0_aug1.png"}
    assert {o.lower() for o in made["few/A.png"] | made["few/a.png"]} == {
        "few/a_aug0.png",
        "few/a_aug0-1.png",
        "few/a_aug1.png",
        "few/a_aug1-1.png",
    }
    assert sorted(os.listdir(dst / "few")) == sorted(
        os.path.basename(o) for o in outputs if o.startswith("few/")
    )

    # a JPEG and a PNG of one stem, both written as PNG
    balance_folder(src, tmp_path / "png", strategy="few=12", image_format="png")
    rows = manifest(tmp_path / "png")
    sources = {r["output"]: r["source"] for r in rows if r["method"] == "original"}
    assert sources["many/m0.png"] == "many/m0.jpg"  # first in scan order
    assert sources["many/m0-1.png"] == "many/m0.png"


def test_jobs_hold_fewer_big_images():
    from imgbalance.folder._writing import batch_size as _batch_size

    assert _batch_size(64 * 64, 7501, 2) == 256  # small images: the cap
    assert _batch_size(224 * 224, 7501, 2) == 167  # 8 million pixels
    assert _batch_size(4000 * 3000, 7501, 2) == 1
    assert _batch_size(64 * 64, 30, 1) == 8  # four jobs at least per worker
    assert _batch_size(64 * 64, 30, 2) == 4


def test_names_with_commas_quotes_tabs_and_line_ends(tmp_path):
    """Such names go through the manifest (CSV) and the journal, also when a
    finished run is resumed."""
    src = tmp_path / "src"
    odd = ['tab\there "quoted", comma.png', "line\nend.png"]
    (src / "many").mkdir(parents=True)
    (src / "few, odd").mkdir()
    rng = np.random.default_rng(5)
    for relative in [f"many/{i}.png" for i in range(4)] + [
        f"few, odd/{n}" for n in odd
    ]:
        pixels = rng.integers(0, 256, (5, 5), dtype=np.uint8)
        Image.fromarray(pixels).save(src / relative)
    dst = tmp_path / "dst"
    balance_folder(src, dst)
    rows = manifest(dst)
    assert sorted(r["output"] for r in rows if r["class"] == "few, odd") == sorted(
        [f"few, odd/{n}" for n in odd]
        + ['few, odd/tab\there "quoted", comma_aug0.png', "few, odd/line\nend_aug0.png"]
    )
    assert sorted(hashes(dst)) == sorted(
        [r["output"] for r in rows]
        + [
            "manifest.csv",
            ".imgbalance-run.json",
            ".imgbalance-sizes.tsv",
            ".imgbalance-sources.tsv",
        ]
    )
    finished = hashes(dst)
    os.remove(dst / "few, odd" / "line\nend_aug0.png")
    balance_folder(src, dst, resume=True)
    assert hashes(dst) == finished
