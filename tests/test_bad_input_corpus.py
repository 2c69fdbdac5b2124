"""Every case of the bad-input corpus (tests/bad_inputs.py) through the
installed command: the documented exit status, one line of message, SRC
unchanged, nothing half-written, no traceback and no raw warning."""

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bad_inputs import CASES
from folders import tree_hashes

COMMAND = os.path.join(os.path.dirname(sys.executable), "imgbalance")
TEMPORARY = ".imgbalance-tmp-"


def _everything_under(root):
    """Relative path -> kind of every entry under ``root`` (links not
    followed)."""
    out = {}
    for parent, folders, files in os.walk(root):
        for name in folders + files:
            path = os.path.join(parent, name)
            kind = "link" if os.path.islink(path) else "dir" if name in folders else ""
            out[os.path.relpath(path, root)] = kind
    return out


def _run(case, root):
    os.makedirs(root)
    args = [os.fsdecode(a) for a in case.make(Path(root))]
    src = next((a for a in args[1:] if not a.startswith("-")), None)
    before_src = tree_hashes(src) if src and os.path.isdir(src) else None
    before = _everything_under(root)
    result = subprocess.run(
        [COMMAND, *args],
        capture_output=True,
        timeout=600,
        env={**os.environ, "PYTHONWARNINGS": "default"},  # show any warning
    )
    return {
        "args": args,
        "src": src,
        "before_src": before_src,
        "after_src": tree_hashes(src) if before_src is not None else None,
        "before": before,
        "after": _everything_under(root),
        "code": result.returncode,
        "stdout": result.stdout.decode("utf-8"),  # must be valid UTF-8
        "stderr": result.stderr.decode("utf-8"),
    }


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Every case, run four at a time (most of each run is start-up)."""
    base = tmp_path_factory.mktemp("corpus")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            case.name: pool.submit(_run, case, str(base / str(n)))
            for n, case in enumerate(CASES)
        }
        return {name: future.result() for name, future in futures.items()}


def test_the_corpus_names_are_unique():
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case, outcomes):
    out = outcomes[case.name]
    where = f"{out['args']}\nstdout: {out['stdout']!r}\nstderr: {out['stderr']!r}"
    assert out["code"] == case.code, where
    assert "Traceback" not in out["stderr"] and "Warning" not in out["stderr"], where
    lines = out["stderr"].splitlines()
    if case.code != 0 and case.stdout is None:
        assert len(lines) == 1, where  # one line of message, nothing else
        assert lines[0].startswith(f"imgbalance {out['args'][0]}: "), where
        assert out["stdout"] == "", where
    if case.message:
        assert re.search(case.message, out["stderr"]), where
    if case.stdout is not None:
        assert re.search(case.stdout, out["stdout"]), where
    for note in case.notes:
        assert any(re.search(note, line) for line in lines), where
    if case.code == 0 and not case.notes:
        assert out["stderr"] == "", where
    # the user's data untouched, nothing half-written anywhere
    assert out["after_src"] == out["before_src"], where
    made = set(out["after"]) - set(out["before"])
    assert not any(TEMPORARY in path for path in made), where
    if case.code != 0:
        assert made == set(), where  # refused before the first byte
        assert out["after"] == out["before"], where


def test_written_cases_list_every_output_in_the_manifest(outcomes):
    """The odd-names case: every file written has its manifest row."""
    import csv

    out = outcomes["odd names"]
    dst = out["args"][2]
    with open(os.path.join(dst, "manifest.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    written = {
        os.path.relpath(os.path.join(parent, name), dst)
        for parent, _, files in os.walk(dst)
        for name in files
        if name != "manifest.csv" and not name.startswith(".imgbalance")
    }
    assert {row["output"] for row in rows} == written
    assert len(written) == 18  # 9 cats; 8 odd dogs + 1 made
    assert any("new\nline" in row["source"] for row in rows)


def test_a_decision_on_a_file_is_noted_in_its_manifest_row(outcomes):
    import csv

    dst = outcomes["1-bit source to JPEG"]["args"][2]
    with open(os.path.join(dst, "manifest.csv"), newline="", encoding="utf-8") as f:
        notes = {row["output"]: row["note"] for row in csv.DictReader(f)}
    assert notes["dog/bit.jpg"] == "1-bit to 8-bit gray for JPEG"
    assert notes["cat/0.jpg"] == ""
