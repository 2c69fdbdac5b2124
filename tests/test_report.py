"""The HTML reports of inspect and balance, read back with html.parser."""

import base64
import io
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, unquote_to_bytes

import numpy as np
import pytest
from PIL import Image

from commands import run_command as run
from imgbalance.folder import balance_folder
from imgbalance.report import balance_report, inspect_report


class Page(HTMLParser):
    """The parts of a report the tests read: every start tag with its
    attributes, the figures (image attributes, link, caption lines) and
    the text of the unreadable-files table."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.figures, self.rows = [], [], []
        self._figure = self._caption = self._row = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "figure":
            self._figure = {"kind": attrs.get("class"), "img": None, "href": None}
        elif tag == "img" and self._figure is not None:
            self._figure["img"] = attrs
        elif tag == "a" and self._figure is not None:
            self._figure["href"] = attrs["href"]
        elif tag == "figcaption":
            self._caption = [""]
        elif tag == "br" and self._caption is not None:
            self._caption.append("")
        elif tag == "tr" and "unreadable-file" in attrs.get("class", ""):
            self._row = []
        elif tag == "td" and self._row is not None:
            self._row.append("")

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self._figure["caption"] = self._caption
            self._caption = None
        elif tag == "figure":
            self.figures.append(self._figure)
            self._figure = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption[-1] += data
        if self._row:
            self._row[-1] += data

    def all(self, tag, **wanted):
        return [
            attrs
            for t, attrs in self.tags
            if t == tag and all(attrs.get(k) == v for k, v in wanted.items())
        ]


def read(path):
    with open(path, encoding="utf-8") as file:
        return Page(file.read())


def decoded(img):
    """The thumbnail of an <img> as an array."""
    kind, data = img["src"].split(",", 1)
    assert kind in ("data:image/png;base64", "data:image/jpeg;base64")
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data))))


def make_folder(root, counts, size=(12, 9)):
    rng = np.random.default_rng(0)
    for name, n in counts.items():
        os.makedirs(root / name, exist_ok=True)
        for i in range(n):
            pixels = rng.integers(0, 256, size[::-1] + (3,), dtype=np.uint8)
            Image.fromarray(pixels).save(root / name / f"{i}.png")


@pytest.fixture
def dataset(tmp_path):
    root = tmp_path / "data"
    make_folder(root, {"cat": 5, "dog": 2})
    (root / "dog" / "bad.png").write_bytes(b"")
    (root / "dog" / "cut.png").write_bytes((root / "dog" / "0.png").read_bytes()[:60])
    (root / "dog" / ".hidden.png").write_bytes(b"x")
    (root / "cat" / "notes.txt").write_text("not an image")
    return root


def test_inspect_report_counts_samples_and_problems(dataset, tmp_path):
    out = tmp_path / "report.html"
    report = inspect_report(dataset, out, thumbnails=3, seed=1)
    page = read(out)
    counts = {
        row["data-class"]: (int(row["data-images"]), int(row["data-unreadable"]))
        for row in page.all("tr", **{"class": "class-count"})
    }
    assert counts == {"cat": (5, 0), "dog": (2, 2)}
    assert report["imbalance_ratio"] == 2.5
    # three thumbnails of cat (a seeded sample), both readable dogs
    captions = [f["caption"][0] for f in page.figures]
    assert len(captions) == 5 and sum(c.startswith("cat/") for c in captions) == 3
    assert [c for c in captions if c.startswith("dog/")] == ["dog/0.png", "dog/1.png"]
    assert all(f["caption"][1] == "12x9 RGB" for f in page.figures)
    again = tmp_path / "again.html"
    inspect_report(dataset, again, thumbnails=3, seed=1)
    assert [f["caption"] for f in read(again).figures] == [
        f["caption"] for f in page.figures
    ]
    # the links lead to the files, relative to the page
    for f in page.figures:
        target = os.path.join(tmp_path, unquote(f["href"]))
        assert os.path.samefile(target, dataset / f["caption"][0])
    # unreadable files with their reasons; entries left out counted
    assert sorted(row[:2] for row in page.rows) == [
        ["dog/bad.png", "dog"],
        ["dog/cut.png", "dog"],
    ]
    reasons = {row[0]: row[2] for row in page.rows}
    assert reasons["dog/bad.png"] == "empty file (0 bytes)"
    assert reasons["dog/cut.png"].startswith("cannot be decoded:")
    assert page.all("li", **{"data-hidden": "1"}) and page.all(
        "li", **{"data-other": "1"}
    )
    # self-contained: no script, nothing fetched
    assert not page.all("script") and not page.all("link")
    for tag, attrs in page.tags:
        for key in ("src", "href"):
            assert not attrs.get(key, "").startswith(("http:", "https:", "//"))


def test_thumbnails_keep_aspect_depth_palette_and_alpha(tmp_path):
    root = tmp_path / "data"
    os.makedirs(root / "a")
    ramp = np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (16, 1))
    Image.fromarray(ramp).save(root / "a" / "deep.png")  # 16-bit, 64x16
    palette = Image.new("P", (10, 10))
    palette.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    palette.paste(1, (0, 0, 5, 10))  # left half blue, right half red
    palette.info["transparency"] = 0  # red is transparent
    palette.save(root / "a" / "palette.png", transparency=0)
    rgba = np.zeros((20, 30, 4), np.uint8)
    rgba[..., 1], rgba[:, :15, 3] = 200, 255  # green, left half opaque
    Image.fromarray(rgba).save(root / "a" / "rgba.png")
    out = tmp_path / "r.html"
    inspect_report(root, out)
    figures = {f["caption"][0]: f for f in read(out).figures}
    deep = figures["a/deep.png"]
    assert deep["caption"][1] == "64x16 I;16"
    assert (int(deep["img"]["width"]), int(deep["img"]["height"])) == (96, 24)
    pixels = decoded(deep["img"])
    assert pixels.dtype == np.uint8 and pixels.shape == (16, 64)
    assert pixels[0, 0] == 0 and pixels[0, -1] == 255  # the ramp, not clipped
    assert np.all(np.diff(pixels[0].astype(int)) >= 0)
    colours = decoded(figures["a/palette.png"]["img"])
    assert colours.shape == (10, 10, 4)
    np.testing.assert_array_equal(colours[5, 2], [0, 0, 255, 255])
    assert colours[5, 8, 3] == 0  # the transparent colour stays transparent
    alpha = decoded(figures["a/rgba.png"]["img"])
    assert alpha.shape == (20, 30, 4) and alpha[0, 0, 3] == 255 and alpha[0, -1, 3] == 0
    shown = figures["a/rgba.png"]["img"]
    assert (int(shown["width"]), int(shown["height"])) == (96, 64)


def short(value, decimals=2):
    """A value as captions show it: at most ``decimals`` decimals, trailing
    zeros dropped."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def caption_of(row):
    """The caption lines a manifest row should get, written out here."""
    parameters = json.loads(row["parameters"])
    if row["method"] == "smote":
        return [
            f"SMOTE: gap {short(parameters['gap'])} of the way to "
            f"{parameters['neighbor']}"
        ]
    if row["method"] == "random":
        return ["a copy of the source"]
    lines = []
    for record in parameters["applied"]:
        if record["transform"] == "RandomAffine":
            dx, dy = record["translate"]
            lines.append(
                f"RandomAffine: angle {short(record['angle'], 1)}°, scale "
                f"{short(record['scale'])}, shear {short(record['shear'])}, "
                f"translate ({short(dx)}, {short(dy)})"
            )
        else:
            assert record["transform"] == "ColorJitter"
            lines.append(
                f"ColorJitter: brightness {short(record['brightness'])}, contrast "
                f"{short(record['contrast'])}"
            )
    return lines


