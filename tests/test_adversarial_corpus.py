"""The corpus of odd files (``tests/odd_files.py``: every mode Pillow
writes, animated GIF and WebP, EXIF orientations, a CMYK JPEG, truncated
and zero-byte files, decompression bombs, other formats under an image's
name, names that differ only by Unicode normalisation or case, names with
a line end or a leading dash) through every command that reads a folder:
``inspect``, ``balance`` (every method, formats, jobs), ``split``,
``leaks`` and ``compare``. Each ends with its documented status and, when
it refuses or stops, one line; never a traceback or a raw warning; SRC
byte-identical afterwards; what it writes is whole (no temporary file).

``IMGBALANCE_ADVERSARIAL=full`` writes every mode in every format and the
larger cases (a bomb within twice Pillow's limit, read in full)."""

import csv
import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from adversarial import FULL, file_hashes
from commands import COMMAND
from odd_files import make_odd_folder


def _runs(full):
    """Each run: (name, arguments with SRC/OUT placeholders, expected
    status, expected standard error: "" (nothing), "one" (one line of
    refusal, matched by the pattern), or "notes" (lines each starting with
    the command's name: notes and files left out))."""
    skip = ("--on-error", "skip")
    grow = ("--strategy", "common=80,odd=120")  # the odd files rendered too
    runs = [
        ("inspect", ("inspect", "SRC"), 1, ""),
        (
            "inspect json duplicates report",
            ("inspect", "SRC", "--json", "--duplicates", "--report", "OUT/i.html"),
            1,
            "",
        ),
        (
            "balance refuses unreadable files",
            ("balance", "SRC", "OUT/b"),
            2,
            ("one", r"file\(s\) of SRC cannot be read \(the first: odd/"),
        ),
        ("balance augment", ("balance", "SRC", "OUT/a", *skip, *grow), 1, "notes"),
        (
            "balance random",
            ("balance", "SRC", "OUT/r", *skip, *grow, "--method", "random"),
            1,
            "notes",
        ),
        (
            "balance smote refuses 32-bit beside others",
            ("balance", "SRC", "OUT/s", *skip, *grow, "--method", "smote"),
            2,
            # (in the larger corpus, an image of another size is met first)
            (
                "one",
                r"--method smote (reads the images of the classes to grow in "
                r"one|interpolates between images of one size)",
            ),
        ),
        (
            "balance png refuses 32-bit",
            ("balance", "SRC", "OUT/p", *skip, *grow, "--format", "png"),
            2,
            ("one", r"32-bit (integer|float) \(mode [IF]\) pixels, which PNG cannot"),
        ),
        (
            "balance quiet",
            ("balance", "SRC", "OUT/q", *skip, *grow, "--method", "random", "--quiet"),
            1,
            "",
        ),
        (
            "split",
            ("split", "SRC", "OUT/t", *skip, "--report", "OUT/t.html"),
            1,
            "notes",
        ),
        ("leaks", ("leaks", "SRC", "SRC", "--quiet"), 1, ""),
        ("compare", ("compare", "SRC", "--max-time", "1"), 0, "notes"),
    ]
    if full:
        runs += [
            (
                "balance augment 2 jobs",
                ("balance", "SRC", "OUT/a2", *skip, *grow, "--jobs", "2"),
                1,
                "notes",
            ),
            (
                "balance jpeg 2 jobs report",
                (
                    "balance",
                    "SRC",
                    "OUT/j",
                    *skip,
                    *grow,
                    "--format",
                    "jpeg",
                    "--jobs",
                    "2",
                    "--report",
                    "OUT/j.html",
                ),
                2,
                ("one", r"32-bit (integer|float) \(mode [IF]\) pixels, which JPEG"),
            ),
            (
                "balance hardlink dry run",
                (
                    "balance",
                    "SRC",
                    "OUT/h",
                    *skip,
                    "--originals",
                    "hardlink",
                    "--dry-run",
                ),
                1,
                "notes",
            ),
            (
                "balance smote quiet",
                ("balance", "SRC", "OUT/sq", *skip, "--method", "smote", "--quiet"),
                1,
                "",
            ),
            ("inspect 2 jobs", ("inspect", "SRC", "--jobs", "2", "--quiet"), 1, ""),
            (
                "split quiet json",
                ("split", "SRC", "OUT/u", *skip, "--quiet", "--json"),
                1,
                "",
            ),
            (
                "split per class",
                ("split", "SRC", "OUT/v", *skip, "--per-class", "2", "--quiet"),
                1,
                "",
            ),
            ("compare quiet", ("compare", "SRC", "--max-time", "3", "--quiet"), 0, ""),
        ]
    return runs


