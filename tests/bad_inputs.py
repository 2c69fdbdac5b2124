"""The bad-input corpus of the ``imgbalance`` command, made on the fly.

Each case builds what a careless user or an adversary would hand the
command (odd folders, odd files, odd names, nonsense arguments) under a
fresh folder, and says what the command must answer: its exit status and
the one line it prints. ``tests/test_bad_input_corpus.py`` runs every case
through the installed command. To look at the corpus by hand::

    python tests/bad_inputs.py /tmp/corpus   # one folder per case, and its command
"""

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from folders import write_pngs


@dataclass
class Case:
    """``make(root)`` builds the case under ``root`` and returns the
    command's arguments; the command must exit with ``code``, print
    ``message`` (a regular expression, searched) on standard error, and, for
    a status other than 0, only that one line."""

    name: str
    make: object
    code: int
    message: str
    stdout: str = None  # a regular expression the standard output must match
    notes: list = field(default_factory=list)  # regexes of note lines (status 0)


def _src(root, counts=None, **kwargs):
    return write_pngs(root / "src", counts or {"cat": 4, "dog": 2}, **kwargs)


def _balance(*args):
    def make(root):
        src = _src(root)
        return ["balance", src, root / "dst", *args]

    return make


def _balance_counts(counts, *args):
    def make(root):
        return ["balance", _src(root, counts), root / "dst", *args]

    return make


def _with_files(files, *args, command="balance"):
    """SRC of 4 cats and 2 dogs, plus ``files`` (relative path -> bytes, or
    a function writing the file)."""

    def make(root):
        src = _src(root)
        for relative, content in files.items():
            path = src / os.fsdecode(relative)
            path.parent.mkdir(parents=True, exist_ok=True)
            if callable(content):
                content(path)
            else:
                path.write_bytes(content)
        if command == "inspect":
            return ["inspect", src, *args]
        return ["balance", src, root / "dst", *args]

    return make


def _png_bytes():
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def _tiff(mode):
    def write(path):
        gradient = np.arange(64, dtype=np.int32).reshape(8, 8) * 15
        if mode == "F":
            Image.fromarray(gradient.astype(np.float32) / 1000, "F").save(path)
        else:
            Image.fromarray(gradient, "I").save(path)

    return write


def _one_bit(path):
    Image.fromarray(np.eye(8, dtype=bool)).save(path)


def _large(path):
    # above Pillow's default limit of 89,478,485 pixels, below twice it
    Image.new("1", (9500, 9500)).save(path)


def _empty_src(root):
    (root / "src").mkdir()
    return ["balance", root / "src", root / "dst"]


def _empty_classes(root):
    for name in ("cat", "dog"):
        (root / "src" / name).mkdir(parents=True)
    return ["balance", root / "src", root / "dst"]


def _flat(root):
    (root / "src").mkdir()
    for i in range(3):
        Image.new("RGB", (8, 8)).save(root / "src" / f"{i}.png")
    return ["balance", root / "src", root / "dst"]


def _src_a_file(root):
    (root / "src.png").write_bytes(_png_bytes())
    return ["balance", root / "src.png", root / "dst"]


def _dst(kind):
    def make(root):
        src = _src(root)
        if kind == "inside":
            return ["balance", src, src / "cat" / "out"]
        if kind == "same":
            return ["balance", src, src]
        if kind == "around":
            return ["balance", src, root]
        if kind == "file":
            (root / "dst").write_text("a file")
        elif kind == "dangling":
            (root / "dst").symlink_to(root / "nowhere")
        elif kind == "foreign":
            (root / "dst").mkdir()
            (root / "dst" / "notes.txt").write_text("mine")
        return ["balance", src, root / "dst"]

    return make


def _damaged_marker(root):
    src = _src(root)
    (root / "dst").mkdir()
    (root / "dst" / ".imgbalance-run.json").write_text('{"settings": ')
    return ["balance", src, root / "dst", "--resume"]


def _only_unreadable(root):
    for name in ("cat", "dog"):
        (root / "src" / name).mkdir(parents=True)
        (root / "src" / name / "0.png").write_bytes(b"")
    return ["balance", root / "src", root / "dst", "--on-error", "skip"]


def _smote_mixed_sizes(root):
    src = _src(root)
    Image.new("RGB", (12, 9)).save(src / "dog" / "wide.png")
    return ["balance", src, root / "dst", "--method", "smote"]


def _plot(where):
    def make(root):
        src = _src(root)
        target = {
            "inside": src / "cat" / "0.png",
            "no folder": root / "nowhere" / "chart.png",
            "a folder": root,
        }[where]
        return ["inspect", src, "--plot", target]

    return make


def _odd_names(root):
    names = [
        "with space.png",
        "quote'\"s.png",
        "comma,semi;colon.png",
        "new\nline.png",
        "-leading-dash.png",
        "ünïcödé 猫.png",
        "hash#percent%.png",
        "UPPER.PNG",
    ]
    src = _src(root, {"cat": 9})
    (src / "dog, the 'odd'\tclass").mkdir()
    for i, name in enumerate(names):
        Image.new("RGB", (8, 8), (i * 30, 0, 0)).save(
            src / "dog, the 'odd'\tclass" / name, "PNG"
        )
    return ["balance", src, root / "dst"]


