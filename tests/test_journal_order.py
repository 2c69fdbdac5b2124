"""The journal put in plan order a part at a time: the manifest is the same
whatever order the jobs ended in, and memory holds a part of the journal."""

import io
import os
import random
from pathlib import Path

import pytest

from commands import run_here
from folders import disk_full_after
from folders import tree_hashes as hashes
from folders import write_pngs
from imgbalance.folder import _journal, _journal_order, _writing, balance_folder
from imgbalance.folder._journal_order import lines_in_order


def _line(k, v):
    return f'{k}\t"c/{k}.png"\t{v}\t"row {k} {v}"\n'.encode()


def _journal_of(n, seed):
    """Lines of outputs 0..n-1 in a random order, some twice or three
    times (written again), and the last line of each."""
    rng = random.Random(seed)
    lines = [(k, v) for k in range(n) for v in range(rng.choice([1, 1, 1, 2, 3]))]
    rng.shuffle(lines)
    last = {}
    for k, v in lines:
        last[k] = v
    return b"".join(_line(k, v) for k, v in lines), [
        _line(k, last[k]) for k in range(n)
    ]


@pytest.mark.parametrize(
    "n, part, at_once",
    [(0, 5, 4), (1, 5, 4), (7, 5, 4), (100, 7, 4), (1000, 16, 4), (3000, 3, 3)],
)
def test_the_last_line_of_each_output_in_plan_order(
    tmp_path, monkeypatch, n, part, at_once
):
    # small parts and merges of few files: one part, several, and (3000
    # lines in parts of 3, merged 3 at a time) several levels of merges
    monkeypatch.setattr(_journal_order, "PART_LINES", part)
    monkeypatch.setattr(_journal_order, "MERGED_AT_ONCE", at_once)
    data, expected = _journal_of(n, seed=n)
    assert list(lines_in_order(io.BytesIO(data), str(tmp_path), n)) == expected
    assert os.listdir(tmp_path) == []  # the parts were unnamed, and are gone


@pytest.mark.parametrize("part", [5, 10**6])
def test_a_journal_missing_an_output_or_past_the_plan_is_refused(
    tmp_path, monkeypatch, part
):
    monkeypatch.setattr(_journal_order, "PART_LINES", part)
    data, _ = _journal_of(50, seed=1)
    lines = data.splitlines(keepends=True)
    cases = [
        (
            b"".join(x for x in lines if not x.startswith(b"17\t")),
            50,
            "no line for output 17",
        ),
        (
            b"".join(x for x in lines if not x.startswith(b"49\t")),
            50,
            "no line for output 49",
        ),
        (
            b"".join(x for x in lines if not x.startswith(b"0\t")),
            50,
            "no line for output 0",
        ),
        (data + _line(50, 0), 50, "a line for output 50, of 50"),
        (data, 51, "no line for output 50"),
        (b"", 1, "no line for output 0"),
    ]
    for journal, n, message in cases:
        with pytest.raises(ValueError, match=message):
            list(lines_in_order(io.BytesIO(journal), str(tmp_path), n))
    assert os.listdir(tmp_path) == []


@pytest.fixture
def src(tmp_path):
    return write_pngs(tmp_path / "src", {"big": 30, "small": 4}, side=6, seed=3)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_the_manifest_is_the_same_from_a_journal_of_many_parts(
    src, tmp_path, monkeypatch, n_jobs
):
    whole = tmp_path / "whole"
    balance_folder(src, whole, seed=4, n_jobs=n_jobs)
    monkeypatch.setattr(_journal_order, "PART_LINES", 4)
    monkeypatch.setattr(_journal_order, "MERGED_AT_ONCE", 2)
    parts = tmp_path / "parts"
    balance_folder(src, parts, seed=4, n_jobs=n_jobs)
    assert hashes(parts) == hashes(whole)
    assert len((whole / _journal.MANIFEST).read_text().splitlines()) == 61


def test_resume_drops_journal_lines_that_are_not_of_the_plan(
    src, tmp_path, monkeypatch
):
    whole = tmp_path / "whole"
    balance_folder(src, whole, seed=4, n_jobs=1)
    undo = disk_full_after(monkeypatch, 9)
    monkeypatch.setattr(_writing, "BATCH", 4)  # jobs of 4: two end, one fails
    cut = tmp_path / "cut"
    with pytest.raises(OSError, match="No space left"):
        balance_folder(src, cut, seed=4, n_jobs=1)
    undo()
    journal = cut / _journal.JOURNAL
    kept = journal.read_bytes()
    assert kept.count(b"\n") == 8
    # lines a plan would not make: a position past it, a name it does not give
    foreign = b'75\t"big/none.png"\t10\t"x"\n' + b'3\t"big/other.png"\t10\t"x"\n'
    journal.write_bytes(kept + foreign)
    summary = balance_folder(src, cut, seed=4, n_jobs=1, resume=True)
    assert summary["already_done"] == 8
    assert hashes(cut) == hashes(whole)


def test_a_journal_row_that_is_not_text_is_refused_on_resume(src, tmp_path, capsys):
    cut = tmp_path / "cut"
    balance_folder(src, cut, seed=4)
    # a finished run's DST, turned back into an interrupted one whose
    # journal's first row is a number, not JSON text
    journal = cut / _journal.JOURNAL
    journal.write_bytes(b'0\t"big/0.png"\t10\t17\n')
    (cut / _journal.MANIFEST).unlink()
    code, out, err = run_here(capsys, "balance", src, cut, "--seed", "4", "--resume")
    assert code == 2 and out == ""
    assert err == (
        f"imgbalance balance: --resume: the journal {str(journal)!r} is damaged at "
        "line 1 (its manifest row is not text); remove it and run again with "
        "--resume (the files it listed are then written again).\n"
    )


def test_a_journal_changed_during_the_run_stops_it_and_resume_finishes(
    src, tmp_path, capsys, monkeypatch
):
    whole = tmp_path / "whole"
    balance_folder(src, whole, seed=4)
    journal_jobs = _writing._journal_jobs

    def and_a_line_lost(run, jobs, summary):
        journal_jobs(run, jobs, summary)
        path = Path(run.options.dst) / _journal.JOURNAL
        path.write_bytes(b"".join(path.read_bytes().splitlines(True)[1:]))

    monkeypatch.setattr(_writing, "_journal_jobs", and_a_line_lost)
    cut = tmp_path / "cut"
    code, out, err = run_here(capsys, "balance", src, cut, "--seed", "4", "--quiet")
    assert code == 3 and len(err.splitlines()) == 1
    assert f"DST's journal {str(cut / _journal.JOURNAL)!r} changed during " in err
    assert "run again with --resume to finish" in err
    assert not (cut / _journal.MANIFEST).exists()
    monkeypatch.undo()
    code, _, _ = run_here(capsys, "balance", src, cut, "--seed", "4", "--resume")
    assert code == 0
    assert hashes(cut) == hashes(whole)
