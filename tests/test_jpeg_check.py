"""The quick check of plain JPEG files: Pillow's answer, or none.

Every file the quick check answers for must get Pillow's answer (readable,
format, mode and size); compared here on thousands of damaged copies of
JPEGs of several kinds: cut short at every byte, bytes changed, bits
flipped, pieces cut out, bytes added.
"""

import io
import os
import subprocess
import sys
import threading

import numpy as np
import pytest
from PIL import Image

cv2 = pytest.importorskip("cv2")

from imgbalance._contract import _checking, _jpeg  # noqa: E402
from imgbalance._contract._files import (  # noqa: E402
    ImageFileInfo,
    check_image_file,
    check_with_pillow,
)
from imgbalance._contract._jpeg import quick_jpeg_check  # noqa: E402


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    """The quick check answers in a process of one thread: threads earlier
    tests left are not this test's (one test starts its own)."""
    monkeypatch.setattr(_jpeg, "_alone", lambda: True)


def jpeg_bytes(seed, mode="RGB", size=(64, 48), **options):
    """A smooth random image (compressed as photos are) as JPEG bytes."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (max(1, size[1] // 8), max(1, size[0] // 8), 3))
    image = Image.fromarray(small.astype(np.uint8)).resize(size, Image.BICUBIC)
    buffer = io.BytesIO()
    image.convert(mode).save(buffer, "JPEG", **{"quality": 90, **options})
    return buffer.getvalue()


# the plain kinds: the quick check answers for them whole
PLAIN = {
    "colour 4:2:0": dict(),
    "grey": dict(mode="L"),
    "restart markers": dict(restart_marker_blocks=2),
    "4:4:4, 200x120": dict(size=(200, 120), subsampling=0),
    "1x1": dict(size=(1, 1)),
    "13x7, 4:2:0": dict(size=(13, 7), subsampling=2),
    "a comment": dict(comment=b"taken by hand"),
}


def damaged(data, rng):
    """Copies of ``data`` cut short at every byte, with a byte changed
    (600), a bit flipped (200), a piece cut out (150), bytes added."""
    out = [data[:n] for n in range(2, len(data))]
    for _ in range(600):
        copy = bytearray(data)
        copy[rng.integers(2, len(copy))] = rng.integers(0, 256)
        out.append(bytes(copy))
    for _ in range(200):
        copy = bytearray(data)
        copy[rng.integers(2, len(copy))] ^= 1 << int(rng.integers(0, 8))
        out.append(bytes(copy))
    for _ in range(150):
        i = int(rng.integers(2, len(data)))
        j = int(rng.integers(i, len(data)))
        out.append(data[:i] + data[j:])
    return out + [data + b"more", data + b"\xff\xd9", data[:-2] + b"\xff\x00\xff\xd9"]


def pillow_says(path):
    info = check_with_pillow(str(path))
    return (info.mode, info.size) if info.ok and info.format == "JPEG" else None


@pytest.mark.parametrize("kind", list(PLAIN))
def test_the_quick_answer_is_pillows_on_damaged_files(tmp_path, kind):
    base = jpeg_bytes(list(PLAIN).index(kind), **PLAIN[kind])
    path = tmp_path / "image.jpg"
    path.write_bytes(base)
    assert quick_jpeg_check(str(path)) == pillow_says(path) is not None
    answered = 0
    rng = np.random.default_rng(7)
    for variant in damaged(base, rng):
        path.write_bytes(variant)
        quick = quick_jpeg_check(str(path))
        if quick is not None:
            answered += 1
            assert quick == pillow_says(path), (len(variant), len(base))
    # it answers for many damaged files Pillow reads (not only the intact one)
    assert answered > 300


def test_a_marker_in_the_data_is_left_to_pillow(tmp_path):
    """libjpeg (OpenCV's) reads past a marker where data should be, with a
    warning; Pillow refuses such a file: the quick check does not answer."""
    base = jpeg_bytes(0)
    middle = (base.index(b"\xff\xda") + len(base)) // 2  # in the data
    path = tmp_path / "marker.jpg"
    path.write_bytes(base[:middle] + b"\xff\xc4" + base[middle + 2 :])
    assert quick_jpeg_check(str(path)) is None
    assert not check_with_pillow(str(path)).ok


@pytest.mark.parametrize(
    "kind",
    ["progressive", "exif", "cmyk", "png named .jpg", "big", "jfif 2.0", "junk"],
)
def test_files_not_plain_get_no_answer(tmp_path, kind):
    path = tmp_path / "image.jpg"
    if kind == "progressive":
        data = jpeg_bytes(1, progressive=True)
    elif kind == "exif":  # orientation 6: Pillow's size has its sides swapped
        exif = Image.Exif()
        exif[0x0112] = 6
        data = jpeg_bytes(1, exif=exif)
    elif kind == "cmyk":
        data = jpeg_bytes(1, mode="CMYK")
    elif kind == "png named .jpg":
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8)).save(buffer, "PNG")
        data = buffer.getvalue()
    elif kind == "big":
        data = jpeg_bytes(1)
        data = data[:-2] + b"\x00" * _jpeg.QUICK_MAX_BYTES + data[-2:]
    elif kind == "jfif 2.0":  # libjpeg warns of a version it does not know
        data = bytearray(jpeg_bytes(1))
        data[data.index(b"JFIF\x00") + 5] = 2
        data = bytes(data)
    else:  # a byte between two markers: Pillow skips it, libjpeg warns
        data = jpeg_bytes(1)
        data = data[:20] + b"\x00" + data[20:]
        assert data[21] == 0xFF
    path.write_bytes(data)
    assert quick_jpeg_check(str(path)) is None
    # the caller's answer is then Pillow's
    assert check_image_file(str(path)) == check_with_pillow(str(path))


def test_no_answer_without_opencv_or_with_other_threads(tmp_path, monkeypatch):
    path = tmp_path / "image.jpg"
    path.write_bytes(jpeg_bytes(2))
    assert quick_jpeg_check(str(path)) == ("RGB", (64, 48))
    assert quick_jpeg_check(path) == ("RGB", (64, 48))  # a path object
    assert quick_jpeg_check(os.fsencode(path)) is None  # bytes: to Pillow
    assert quick_jpeg_check(str(tmp_path / "image.JPEG")) is None  # missing
    monkeypatch.undo()  # threads counted again
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert quick_jpeg_check(str(path)) is None  # it may write to stderr
    finally:
        stop.set()
        other.join()
    monkeypatch.setitem(sys.modules, "cv2", None)
    assert quick_jpeg_check(str(path)) is None


def test_check_image_file_gives_the_quick_answer_as_pillows_record(
    tmp_path, monkeypatch
):
    path = tmp_path / "grey.jpg"
    path.write_bytes(jpeg_bytes(3, mode="L", size=(31, 17)))
    expected = ImageFileInfo(str(path), None, "JPEG", "L", (31, 17))
    assert check_with_pillow(str(path)) == expected
    monkeypatch.setattr(
        "imgbalance._contract._files.check_with_pillow",
        lambda path: pytest.fail("asked Pillow"),
    )
    assert check_image_file(str(path)) == expected


def test_the_header_known_by_its_bytes_gives_the_parsed_answer():
    _jpeg._HEADERS.clear()
    data = jpeg_bytes(4)
    assert _jpeg.plain_jpeg_header(data) == ("RGB", (64, 48))
    assert len(_jpeg._HEADERS) == 1  # parsed once, then known
    (header,) = _jpeg._HEADERS
    assert data.startswith(header)
    # a file of the same header: known; its data still checked
    other = jpeg_bytes(5)
    assert other.startswith(header)
    assert _jpeg.plain_jpeg_header(other) == ("RGB", (64, 48))
    assert _jpeg.plain_jpeg_header(other[:-3] + b"\xff\xd9") is not None
    cut = len(header) + 10
    assert _jpeg.plain_jpeg_header(other[:cut] + b"\xff\xd8" + other[cut:]) is None
    assert len(_jpeg._HEADERS) == 1
    # bounded
    for i in range(_jpeg._HEADERS_KEPT + 5):
        assert _jpeg.plain_jpeg_header(jpeg_bytes(6, size=(8 + i, 8))) is not None
    assert len(_jpeg._HEADERS) <= _jpeg._HEADERS_KEPT


WARNING_SCRIPT = """
import sys
import numpy as np
import cv2
from imgbalance._contract._jpeg import quick_jpeg_check
with open({base!r}, "rb") as file:
    base = file.read()
start = base.index(b"\\xff\\xda") + 14  # the data (3 components)
rng = np.random.default_rng(3)
answered = 0
for i in range(300):
    copy = bytearray(base)
    at = int(rng.integers(start, len(base) - 2))
    copy[at] = int(rng.integers(0, 255))  # never 0xff: no new marker
    if {direct}:
        buffer = np.frombuffer(bytes(copy), np.uint8)
        cv2.imdecode(buffer, cv2.IMREAD_REDUCED_GRAYSCALE_8)
    else:
        with open({path!r}, "wb") as file:
            file.write(bytes(copy))
        answered += quick_jpeg_check({path!r}) is not None
print(answered)
"""


@pytest.mark.parametrize("direct", [True, False])
def test_libjpegs_warnings_are_not_printed(tmp_path, direct):
    """Decoding corrupt data, OpenCV's libjpeg prints warnings to standard
    error ("Corrupt JPEG data: ..."): the quick check keeps them unseen."""
    (tmp_path / "base.jpg").write_bytes(jpeg_bytes(0))
    script = WARNING_SCRIPT.format(
        base=str(tmp_path / "base.jpg"), direct=direct, path=str(tmp_path / "x.jpg")
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    if direct:  # the files of this test do make libjpeg warn
        assert "Corrupt JPEG data" in done.stderr
    else:
        assert done.stderr == ""
        assert int(done.stdout) > 100


FEW_FILES_SCRIPT = """
import sys
from imgbalance._contract import _checking
jpegs, pngs = {jpegs!r}, {pngs!r}
_checking.check_files(jpegs, 1)  # too few to pay for OpenCV
print("cv2" in sys.modules, end=" ")
_checking.QUICK_PAYS_FROM = 2
_checking.check_files(pngs, 1)  # enough files, but none a JPEG
print("cv2" in sys.modules, end=" ")
print(_checking.check_files(jpegs, 1).ok.all(), "cv2" in sys.modules)
"""


def test_opencv_is_imported_for_the_quick_check_where_jpegs_pay_for_it(tmp_path):
    jpegs, pngs = [], []
    for i in range(3):
        jpegs.append(str(tmp_path / f"{i}.jpg"))
        (tmp_path / f"{i}.jpg").write_bytes(jpeg_bytes(i))
        pngs.append(str(tmp_path / f"{i}.png"))
        Image.new("L", (4, 4), i).save(pngs[-1])
    script = FEW_FILES_SCRIPT.format(jpegs=jpegs, pngs=pngs)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout) == (0, "False False True True\n"), done.stderr
    assert _checking.QUICK_PAYS_FROM == 1000


WORKER_SCRIPT = """
import multiprocessing, threading
from imgbalance.utils._pool import end_with_parent, one_thread_at_work

def in_worker(queue):
    said = [one_thread_at_work()]
    end_with_parent()  # its watchdog thread: waits, writes nothing
    said.append(one_thread_at_work())
    other = threading.Thread(target=threading.Event().wait, args=(5,), daemon=True)
    other.start()
    said.append(one_thread_at_work())
    queue.put(said)

context = multiprocessing.get_context("fork")
queue = context.Queue()
worker = context.Process(target=in_worker, args=(queue,))
worker.start()
print(queue.get(timeout=60))
worker.join()
"""


def test_a_workers_watchdog_leaves_the_quick_check_on():
    """Forked workers watch their parent from a thread of their own: that
    thread writes nothing, so the quick check still runs there; any other
    thread turns it off."""
    done = subprocess.run(
        [sys.executable, "-c", WORKER_SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (0, "[True, True, False]\n"), done.stderr


@pytest.mark.parametrize(
    "factors",
    [
        [(1, 1), (1, 2), (1, 3)],  # 2 does not divide 3
        [(3, 1), (2, 1), (2, 1)],
        [(1, 3), (1, 2), (1, 2)],
        [(3, 2), (2, 1), (2, 1)],
    ],
)
def test_sampling_factors_pillows_libjpeg_cannot_upsample_get_no_answer(
    tmp_path, factors
):
    """Pillow's libjpeg upsamples a component by whole factors only (else
    "broken data stream"); OpenCV's, decoding the luma alone to grey, does
    not upsample the chroma and reads such a file."""
    data = bytearray(jpeg_bytes(1, subsampling=0))
    at = data.index(b"\xff\xc0") + 10  # the first component's id
    for i, (h, v) in enumerate(factors):
        data[at + 3 * i + 1] = h * 16 + v
    path = tmp_path / "image.jpg"
    path.write_bytes(bytes(data))
    assert not check_with_pillow(str(path)).ok
    assert quick_jpeg_check(str(path)) is None
    assert check_image_file(str(path)) == check_with_pillow(str(path))


SIGNALS_SCRIPT = """
import os
import random
import signal
from imgbalance._contract import _jpeg
from imgbalance._contract._files import check_image_file
import cv2
_jpeg._alone = lambda: True
class Stop(BaseException):
    pass