def _links_and_clutter(root):
    src = _src(root)
    (src / "cat" / "loop").symlink_to(src)  # a link back up: not followed
    (src / "dog" / ".hidden.png").write_bytes(_png_bytes())
    (src / "dog" / "notes.txt").write_text("not an image")
    (src / "dog" / "outside.png").symlink_to(root / "elsewhere.png")
    (root / "elsewhere.png").write_bytes(_png_bytes())
    return ["balance", src, root / "dst"]


_UNREADABLE = {
    "dog/empty.png": b"",
    "dog/truncated.png": _png_bytes()[:60],
    "dog/text.png": b"not an image at all",
    "cat/random.jpg": bytes(range(256)) * 4,
}

CASES = [
    # the folder itself
    Case(
        "SRC missing",
        lambda r: ["balance", r / "nowhere", r / "dst"],
        2,
        r"SRC '.*nowhere' does not exist",
    ),
    Case("SRC a file", _src_a_file, 2, r"SRC '.*src\.png' is not a folder"),
    Case(
        "SRC empty",
        _empty_src,
        2,
        r"SRC: '.*src' has no class folder; expected SRC/<class>/<image>",
    ),
    Case(
        "SRC only empty class folders",
        _empty_classes,
        2,
        r"has 2 class folder\(s\), none holding an image \(\.bmp, .*\); expected ",
    ),
    Case(
        "SRC images not in class folders",
        _flat,
        2,
        r"has 3 image file\(s\) directly in it and no class folder holding an image",
    ),
    Case(
        "unreadable files",
        _with_files(_UNREADABLE),
        2,
        r"^imgbalance balance: 4 file\(s\) of SRC cannot be read \(the first: "
        r"cat/random\.jpg: .*\); `imgbalance inspect SRC` lists them all\. "
        r"Remove or replace them, or use --on-error skip",
    ),
    Case(
        "only unreadable files, skipped",
        _only_unreadable,
        2,
        r"none of the 2 image files of SRC can be read",
    ),
    Case(
        "class named like the manifest",
        _with_files({"MANIFEST.csv/0.png": _png_bytes()}),
        2,
        r"class folder named 'MANIFEST\.csv'",
    ),
    Case(
        "file name not UTF-8",
        _with_files({b"dog/bad\xff.png": _png_bytes()}),
        2,
        r"dog/bad\\xff\.png",
    ),
    Case(
        "file name too long",
        _with_files({"dog/" + "n" * 240 + ".png": _png_bytes()}),
        2,
        r"1 file name\(s\) of SRC are longer than the \d+ bytes that leave room "
        r"for the outputs' names \('dog/n+\.png'\); shorten them\.",
    ),
    Case(
        "float TIFF to PNG",
        _with_files({"dog/f.tif": _tiff("F")}, "--format", "png"),
        2,
        r"32-bit float \(mode F\) pixels, which PNG cannot store",
    ),
    Case(
        "int32 TIFF to JPEG",
        _with_files({"dog/i.tif": _tiff("I")}, "--format", "jpeg"),
        2,
        r"32-bit integer \(mode I\) pixels, which JPEG cannot store",
    ),
    Case(
        "smote on images of two sizes",
        _smote_mixed_sizes,
        2,
        r"--method smote interpolates between images of one size, and the classes "
        r"to grow hold images of 2 sizes \(8x8, 12x9\)\. Use --method augment, or "
        r"resize them first\.",
    ),
    # where the copy goes
    Case(
        "DST inside SRC",
        _dst("inside"),
        2,
        r"DST .* is inside SRC .*: imgbalance never writes into the source dataset",
    ),
    Case("DST is SRC", _dst("same"), 2, r"DST .*src' is SRC; give a separate folder\."),
    Case(
        "DST around SRC",
        _dst("around"),
        2,
        r"DST .* is around SRC .*: imgbalance never writes into the source dataset",
    ),
    Case("DST a file", _dst("file"), 2, r"DST .*dst' is a file; give a folder\."),
    Case(
        "DST a dangling link",
        _dst("dangling"),
        2,
        r"is a symbolic link to .*nowhere', which does not exist",
    ),
    Case(
        "DST holds other files",
        _dst("foreign"),
        2,
        r"is not empty and was not written by imgbalance balance or split",
    ),
    Case(
        "damaged run record",
        _damaged_marker,
        2,
        r"holds a damaged record of an earlier run \(\.imgbalance-run\.json: ",
    ),
    # nonsense arguments
    Case(
        "--jobs 0",
        _balance("--jobs", "0"),
        2,
        r"argument --jobs: give a number of jobs \(1, 2\.\.\.\), or -1 for one "
        r"per core; got '0'",
    ),
    Case(
        "--seed -1",
        _balance("--seed", "-1"),
        2,
        r"give a whole number from 0 to 4294967295",
    ),
    Case(
        "--seed 2**32",
        _balance("--seed", "4294967296"),
        2,
        r"give a whole number from 0 to 4294967295",
    ),
    Case(
        "--strategy a class twice",
        _balance("--strategy", "dog=10,dog=12"),
        2,
        r"--strategy names 'dog' twice",
    ),
    Case(
        "--strategy unknown class",
        _balance("--strategy", "owl=9"),
        2,
        r"--strategy names 'owl', not classes of SRC",
    ),
    Case(
        "--strategy float out of range",
        _balance("--strategy", "1.5"),
        2,
        r"--strategy 1\.5: a float is the size .* in \(0, 1\]",
    ),
    Case(
        "--strategy float shrinking",
        _balance("--strategy", "0.1"),
        2,
        r"--strategy 0\.1: the smaller class 'dog' already has 2 images, 0\.5 "
        r"times the 4 of 'cat'; give a ratio of at least 0\.5 \(1 to balance",
    ),
    Case(
        "--strategy float shrinking, a ratio that does not round",
        _balance_counts({"cat": 6, "dog": 2}, "--strategy", "0.333"),
        2,
        r"0\.333 times the 6 of 'cat'; give a ratio of at least 0\.334 ",
    ),
    Case(
        "--strategy names a class whose files are all unreadable",
        _with_files(
            {"bird/0.png": b"", "bird/1.png": b"junk"},
            "--on-error",
            "skip",
            "--strategy",
            "bird=5",
        ),
        2,
        r"--strategy names 'bird', whose images all cannot be read \(left out by "
        r"--on-error skip\)",
    ),
    Case(
        "an unreadable file with a newline in its name",
        _with_files({"dog/a\nb.png": b"junk"}),
        2,
        r"cannot be read \(the first: dog/a\\nb\.png: ",
    ),
    Case(
        "--strategy count shrinking",
        _balance("--strategy", "cat=3"),
        2,
        r"--strategy cat=3: 'cat' has 4 images already",
    ),
    Case(
        "--strategy negative count",
        _balance("--strategy", "dog=-5"),
        2,
        r"'dog=-5' is not CLASS=N with N a whole number of images",
    ),
    Case(
        "--strategy beyond the disk",
        _balance("--strategy", "dog=5000000000"),
        2,
        r"the plan writes 5000000004 files, about .* free|room for",
    ),
    Case(
        "--strategy beyond the disk, with --resume into a new DST",
        _balance("--strategy", "dog=5000000000", "--resume"),
        2,
        r"the plan writes 5000000004 files, about .* free|room for",
    ),
    Case(
        "--method unknown",
        _balance("--method", "gan"),
        2,
        r"argument --method: invalid choice: 'gan'",
    ),
    Case(
        "--format unknown",
        _balance("--format", "webp2"),
        2,
        r"argument --format: invalid choice: 'webp2'",
    ),
    Case(
        "unknown option",
        _balance("--frobnicate"),
        2,
        r"unrecognized arguments: --frobnicate \(see imgbalance balance --help\)",
    ),
    # inspect
    Case(
        "inspect missing DIR",
        lambda r: ["inspect", r / "nowhere"],
        2,
        r"DIR '.*nowhere' does not exist",
    ),
    Case(
        "inspect --plot into the dataset",
        _plot("inside"),
        2,
        r"--plot .* is inside DIR",
    ),
    Case(
        "inspect --plot into a missing folder",
        _plot("no folder"),
        2,
        r"--plot: the folder .*nowhere' does not exist",
    ),
    Case("inspect --plot a folder", _plot("a folder"), 2, r"is a folder"),
    Case(
        "inspect unreadable files",
        _with_files(_UNREADABLE, command="inspect"),
        1,
        r"^$",
        stdout=r"unreadable files \(4\):",
    ),
    # odd but valid: written, with notes where something was decided
    Case("odd names", _odd_names, 0, r"^$"),
    Case("links, hidden and other files", _links_and_clutter, 0, r"^$"),
    Case(
        "1-bit source to JPEG",
        _with_files({"dog/bit.png": _one_bit}, "--format", "jpeg"),
        0,
        "",
        notes=[r"^imgbalance balance: note: --format jpeg: 1-bit to 8-bit gray for "
               r"JPEG \(2 files\)$"],
    ),  # and in the manifest
    Case(
        "image above Pillow's size limit",
        _with_files({"cat/large.png": _large}),
        0,
        "",
        notes=[
            r"1 source\(s\) above Pillow's decompression-bomb limit of "
            r"\d+ pixels, read in full \(the first: cat/large\.png, 9500x9500\)"
        ],
    ),
    Case(
        "inspect image above Pillow's size limit",
        _with_files({"cat/large.png": _large}, command="inspect"),
        0,
        r"^$",
        stdout=r"decompression-bomb limit .*\n  cat/large\.png: 9500x9500",
    ),
]


def main(out):
    """Build every case under ``out/<n>`` and print its command."""
    for n, case in enumerate(CASES):
        root = os.path.join(out, str(n))
        os.makedirs(root)
        args = case.make(Path(root))
        print(
            json.dumps(
                {
                    "case": case.name,
                    "args": [os.fsdecode(a) for a in args],
                    "exit": case.code,
                }
            )
        )


if __name__ == "__main__":
    main(sys.argv[1])