@pytest.mark.parametrize("method", ["augment", "smote", "random"])
def test_balance_report_pairs_and_captions(tmp_path, method):
    src, dst = tmp_path / "src", tmp_path / "dst"
    make_folder(src, {"big": 9, "small": 3, "tiny": 2})
    summary = balance_folder(src, dst, method=method, seed=3)
    out = tmp_path / "balance.html"
    shown = balance_report(summary, out, thumbnails=4, seed=0)
    page = read(out)
    counts = {
        row["data-class"]: (int(row["data-before"]), int(row["data-after"]))
        for row in page.all("tr", **{"class": "class-count"})
    }
    assert counts == {"big": (9, 9), "small": (3, 9), "tiny": (2, 9)}
    assert sorted(shown) == ["small", "tiny"] and all(len(shown[c]) == 4 for c in shown)
    rows = {row["output"]: row for c in shown for row in shown[c]}
    generated = [f for f in page.figures if f["kind"] == "generated"]
    sources = [f for f in page.figures if f["kind"] == "source"]
    assert len(generated) == len(sources) == 8
    for made, source in zip(generated, sources):
        output = made["caption"][0]
        assert made["caption"][1:] == caption_of(rows[output])
        assert source["caption"] == [rows[output]["source"], "source"]
        assert os.path.samefile(
            os.path.join(tmp_path, unquote(made["href"])), dst / output
        )
        assert os.path.samefile(
            os.path.join(tmp_path, unquote(source["href"])),
            src / rows[output]["source"],
        )
    neighbours = [f for f in page.figures if f["kind"] == "neighbour"]
    assert len(neighbours) == (8 if method == "smote" else 0)


