"""imgbalance balance under attack: concurrent runs, damaged records."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
import pytest
from PIL import Image

from commands import run_here
from folders import disk_full_after, tree_hashes, write_pngs
from imgbalance.cli import main
from imgbalance.folder._journal import JOURNAL, MANIFEST, MARKER
from imgbalance.folder._lock import LOCK, exclusive_run

COMMAND = os.path.join(os.path.dirname(sys.executable), "imgbalance")
# worker processes from the second task on: this much work would otherwise
# stay in the command's own process
POOL_NOW = {**os.environ, "IMGBALANCE_POOL_AFTER": "0"}


@pytest.fixture
def src(tmp_path):
    return write_pngs(tmp_path / "src", {"cat": 60, "dog": 6}, side=16)


def balance(capsys, *args):
    return run_here(capsys, "balance", *args)


def test_a_run_while_another_writes_is_refused(src, tmp_path, capsys):
    """While a run holds DST (here: this test holds its lock), a new run and
    a --resume are refused with status 2, naming the process, and change
    nothing; once it is free, the run goes through."""
    dst = tmp_path / "dst"
    with exclusive_run(dst):
        assert sorted(os.listdir(dst)) == [LOCK]
        for extra in ((), ("--resume",)):
            code, out, err = balance(capsys, src, dst, *extra)
            assert (code, out) == (2, "")
            assert err == (
                f"imgbalance balance: DST {str(dst)!r} is being written by another "
                f"imgbalance run (process {os.getpid()}); wait for it to "
                "end, or give another folder.\n"
            )
            assert sorted(os.listdir(dst)) == [LOCK]
    assert not os.listdir(dst)  # the lock file goes with the run
    code, _, err = balance(capsys, src, dst, "--quiet")
    assert (code, err) == (0, "")
    assert LOCK not in os.listdir(dst)
    assert len(os.listdir(dst / "dog")) == 60


def test_two_runs_at_once_give_one_result_and_one_refusal(src, tmp_path):
    """Two processes started together into one DST: one writes the whole
    result, the other is refused (status 2) and writes nothing."""
    dst = tmp_path / "dst"
    alone = tmp_path / "alone"
    assert main(["balance", str(src), str(alone), "--quiet"]) == 0
    runs = [
        subprocess.Popen(
            [COMMAND, "balance", str(src), str(dst)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = sorted((run.wait(timeout=300), run.stderr.read()) for run in runs)
    for run in runs:
        run.stderr.close()
    assert [code for code, _ in results] == [0, 2]
    assert results[0][1] == ""
    refusal = results[1][1]
    assert refusal.count("\n") == 1
    assert (
        "is being written by another imgbalance run" in refusal
        or "holds an earlier run of imgbalance that did not finish; use --resume"
        in refusal
        or "holds a finished run of imgbalance" in refusal
    )
    assert tree_hashes(dst) == tree_hashes(alone)


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"[1, 2]", "not a record"),
        (b'{"src": ', "Expecting value: line 1 column 9 (char 8)"),
        (
            b"\xff\xfe",
            "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
        ),
    ],
    ids=["list", "cut-short", "not-utf-8"],
)
def test_a_damaged_run_record_is_refused(src, tmp_path, capsys, content, reason):
    dst = tmp_path / "dst"
    assert balance(capsys, src, dst, "--quiet")[0] == 0
    (dst / MARKER).write_bytes(content)
    before = tree_hashes(dst)
    code, out, err = balance(capsys, src, dst, "--resume")
    assert (code, out) == (2, "")
    assert err == (
        f"imgbalance balance: DST {str(dst)!r} holds a damaged record of an "
        f"earlier run ({MARKER}: {reason}); give an empty or new folder.\n"
    )
    assert tree_hashes(dst) == before


def test_a_damaged_journal_is_refused_and_removing_it_resumes(src, tmp_path, capsys):
    """An interrupted run (no manifest yet) whose journal was damaged by hand:
    --resume refuses, naming the line, and changes nothing; without the
    journal, --resume writes everything again and equals a whole run."""
    whole, dst = tmp_path / "whole", tmp_path / "dst"
    assert balance(capsys, src, whole, "--quiet")[0] == 0
    assert balance(capsys, src, dst, "--quiet")[0] == 0
    os.remove(dst / MANIFEST)  # as if killed before the manifest
    (dst / JOURNAL).write_bytes(b'0\t"cat/0.png"\t105\t""\nnot a line at all\n')
    (dst / "cat" / ".imgbalance-tmp-1-x.png").write_bytes(b"partial")
    before = tree_hashes(dst)
    code, out, err = balance(capsys, src, dst, "--resume")
    assert (code, out) == (2, "")
    assert err == (
        f"imgbalance balance: --resume: the journal {str(dst / JOURNAL)!r} is "
        "damaged at line 2 (not enough values to unpack (expected 4, got 1)); "
        "remove it and run again with --resume (the files it listed are then "
        "written again).\n"
    )
    assert tree_hashes(dst) == before
    os.remove(dst / JOURNAL)
    code, _, err = balance(capsys, src, dst, "--resume", "--quiet")
    assert (code, err) == (0, "")
    assert tree_hashes(dst) == tree_hashes(whole)
    assert json.loads((dst / MARKER).read_text())["method"] == "augment"


def children(pid):
    """The processes whose parent is ``pid`` (from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as file:
                    fields = file.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
    return out


def wait_for_generated_files(folder, timeout=120):
    """Return once ``folder`` holds a generated image (the run is writing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if folder.is_dir() and any("_aug" in name for name in os.listdir(folder)):
            return
        time.sleep(0.005)


@pytest.fixture
def big(tmp_path):
    """420 images, 380 to make: a few seconds of work."""
    counts = {"many": 400, "few": 20}
    return write_pngs(tmp_path / "big", counts, side=48, seed=2, digits=3)


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
@pytest.mark.parametrize(
    "signum, group, jobs",
    [
        (signal.SIGINT, True, "1"),  # Ctrl-C: the terminal signals the group
        (signal.SIGTERM, False, "1"),
        (signal.SIGTERM, False, "2"),
    ],
    ids=["ctrl-c", "sigterm", "sigterm-2-jobs"],
)
def test_a_signal_stops_cleanly_and_resume_finishes(big, tmp_path, signum, group, jobs):
    """Status 128 + the signal, one line saying to resume, no temporary file,
    no lock, no worker left; --resume then gives the uninterrupted result."""
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    assert main(["balance", str(big), str(whole), "--quiet"]) == 0
    process = subprocess.Popen(
        [COMMAND, "balance", str(big), str(cut), "--quiet", "--jobs", jobs],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=POOL_NOW,
    )
    wait_for_generated_files(cut / "few")
    workers = children(process.pid)
    if group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=60) == 128 + signum
    name = signal.Signals(signum).name
    assert err == (
        f"imgbalance balance: interrupted ({name}); the files written so far are "
        "complete: run again with --resume to finish.\n"
    )
    assert not (cut / MANIFEST).exists(), "the run ended before the signal"
    left = tree_hashes(cut)
    assert not [p for p in left if ".imgbalance-tmp-" in p or p == LOCK]
    assert 0 < len(left) < len(tree_hashes(whole))
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{w}") for w in workers):
        assert time.monotonic() < deadline, "a worker outlived the run by 10 s"
        time.sleep(0.1)
    assert main(["balance", str(big), str(cut), "--resume", "--quiet"]) == 0
    assert tree_hashes(cut) == tree_hashes(whole)


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_workers_end_when_the_run_is_killed(big, tmp_path):
    """kill -9 of the command with --jobs 2: its worker processes (and the
    helpers they share) are gone within 10 s; --resume then finishes."""
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    process = subprocess.Popen(
        [COMMAND, "balance", str(big), str(cut), "--quiet", "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=POOL_NOW,
    )
    wait_for_generated_files(cut / "few")
    workers = children(process.pid)
    process.kill()
    process.wait()
    assert len(workers) >= 2
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{w}") for w in workers):
        assert time.monotonic() < deadline, "a worker outlived the run by 10 s"
        time.sleep(0.1)
    assert main(["balance", str(big), str(whole), "--quiet"]) == 0
    assert main(["balance", str(big), str(cut), "--resume", "--quiet"]) == 0
    assert tree_hashes(cut) == tree_hashes(whole)


def test_more_jobs_than_cores_are_cut_to_one_per_core(tmp_path, capsys):
    """--jobs 1000 on a few images: one job per core, said in a note; the
    same files as one job."""
    from joblib import cpu_count

    src = write_pngs(tmp_path / "src", {"cat": 6, "dog": 2}, seed=3)
    code, _, err = balance(capsys, src, tmp_path / "many", "--jobs", "1000", "--json")
    cores = cpu_count()
    assert (code, err) == (
        0,
        f"imgbalance balance: note: --jobs 1000: {cores} jobs, one per core of "
        "this machine.\n",
    )
    # --quiet: not even the note
    assert balance(capsys, src, tmp_path / "quiet", "--jobs", "1000", "--quiet") == (
        0,
        "",
        "",
    )
    assert balance(capsys, src, tmp_path / "one", "--quiet") == (0, "", "")
    assert tree_hashes(tmp_path / "quiet") == tree_hashes(tmp_path / "one")
    assert tree_hashes(tmp_path / "many") == tree_hashes(tmp_path / "one")


@pytest.fixture
def wide(tmp_path):
    """A class of 8-bit PNGs and one of a 32-bit integer TIFF (a gradient
    from 0 to 1000), a 32-bit float TIFF and a 1-bit PNG."""
    root = tmp_path / "wide"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    for i in range(4):
        Image.fromarray(np.full((16, 16, 3), 50 * i, np.uint8)).save(
            root / "a" / f"{i}.png"
        )
    gradient = np.tile(np.linspace(0, 1000, 16).astype(np.int32), (16, 1))
    Image.fromarray(gradient, "I").save(root / "b" / "int.tif")
    Image.fromarray(gradient.astype(np.float32) / 1000, "F").save(root / "b" / "f.tif")
    Image.fromarray(np.eye(16, dtype=bool)).save(root / "b" / "bit.png")
    return root


@pytest.mark.parametrize("image_format", ["png", "jpeg"])
def test_32_bit_pixels_are_refused_for_png_and_jpeg(
    wide, tmp_path, capsys, image_format
):
    """Neither format holds them without a guessed scale (an int32 0..1000
    gradient came out black): refused before anything is written."""
    dst = tmp_path / "dst"
    code, out, err = balance(capsys, wide, dst, "--format", image_format)
    assert (code, out) == (2, "")
    assert err == (
        "imgbalance balance: 1 image(s) of SRC hold 32-bit float (mode F) "
        f"pixels, which {image_format.upper()} cannot store without choosing a "
        "scale (b/f.tif); use --format keep, or convert them to 8 or 16 bits "
        "first.\n"
    )
    assert not dst.exists()
    os.remove(wide / "b" / "f.tif")
    code, _, err = balance(capsys, wide, dst, "--format", image_format)
    assert code == 2 and "32-bit integer (mode I) pixels" in err
    assert "(b/int.tif)" in err and not dst.exists()


def test_32_bit_pixels_kept_as_they_are_and_1_bit_noted(wide, tmp_path, capsys):
    dst = tmp_path / "dst"
    assert balance(capsys, wide, dst, "--quiet") == (0, "", "")
    for name, mode, dtype, top in [
        ("int.tif", "I", np.int32, 1000),
        ("f.tif", "F", np.float32, 1.0),
    ]:
        with Image.open(dst / "b" / name) as image:
            assert image.mode == mode
            assert np.asarray(image).dtype == dtype
            assert np.asarray(image).max() == top
    with Image.open(dst / "b" / "int_aug0.tif") as image:
        assert image.mode == "I" and 900 < np.asarray(image).max() <= 1000
    os.remove(wide / "b" / "f.tif")
    os.remove(wide / "b" / "int.tif")
    jpeg = tmp_path / "jpeg"
    assert balance(capsys, wide, jpeg, "--format", "jpeg", "--quiet")[0] == 0
    rows = (jpeg / MANIFEST).read_text().splitlines()
    bits = [row for row in rows if row.startswith("b/bit")]
    assert len(bits) == 4
    assert all(row.endswith(",1-bit to 8-bit gray for JPEG") for row in bits)
    with Image.open(jpeg / "b" / "bit.jpg") as image:
        assert image.mode == "L"


def test_names_that_are_not_utf8_or_too_long(tmp_path, capsys):
    """balance refuses them before writing; inspect --json shows them with
    escapes and stays valid UTF-8."""
    root = tmp_path / "src"
    (root / "a").mkdir(parents=True)
    for i in range(3):
        Image.fromarray(np.full((8, 8, 3), 60 * i, np.uint8)).save(
            root / "a" / f"{i}.png"
        )
    bad_class = os.path.join(os.fsencode(root), b"b\xfe")
    os.mkdir(bad_class)
    Image.new("RGB", (8, 8)).save(os.fsdecode(os.path.join(bad_class, b"ok.png")))
    with open(os.path.join(bad_class, b"bad\xff.png"), "wb") as file:
        file.write(b"not an image")
    dst = tmp_path / "dst"
    code, out, err = balance(capsys, root, dst, "--on-error", "skip")
    assert (code, out) == (2, "")
    assert err == (
        "imgbalance balance: 2 file name(s) of SRC are not UTF-8 text, which the "
        "manifest is (b\\xfe/bad\\xff.png, b\\xfe/ok.png); rename them.\n"
    )
    assert not dst.exists()
    result = subprocess.run(
        [COMMAND, "inspect", str(root), "--json"], capture_output=True, timeout=120
    )
    assert result.returncode == 1  # bad\xff.png is not an image
    report = json.loads(result.stdout.decode("utf-8"))  # strict UTF-8
    assert [c["name"] for c in report["classes"]] == ["a", "b\\xfe"]
    assert [u["path"] for u in report["unreadable"]] == ["b\\xfe/bad\\xff.png"]
    # a name too long once "_aug12" and the temporary prefix are added
    if os.pathconf(tmp_path, "PC_NAME_MAX") != 255:
        return  # the limit below is that of file systems of 255-byte names
    os.rename(bad_class, os.path.join(os.fsencode(root), b"b"))
    os.remove(root / "b" / os.fsdecode(b"bad\xff.png"))
    long_name = "x" * 210 + ".png"
    (root / "b" / "ok.png").rename(root / "b" / long_name)
    code, out, err = balance(capsys, root, dst)
    assert (code, out) == (2, "")
    assert err == (
        "imgbalance balance: 1 file name(s) of SRC are longer than the 207 bytes "
        f"that leave room for the outputs' names ('b/{long_name}'); shorten them.\n"
    )
    assert not dst.exists()


def repaint(path, value):
    """New pixels in the file at ``path`` (same name and size)."""
    with Image.open(path) as image:
        size = image.size
    Image.fromarray(np.full((size[1], size[0], 3), value, np.uint8)).save(path)
    os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 10**9))


@pytest.mark.parametrize("method", ["augment", "random", "smote"])
def test_resume_makes_again_what_came_from_a_changed_file(
    src, tmp_path, capsys, method
):
    """A source edited after a run: --resume makes its outputs again (with
    smote, every synthetic image: the embedding changed) and the result
    equals a whole run on the edited folder."""
    dst = tmp_path / "dst"
    args = ("--method", method, "--quiet")
    assert balance(capsys, src, dst, *args)[0] == 0
    repaint(src / "dog" / "0.png", 7)
    reference = tmp_path / "reference"
    assert balance(capsys, src, reference, *args)[0] == 0
    assert tree_hashes(dst) != tree_hashes(reference)
    code, _, err = balance(capsys, src, dst, "--resume", *args)
    assert (code, err) == (0, "")
    assert tree_hashes(dst) == tree_hashes(reference)


def test_resume_makes_again_outputs_emptied_or_changed(
    src, tmp_path, capsys, monkeypatch
):
    """An output left empty, or not the size it was written with (journal),
    or empty after a finished run (manifest): made again."""
    whole, dst = tmp_path / "whole", tmp_path / "dst"
    assert balance(capsys, src, whole, "--quiet")[0] == 0
    undo = disk_full_after(monkeypatch, 30)
    assert balance(capsys, src, dst, "--quiet")[0] == 3
    undo()
    journalled = [
        json.loads(line.split(b"\t")[1])
        for line in (dst / JOURNAL).read_bytes().splitlines()
    ]
    generated = [name for name in journalled if "_aug" in name]
    assert len(generated) >= 2
    (dst / generated[0]).write_bytes(b"")  # left empty
    with open(dst / generated[1], "ab") as file:  # not what was written
        file.write(b"\0")
    assert balance(capsys, src, dst, "--resume", "--quiet")[0] == 0
    assert tree_hashes(dst) == tree_hashes(whole)
    # a finished run: an output emptied is made again
    (dst / generated[0]).write_bytes(b"")
    assert balance(capsys, src, dst, "--resume", "--quiet")[0] == 0
    assert tree_hashes(dst) == tree_hashes(whole)


def test_resume_refuses_when_files_were_added_or_removed(src, tmp_path, capsys):
    dst = tmp_path / "dst"
    assert balance(capsys, src, dst, "--quiet")[0] == 0
    Image.new("RGB", (16, 16)).save(src / "dog" / "new.png")
    os.remove(src / "cat" / "5.png")
    before = tree_hashes(dst)
    code, out, err = balance(capsys, src, dst, "--resume")
    assert (code, out) == (2, "")
    assert err == (
        "imgbalance balance: --resume: files of SRC changed since the run in DST "
        "began: 1 added ('dog/new.png'); 1 removed ('cat/5.png'); the plan would "
        "not be the same. Give a new folder, or put SRC back as it was.\n"
    )
    assert tree_hashes(dst) == before
    os.remove(dst / ".imgbalance-sources.tsv")
    code, _, err = balance(capsys, src, dst, "--resume")
    assert code == 2
    assert err.startswith(
        f"imgbalance balance: --resume: DST {str(dst)!r} has no readable record "
        "of SRC (.imgbalance-sources.tsv: [Errno 2] No such file or directory"
    )


def test_a_source_damaged_during_the_run_stops_with_status_3(
    src, tmp_path, capsys, monkeypatch
):
    """A file readable when checked but not when used: status 3 naming it;
    put back, --resume finishes with the uninterrupted result."""
    from imgbalance.folder import _run

    whole, dst = tmp_path / "whole", tmp_path / "dst"
    assert balance(capsys, src, whole, "--quiet")[0] == 0
    victim = src / "dog" / "3.png"
    kept = victim.read_bytes()
    plan = _run.generate

    def plan_then_damage(*args, **kwargs):
        result = plan(*args, **kwargs)
        victim.write_bytes(kept[:40])  # cut short after the check
        return result

    monkeypatch.setattr(_run, "generate", plan_then_damage)
    code, _, err = balance(capsys, src, dst, "--quiet", "--json")
    assert code == 3
    assert err.startswith(
        "imgbalance balance: stopped: a file of SRC changed during the run and "
        f"cannot be read now (SRC: cannot decode {str(victim)!r} as an image ("
    )
    assert err.endswith("run again with --resume to finish.\n")
    assert err.count("\n") == 1
    monkeypatch.setattr(_run, "generate", plan)
    victim.write_bytes(kept)  # put back (with a new time)
    assert balance(capsys, src, dst, "--resume", "--quiet")[0] == 0
    ours, reference = tree_hashes(dst), tree_hashes(whole)
    # the record of SRC holds the file's new time; all else is the same
    assert ours.pop(".imgbalance-sources.tsv") != reference.pop(
        ".imgbalance-sources.tsv"
    )
    assert ours == reference


def test_dst_inside_src_through_a_bind_mount(src, tmp_path, capsys):
    """SRC mounted again elsewhere is still SRC: found by device and inode,
    not by path (skipped where mounting is not allowed)."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    mounted = subprocess.run(
        ["mount", "--bind", str(src), str(mirror)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot bind-mount here (needs root)")
    try:
        before = tree_hashes(src)
        for dst, where in [(mirror / "cat" / "out", "inside"), (mirror, "at")]:
            code, out, err = balance(capsys, src, dst)
            assert (code, out) == (2, "")
            if where == "at":
                assert err == (
                    f"imgbalance balance: DST {str(dst)!r} is SRC; give a separate "
                    "folder.\n"
                )
            else:
                assert err == (
                    f"imgbalance balance: DST {str(dst)!r} is inside SRC "
                    f"{str(src)!r}: imgbalance never writes into the source "
                    "dataset; give a folder outside it.\n"
                )
        assert tree_hashes(src) == before
    finally:
        subprocess.run(["umount", str(mirror)], check=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 600 KB file system of its own (tmpfs), resizable; skipped where
    mounting is not allowed."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(disk)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_stops_with_status_3_and_resume_finishes(
    tmp_path, small_disk, capsys
):
    """The estimate (new images as large as the median source) lets the run
    start; the minority's one large noisy image makes large outputs and the
    disk fills: status 3, no partial file, and once there is room --resume
    gives the uninterrupted result."""
    src = write_pngs(tmp_path / "src", {"cat": 8}, side=8)
    (src / "dog").mkdir()
    noise = np.random.default_rng(1).integers(0, 256, (256, 256, 3), np.uint8)
    Image.fromarray(noise).save(src / "dog" / "big.png")  # about 197 KB
    whole = tmp_path / "whole"
    assert balance(capsys, src, whole, "--quiet")[0] == 0
    before, dst = tree_hashes(src), small_disk / "dst"
    code, out, err = balance(capsys, src, dst, "--quiet")
    assert code == 3, err
    assert err.startswith("imgbalance balance: stopped: ")
    assert "No space left on device" in err
    assert err.endswith("run again with --resume to finish.\n")
    assert err.count("\n") == 1
    assert not [p for p in tree_hashes(dst) if ".imgbalance-tmp-" in p]
    assert tree_hashes(src) == before
    subprocess.run(["mount", "-o", "remount,size=8m", str(small_disk)], check=True)
    assert balance(capsys, src, dst, "--resume", "--quiet")[0] == 0
    assert tree_hashes(dst) == tree_hashes(whole)
    assert tree_hashes(src) == before


def test_a_full_temporary_folder_stops_the_run_before_writing(
    tmp_path, small_disk, capsys, monkeypatch
):
    # the list of SRC's files is kept in the temporary folder (TMPDIR)
    src = write_pngs(tmp_path / "src", {"cat": 8, "dog": 2}, side=8)
    with open(small_disk / "filler", "wb") as filler:
        with pytest.raises(OSError):
            while True:
                filler.write(b"x" * 65536)
                filler.flush()
    monkeypatch.setattr(tempfile, "tempdir", str(small_disk))
    before = tree_hashes(src)
    code, out, err = balance(capsys, src, tmp_path / "dst")
    assert (code, out) == (3, "")
    assert err == (
        "imgbalance balance: stopped before anything was written: the "
        f"temporary folder {small_disk} cannot hold the run's list of files "
        "(No space left on device); free some room there, or set TMPDIR to a "
        "folder with room.\n"
    )
    assert not (tmp_path / "dst").exists() and tree_hashes(src) == before


@pytest.mark.parametrize("command", ["balance", "split"])
def test_no_writable_temporary_folder_stops_the_run_before_writing(
    tmp_path, capsys, monkeypatch, command
):
    def none_usable(*args, **kwargs):
        raise FileNotFoundError(2, "No usable temporary directory found in [...]")

    src = write_pngs(tmp_path / "src", {"cat": 8, "dog": 2}, side=8)
    monkeypatch.setattr(tempfile, "TemporaryFile", none_usable)
    monkeypatch.setattr(tempfile, "gettempdir", none_usable)
    code, out, err = run_here(capsys, command, src, tmp_path / "dst")
    assert (code, out) == (3, "")
    assert err == (
        f"imgbalance {command}: stopped before anything was written: no folder "
        "for temporary files can be written (TMPDIR, /tmp, /var/tmp, /usr/tmp "
        "and the current folder were tried); set TMPDIR to a writable folder "
        "with room.\n"
    )
    assert not (tmp_path / "dst").exists()


def test_a_plan_larger_than_the_disk_is_refused_before_writing(
    tmp_path, small_disk, capsys
):
    src = write_pngs(tmp_path / "src", {"cat": 40, "dog": 2}, side=64)  # ~12 KB
    code, out, err = balance(capsys, src, small_disk / "dst")
    assert (code, out) == (2, "")
    assert err.startswith("imgbalance balance: the plan writes 80 files, about ")
    assert f"and DST's file system has 614.4 KB free ({small_disk}); free some " in err
    assert not (small_disk / "dst").exists()


def test_jobs_in_the_runs_own_process_start_no_watchdog(src, tmp_path, monkeypatch):
    """A dask cluster of threads in this process runs the jobs here: the
    watchdog that ends a worker whose parent died must not start in the
    run's own process (it did: joblib's dask backend is not "threads")."""
    import threading

    distributed = pytest.importorskip("dask.distributed")
    from joblib import parallel_config

    from imgbalance.folder import balance_folder

    monkeypatch.setenv("IMGBALANCE_POOL_AFTER", "0")  # to the cluster, not here
    with distributed.Client(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ):
        with parallel_config(backend="dask"):
            balance_folder(src, tmp_path / "dst", n_jobs=2)
    assert (tmp_path / "dst" / MANIFEST).is_file()
    names = [thread.name for thread in threading.enumerate()]
    assert "imgbalance-watchdog" not in names


@pytest.mark.parametrize(
    "command, stage, error, said",
    [
        (
            "balance",
            "_run.generate",
            MemoryError(),
            "stopped: out of memory. Ask for fewer images with --strategy or use "
            "fewer --jobs; the files written so far (if any) are complete, and "
            "--resume finishes.",
        ),
        (  # split has no --strategy
            "split",
            "_split._groups",
            MemoryError(),
            "stopped: out of memory. Use fewer --jobs; the files written so far "
            "(if any) are complete, and --resume finishes.",
        ),
        (  # a Dask cluster lost while it checks SRC, say: DST was not made
            "balance",
            "_run.generate",
            OSError("the cluster could not run a job (KilledWorker: ...)"),
            "stopped before anything was written: the cluster could not run a "
            "job (KilledWorker: ...).",
        ),
    ],
)
def test_a_stop_before_writing_is_one_line_and_status_3(
    src, tmp_path, capsys, monkeypatch, command, stage, error, said
):
    import importlib

    module, name = stage.split(".")

    def fails(*args, **kwargs):
        raise error

    monkeypatch.setattr(
        importlib.import_module(f"imgbalance.folder.{module}"), name, fails
    )
    code, out, err = run_here(capsys, command, src, tmp_path / "dst")
    assert (code, out, err) == (3, "", f"imgbalance {command}: {said}\n")
    assert not (tmp_path / "dst").exists()


def test_smote_counts_the_images_it_holds_in_memory(src, tmp_path, capsys, monkeypatch):
    """SMOTE makes every new image in memory: 54 new 16x16 images at up to
    4 bytes a pixel, plus the 6 it grows from, against 30 KB available."""
    from imgbalance.folder import _room

    monkeypatch.setattr(_room, "_available_memory", lambda: 30_000)
    code, _, err = balance(capsys, src, tmp_path / "dst", "--method", "smote")
    assert code == 2
    assert err.startswith("imgbalance balance: a plan of 120 files needs about ")
    assert "of memory and 30.0 KB is available" in err
    assert "needs about 85.4 KB of memory" in err  # 24 KB of plan, 61.4 KB of pixels
    code, _, err = balance(capsys, src, tmp_path / "dst2", "--quiet")  # augment
    assert (code, err) == (0, "")  # its 24 KB of plan fit


def test_a_signal_python_ignored_still_sets_the_status(
    src, tmp_path, capsys, monkeypatch
):
    """Python ignores an exception raised in some of its own callbacks: a
    Ctrl-C arriving there does not stop the run, which goes on to its end.
    The command still says it was interrupted, with status 130 (here the
    run catches the stop itself, as such a callback would)."""
    import imgbalance.folder

    real = imgbalance.folder.balance_folder

    def run_then_swallow(*args, **kwargs):
        summary = real(*args, **kwargs)
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)  # the handler runs here
        except BaseException:  # what Python's own callbacks do with it
            pass
        return summary

    monkeypatch.setattr(imgbalance.folder, "balance_folder", run_then_swallow)
    code, out, err = balance(capsys, src, tmp_path / "dst", "--quiet")
    assert (code, out) == (130, "")
    assert err == (
        "imgbalance balance: interrupted (SIGINT) as the run ended; DST is complete.\n"
    )
    assert (tmp_path / "dst" / "manifest.csv").exists()


def test_a_signal_before_dst_exists_says_nothing_was_written(
    src, tmp_path, capsys, monkeypatch
):
    import imgbalance.folder

    def stop_at_once(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)
        raise AssertionError("not stopped")

    monkeypatch.setattr(imgbalance.folder, "balance_folder", stop_at_once)
    code, out, err = balance(capsys, src, tmp_path / "dst", "--quiet")
    assert (code, out) == (143, "")
    assert err == (
        "imgbalance balance: interrupted (SIGTERM) before anything was written.\n"
    )
    assert not (tmp_path / "dst").exists()


@pytest.mark.parametrize("moment", ["open", "flock", "stat"])
def test_a_signal_while_the_lock_is_taken_leaves_no_lock_file(
    tmp_path, monkeypatch, moment
):
    """A stop that arrives between the lock file's creation and the set-up
    of its release is held back until that set-up: no lock file is left
    (a stopped run once left an empty one in DST)."""
    from imgbalance.cli._signals import Stopped, signals_stop
    from imgbalance.folder import _lock

    real = {"open": os.open, "stat": os.stat, "flock": _lock.fcntl.flock}

    def signalled(*args, **kwargs):  # the step done, a stop arrives
        done = real[moment](*args, **kwargs)
        if moment == "flock" or str(args[0]).endswith(_lock.LOCK):
            os.kill(os.getpid(), signal.SIGINT)
        return done

    dst = tmp_path / "dst"
    ran = []
    with pytest.raises(Stopped), signals_stop():
        if moment == "flock":
            monkeypatch.setattr(_lock.fcntl, "flock", signalled)
        else:
            monkeypatch.setattr(_lock.os, moment, signalled)
        try:
            with _lock.exclusive_run(str(dst)):
                ran.append(True)
        finally:
            monkeypatch.undo()
    assert ran == [] and os.listdir(dst) == []