def stop(signum, frame):
    raise Stop
signal.signal(signal.SIGALRM, stop)
def target(fd):
    info = os.fstat(fd)
    return info.st_dev, info.st_ino
kept = os.dup(2)  # standard error, to put it back where it was lost
check_image_file({path!r})  # the check's own descriptors opened
fds = len(os.listdir("/proc/self/fd"))
rng = random.Random(0)
silenced = 0
for _ in range(2000):
    try:
        signal.setitimer(signal.ITIMER_REAL, rng.uniform(1e-5, 3e-4))
        while True:
            assert check_image_file({path!r}).mode == "RGB"
    except Stop:
        pass
    if target(2) != target(kept):
        silenced += 1
        os.dup2(kept, 2)
print(silenced, len(os.listdir("/proc/self/fd")) - fds)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/fd")
def test_a_signal_at_any_moment_leaves_standard_error_and_no_descriptor(tmp_path):
    """A stop (a signal whose handler raises) may come at any moment of the
    quick check: standard error is always given back and no descriptor is
    left open (2000 signals at random moments of a loop of checks)."""
    path = tmp_path / "image.jpg"
    path.write_bytes(jpeg_bytes(8))
    done = subprocess.run(
        [sys.executable, "-c", SIGNALS_SCRIPT.format(path=str(path))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "0 0\n", "")