def test_report_refusals_leave_everything_as_it_was(dataset, tmp_path):
    inside = dataset / "r.html"
    with pytest.raises(ValueError, match="is inside the dataset"):
        inspect_report(dataset, inside)
    assert not inside.exists()
    theirs = tmp_path / "notes.html"
    theirs.write_text("<p>my notes</p>")
    with pytest.raises(ValueError, match="exists and is not an imgbalance report"):
        inspect_report(dataset, theirs)
    assert theirs.read_text() == "<p>my notes</p>"
    with pytest.raises(ValueError, match="give the file the extension .html"):
        inspect_report(dataset, tmp_path / "r.txt")
    with pytest.raises(ValueError, match="thumbnails must be a number"):
        inspect_report(dataset, tmp_path / "r.html", thumbnails=-1)
    ours = tmp_path / "ours.html"
    inspect_report(dataset, ours)
    inspect_report(dataset, ours, thumbnails=0)  # ours: replaced
    assert len(read(ours).figures) == 0
    assert sorted(os.listdir(tmp_path)) == ["data", "notes.html", "ours.html"]


def test_commands_write_reports_and_refuse_with_one_line(dataset, tmp_path):
    done = run("inspect", dataset, "--report", tmp_path / "i.html", "--thumbnails", 2)
    assert done.returncode == 1  # two unreadable files
    assert done.stdout.endswith(f"report written to {tmp_path / 'i.html'}\n")
    assert len(read(tmp_path / "i.html").figures) == 4
    dst = tmp_path / "out"
    refused = run("balance", dataset, dst, "--report", dst / "r.html")
    assert refused.returncode == 2 and not dst.exists()
    assert refused.stderr == (
        f"imgbalance balance: --report {str(dst / 'r.html')!r} is inside DST; give "
        "a file outside it (nothing is ever written into DST).\n"
    )
    dry = run("balance", dataset, dst, "--dry-run", "--report", tmp_path / "b.html")
    assert dry.returncode == 2 and "drop one of them" in dry.stderr
    as_json = run("inspect", dataset, "--json", "--report", tmp_path / "j.html")
    assert json.loads(as_json.stdout)["html_report"] == str(tmp_path / "j.html")
    negative = run("inspect", dataset, "--thumbnails", "-1")
    assert negative.returncode == 2 and negative.stderr.count("\n") == 1
    balanced = run(
        "balance",
        dataset,
        dst,
        "--on-error",
        "skip",
        "--quiet",
        "--report",
        tmp_path / "b.html",
    )
    assert balanced.returncode == 1, balanced.stderr
    page = read(tmp_path / "b.html")
    assert {
        r["data-class"]: r["data-after"]
        for r in page.all("tr")
        if r.get("class") == "class-count"
    } == {"cat": "5", "dog": "5"}
    assert "Traceback" not in balanced.stderr


def test_report_size_is_bounded_by_classes_not_images(tmp_path):
    """20 000 images: the page holds at most 12 thumbnails a class and 500
    unreadable files, whatever the folder's size."""
    root = tmp_path / "big"
    buffer = io.BytesIO()
    Image.fromarray(np.arange(48, dtype=np.uint8).reshape(4, 4, 3)).save(buffer, "PNG")
    png = buffer.getvalue()
    for c in range(40):
        os.makedirs(root / f"class{c:02d}")
        for i in range(500):
            (root / f"class{c:02d}" / f"{i:03d}.png").write_bytes(png)
    for i in range(600):
        (root / "class00" / f"empty{i:03d}.png").write_bytes(b"")
    out = tmp_path / "r.html"
    report = inspect_report(root, out)
    assert report["n_images"] == 20000
    page = read(out)
    assert len(page.figures) == 40 * 12
    assert len(page.rows) == 500
    assert os.path.getsize(out) < 1_000_000  # 480 thumbnails and 500 rows