RUNS = _runs(FULL)


def _refused_by_some(path):
    """Whether some runs refuse the file at ``path`` (and so the runs of
    the other files): 32-bit pixels (mode I or F), or a size other than
    the corpus's (for SMOTE)."""
    from imgbalance._contract._files import check_image_file

    info = check_image_file(str(path))
    return info.ok and (info.mode in ("I", "F") or info.size != (16, 16))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("odd")
    n_odd = make_odd_folder(root / "src", full=FULL)
    return root, n_odd


def _run(args, root):
    args = [
        str(root / "src") if a == "SRC" else a.replace("OUT", str(root / "out"))
        for a in args
    ]
    args = [a.replace("NARROW", str(root / "narrow")) for a in args]
    result = subprocess.run(
        [COMMAND, *args],
        capture_output=True,
        timeout=900,
        env={**os.environ, "PYTHONWARNINGS": "default"},  # show any warning
    )
    return args, result


# the refused runs, on the corpus without the files they refuse (32-bit
# pixels, images of another size): SMOTE reads every other mode in one,
# PNG and JPEG take every other mode
NARROW = {
    f"without 32-bit files {' '.join(options)}": (
        "balance",
        "NARROW",
        f"OUT/n{k}",
        "--on-error",
        "skip",
        "--strategy",
        "common=80,odd=120",
        "--quiet",
        *options,
    )
    for k, options in enumerate(
        [
            ("--method", "smote"),
            ("--format", "png", "--method", "random"),
            ("--format", "jpeg"),
        ]
    )
}


@pytest.fixture(scope="module")
def outcomes(corpus):
    """Every run of ``RUNS`` on the corpus, and of ``NARROW`` on the corpus
    without the files some runs refuse, four at a time."""
    root, _ = corpus
    (root / "out").mkdir()
    subprocess.run(["cp", "-a", str(root / "src"), str(root / "narrow")], check=True)
    for path in (root / "narrow" / "odd").iterdir():
        if _refused_by_some(path):
            os.remove(path)
    before = [file_hashes(root / folder) for folder in ("src", "narrow")]
    runs = {name: args for name, args, *_ in RUNS} | NARROW
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(_run, args, root) for name, args in runs.items()}
        results = {name: future.result() for name, future in futures.items()}
    # SRC byte-identical
    assert [file_hashes(root / folder) for folder in ("src", "narrow")] == before
    return results


def test_the_corpus_holds_the_odd_cases(corpus):
    root, n_odd = corpus
    names = set(os.listdir(root / "src" / "odd"))
    assert n_odd == len(names) >= (100 if FULL else 50)
    for name in ("animated.gif", "animated.webp", "cmyk.jpg", "bomb.png", "exif-6.jpg"):
        assert name in names
    assert {"caf\u00e9.png", "cafe\u0301.png", "Case.png", "case.png"} <= names
    assert "line\nend.png" in names and "-leading-dash.png" in names


@pytest.mark.parametrize("name, args, code, said", RUNS, ids=[r[0] for r in RUNS])
def test_the_corpus_through_a_command(outcomes, corpus, name, args, code, said):
    root, _ = corpus
    argv, result = outcomes[name]
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    where = f"{argv}\nstatus {result.returncode}\nstderr: {err[:2000]!r}"
    assert result.returncode == code, where
    assert "Traceback" not in err and "Warning" not in err, where
    lines = err.splitlines()
    if said == "":
        assert err == "", where
    elif said == "notes":
        assert all(line.startswith(f"imgbalance {argv[0]}: ") for line in lines), where
    else:
        assert len(lines) == 1 and re.search(said[1], lines[0]), where
    if "--json" in argv:
        assert json.loads(out)["exit_code"] == code
    written = [a for a in argv if a.startswith(str(root / "out"))]
    for path in written:
        if os.path.isdir(path):
            left = file_hashes(path)
            assert not [p for p in left if ".imgbalance-tmp-" in p], where
            if code == 1 and "--dry-run" not in argv:
                assert "manifest.csv" in left, where
        elif code == 2:
            assert not os.path.exists(path), where  # refused: nothing written


@pytest.mark.parametrize("name", list(NARROW))
def test_without_the_files_refused_every_method_writes(outcomes, name):
    argv, result = outcomes[name]
    assert (result.returncode, result.stderr) == (1, b""), result.stderr[:2000]
    with open(os.path.join(argv[2], "manifest.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 80 + 120  # names with line ends and tabs too
    assert any("line\nend" in row["output"] for row in rows)