def test_a_page_that_cannot_be_written_after_the_copy_exits_4(
    dataset, tmp_path, monkeypatch, capsys
):
    from imgbalance.cli import main

    def full_disk(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("imgbalance.report._balance_report.write_page", full_disk)
    dst = tmp_path / "out"
    code = main(
        [
            "balance",
            str(dataset),
            str(dst),
            "--on-error",
            "skip",
            "--quiet",
            "--report",
            str(tmp_path / "b.html"),
        ]
    )
    assert code == 4
    err = capsys.readouterr().err.splitlines(keepends=True)[-1]
    assert err == (
        f"imgbalance balance: DST is complete, but --report "
        f"{str(tmp_path / 'b.html')!r} cannot be written: [Errno 28] No space "
        "left on device\n"
    )
    assert sorted(os.listdir(dst / "dog")) == [
        "0.png",
        "0_aug0.png",
        "0_aug1.png",
        "1.png",
        "1_aug0.png",
    ]
    assert not (tmp_path / "b.html").exists()


def test_odd_names_are_escaped_and_linked(tmp_path):
    """A class named like markup, a file name with URL characters, and a
    name that is not UTF-8: shown escaped, linked by their bytes."""
    root = tmp_path / "odd"
    marked = root / "<b>&\"'x"
    os.makedirs(marked)
    os.makedirs(root / "plain")
    Image.new("RGB", (10, 10), "blue").save(marked / "a b#%?.png")
    Image.new("RGB", (10, 10), "red").save(root / "plain" / "x.png")
    raw = os.path.join(os.fsencode(root / "plain"), b"\xff\xfe.png")
    with open(raw, "wb") as file:
        file.write((root / "plain" / "x.png").read_bytes())
    out = tmp_path / "odd.html"
    inspect_report(root, out)
    text = out.read_text(encoding="utf-8")
    assert "<b>" not in text and "&lt;b&gt;&amp;&quot;&#x27;x" in text
    page = read(out)
    links = sorted(f["href"] for f in page.figures)
    assert links == [
        "odd/%3Cb%3E%26%22%27x/a%20b%23%25%3F.png",
        "odd/plain/%FF%FE.png",
        "odd/plain/x.png",
    ]
    for f in page.figures:  # each link leads to its file
        target = os.path.join(os.fsencode(tmp_path), unquote_to_bytes(f["href"]))
        assert os.path.isfile(target)
    assert "plain/\\xff\\xfe.png" in [f["caption"][0] for f in page.figures]


def test_pages_never_go_over_what_is_not_ours(dataset, tmp_path):
    from imgbalance.report._page import PageNotWritten, write_page

    fifo = tmp_path / "fifo.html"
    os.mkfifo(fifo)
    done = run("inspect", dataset, "--report", fifo)  # refused, not blocked
    assert done.returncode == 2
    assert "exists and is not an imgbalance report (or not a regular file)" in (
        done.stderr
    )
    long_name = tmp_path / ("x" * 251 + ".html")
    done = run("inspect", dataset, "--report", long_name)
    assert done.returncode == 2 and "the file name is longer than 255 bytes" in (
        done.stderr
    )
    empty = run("inspect", dataset, "--report", "")
    assert empty.returncode == 2 and empty.stderr == (
        "imgbalance inspect: --report is empty; give a file name such as report.html.\n"
    )
    # a file that appears after the checks, before the page is in place
    theirs = tmp_path / "late.html"
    theirs.write_text("mine")
    with pytest.raises(PageNotWritten, match="appeared while the page was built"):
        write_page(str(theirs), "<p>page</p>")
    assert theirs.read_text() == "mine"
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]


def test_deep_float_and_large_images_are_shown(tmp_path):
    import warnings

    root = tmp_path / "data"
    os.makedirs(root / "a")
    ramp = np.tile(np.linspace(0, 65535, 300).astype(np.uint16), (100, 1))
    pgm = Image.fromarray(ramp).convert("I")  # what Pillow opens a 16-bit PGM as
    pgm.save(root / "a" / "deep.pgm")
    values = np.linspace(0, 1, 64 * 32, dtype=np.float32).reshape(32, 64)
    values[0, :4] = [np.nan, np.inf, -np.inf, 0.5]
    Image.fromarray(values).save(root / "a" / "float.tif")
    big = np.tile(np.linspace(0, 65535, 2000).astype(np.uint16), (500, 1))
    Image.fromarray(big).save(root / "a" / "big.png")  # reduced before scaling
    out = tmp_path / "r.html"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        inspect_report(root, out)
    figures = {f["caption"][0]: f for f in read(out).figures}
    with Image.open(root / "a" / "deep.pgm") as opened:
        assert opened.mode == "I"
    for name, size in [("deep.pgm", (96, 32)), ("big.png", (96, 24))]:
        pixels = decoded(figures[f"a/{name}"]["img"]).astype(int)
        assert pixels.shape == size[::-1]
        assert pixels[5, 0] < 10 and pixels[5, -1] > 245  # a ramp, not white
        assert np.all(np.diff(pixels[5]) >= 0)
    floats = decoded(figures["a/float.tif"]["img"])
    assert floats.shape == (32, 64) and floats[-1, -1] == 255


def test_inspect_terminated_exits_143_with_one_line(tmp_path):
    import signal
    import time

    root = tmp_path / "many"
    png = tmp_path / "one.png"
    Image.new("RGB", (4, 4)).save(png)
    for c in range(10):
        os.makedirs(root / f"c{c}")
        for i in range(2000):  # about 3 s of reading
            (root / f"c{c}" / f"{i}.png").write_bytes(png.read_bytes())
    command = [sys.executable, "-m", "imgbalance", "inspect", str(root)]
    command += ["--report", str(tmp_path / "r.html")]
    for wait in (0.8, 1.6, 3.2):  # a busy machine imports slowly
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        time.sleep(wait)  # imports done, reading
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
        if process.returncode != -signal.SIGTERM:  # not killed while importing
            break
    if process.returncode == 0:  # the machine was fast: it finished first
        pytest.skip("inspect finished before the signal")
    assert process.returncode == 143
    assert err == "imgbalance inspect: interrupted (SIGTERM); nothing was written.\n"
    assert not (tmp_path / "r.html").exists()


def test_captions_break_between_name_parts_and_say_a_flip_not_made(tmp_path):
    from imgbalance.augment import RandomFlip

    src, dst = tmp_path / "src", tmp_path / "dst"
    make_folder(src, {"big_class-name": 4, "small.one": 1})
    summary = balance_folder(src, dst, augmenter=RandomFlip(p=0.0), seed=0)
    out = tmp_path / "balance.html"
    balance_report(summary, out, thumbnails=2)
    text = out.read_text(encoding="utf-8")
    assert "small.<wbr>one/<wbr>0_<wbr>aug1.<wbr>png" in text
    generated = [f for f in read(out).figures if f["kind"] == "generated"]
    assert generated and all(
        f["caption"][1:] == ["RandomFlip: not flipped"] for f in generated
    )


def test_output_names_are_zero_padded_to_sort_as_made(tmp_path):
    src, dst = tmp_path / "src", tmp_path / "dst"
    make_folder(src, {"big": 12, "one": 1})
    balance_folder(src, dst, seed=0)
    names = sorted(os.listdir(dst / "one"))
    assert names == ["0.png"] + [f"0_aug{j:02d}.png" for j in range(11)]


def test_near_duplicate_groups_are_cards_with_their_distance(tmp_path):
    root = tmp_path / "data"
    make_folder(root, {"cat": 3, "dog": 2})
    image = Image.open(root / "cat" / "0.png")
    image.save(root / "dog" / "copy.png")
    out = tmp_path / "inspect.html"
    report = inspect_report(root, out, duplicates=True)
    assert report["duplicates"] == [
        {
            "files": ["cat/0.png", "dog/copy.png"],
            "classes": ["cat", "dog"],
            "distance": 0,
        }
    ]
    text = out.read_text(encoding="utf-8")
    assert (
        '<div class="groups"><div class="group"><p>group 1: 2 files, 0 of 64 bits '
        in text
    )
    assert "apart; across cat, dog</p>" in text


def test_the_run_notes_are_on_the_page(tmp_path):
    """A class grown past 10x its size (and any other note of the run) is
    said on the page as in the summary."""
    src, dst = tmp_path / "src", tmp_path / "dst"
    make_folder(src, {"big": 24, "one": 2})
    summary = balance_folder(src, dst, seed=0)
    assert summary["notes"] == [
        "1 class(es) grow past 10x their size, in variants of few originals: "
        "'one' 2 -> 24 (11 new per source). Consider capping the largest classes "
        "(max_per_class), or class weights in training, beside or instead of so "
        "much growth."
    ]
    out = tmp_path / "balance.html"
    balance_report(summary, out, thumbnails=0)
    text = out.read_text(encoding="utf-8")
    import html

    assert f'<ul class="notes"><li class="note">{summary["notes"][0]}</li></ul>' in (
        html.unescape(text)
    )
