"""The ordinary paths of a new user, through the installed command: a closed
standard output, JSON for scripts whatever happens, exit statuses that say
what was found, messages that name the fix."""

import json
import os
import re
import subprocess

import pytest
from PIL import Image

import imgbalance
from commands import COMMAND, run_command
from folders import tree_hashes, write_pngs
from processes import run_python


def run(*args, stdout=subprocess.PIPE, timeout=300):
    """The installed command in a new process: (exit code, stdout, stderr)."""
    done = run_command(*args, stdout=stdout, timeout=timeout)
    return done.returncode, done.stdout, done.stderr


def run_with_stdout_closed(*args):
    """The command writing to a pipe whose reader has already gone (what
    ``| head -1`` gives once head has its line): (exit code, stderr)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        code, _, err = run(*args, stdout=write_end)
    finally:
        os.close(write_end)
    return code, err


def make_dataset(root, counts, empty=(), bad=()):
    """:func:`write_pngs` (8x8 RGB); the classes in ``empty`` get a folder
    and no image, those in ``bad`` one extra file that is not an image."""
    write_pngs(root, counts)
    for name in empty:
        (root / name).mkdir(parents=True)
    for name in bad:
        (root / name / "broken.png").write_text("not an image")
    return root


@pytest.fixture
def clean(tmp_path):
    """Three classes, every file readable, one empty class folder."""
    return make_dataset(
        tmp_path / "clean", {"cat": 6, "dog": 3, "fox": 2}, empty=["owl"]
    )


@pytest.fixture
def damaged(tmp_path):
    """Two classes, one unreadable file."""
    return make_dataset(tmp_path / "damaged", {"cat": 4, "dog": 2}, bad=["dog"])


def test_closed_stdout_ends_quietly(clean, damaged):
    """No BrokenPipeError traceback, nothing on stderr, and the status the
    work earned (1: unreadable files found)."""
    assert run_with_stdout_closed("demo") == (0, "")
    assert run_with_stdout_closed("inspect", clean) == (0, "")
    assert run_with_stdout_closed("inspect", damaged) == (1, "")
    assert run_with_stdout_closed("inspect", damaged, "--json") == (1, "")
    assert run_with_stdout_closed("--help") == (0, "")
    assert run_with_stdout_closed("inspect", "--help") == (0, "")


def test_closed_stdout_does_not_stop_balance(clean, tmp_path):
    """A reader going away does not cut a run short: every file is written,
    the manifest too, status 0."""
    dst = tmp_path / "out"
    assert run_with_stdout_closed("balance", clean, dst) == (0, "")
    assert sorted(os.listdir(dst)) == [
        ".imgbalance-run.json",  # the settings, for a later --resume
        ".imgbalance-sizes.tsv",  # each output's size, for a later --resume
        ".imgbalance-sources.tsv",  # what SRC held, for a later --resume
        "cat",
        "dog",
        "fox",
        "manifest.csv",
    ]
    assert [len(os.listdir(dst / c)) for c in ("cat", "dog", "fox")] == [6, 6, 6]


def test_closed_stdout_through_a_real_pipe(damaged):
    """The same with the shell's ``| head -1``: head gets the first line,
    the command exits 1 (unreadable files) without a word on stderr."""
    result = subprocess.run(
        [
            "bash",
            "-c",
            f'"{COMMAND}" inspect "{damaged}" | head -1; exit "${{PIPESTATUS[0]}}"',
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        f"dataset: {damaged}\n",
        "",
    )


def test_stdout_closed_from_the_start_ends_quietly(clean, damaged, tmp_path):
    """Standard output closed before the command starts (``>&-``): nothing
    to print to, the status the work earned, no word on stderr but the
    error's own line."""
    missing = tmp_path / "missing"
    for args, code, err in [
        (("inspect", damaged, "--json"), 1, ""),
        (("inspect", clean), 0, ""),
        (
            ("inspect", missing, "--json"),
            2,
            f"imgbalance inspect: DIR '{missing}' does not exist; give the "
            "dataset's folder (DIR/<class>/<image>).\n",
        ),
        (("balance", clean, tmp_path / "out", "--json"), 0, ""),
    ]:
        done = subprocess.run(
            ["bash", "-c", '"$0" "$@" >&-', COMMAND, *map(str, args)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert (done.returncode, done.stderr) == (code, err), args
    assert sorted(os.listdir(tmp_path / "out" / "cat")) != []


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_stdout_that_cannot_be_written_is_said_in_one_line(clean, damaged, tmp_path):
    """Standard output on a full device: said once, in one line; the work
    goes on and its status is the one it earned."""
    said = (
        "imgbalance: standard output could not be written ([Errno 28] No space "
        "left on device); what was left to print is dropped.\n"
    )
    with open("/dev/full", "w") as full:
        for args, code, err in [
            (("inspect", damaged, "--json"), 1, said),
            (("inspect", clean), 0, said),
            (("balance", clean, tmp_path / "out"), 0, said),
        ]:
            done = run_command(*args, stdout=full, timeout=300)
            assert (done.returncode, done.stderr) == (code, err), args
    assert [len(os.listdir(tmp_path / "out" / c)) for c in ("cat", "dog", "fox")] == [
        6,
        6,
        6,
    ]


def test_inspect_exit_status_says_whether_files_are_unreadable(clean, damaged):
    code, out, err = run("inspect", clean)
    assert (code, err) == (0, "")
    assert out.startswith(f"dataset: {clean}\n\nclass  images  unreadable\n")
    assert "class folders without images: owl\n" in out
    code, out, err = run("inspect", damaged)
    assert (code, err) == (1, "")
    assert "unreadable files (1):\n  dog/broken.png: not an image file Pillow" in out
    code, out, _ = run("inspect", damaged, "--json")
    report = json.loads(out)
    assert code == 1 and report["exit_code"] == 1
    assert report["unreadable"] == [
        {
            "path": "dog/broken.png",
            "class": "dog",
            "reason": "not an image file Pillow can read",
        }
    ]


@pytest.mark.parametrize(
    "args, code, message",
    [
        (
            ("inspect", "{tmp}/nowhere"),
            2,
            "imgbalance inspect: DIR '{tmp}/nowhere' does not exist; give the "
            "dataset's folder (DIR/<class>/<image>).",
        ),
        (
            ("inspect", "{clean}/cat/0.png"),
            2,
            "imgbalance inspect: DIR '{clean}/cat/0.png' is a file; give the "
            "dataset's folder (DIR/<class>/<image>).",
        ),
        (
            ("balance", "{clean}", "{clean}/cat/out"),
            2,
            "imgbalance balance: DST '{clean}/cat/out' is inside SRC '{clean}': "
            "imgbalance never writes into the source dataset; give a folder "
            "outside it.",
        ),
        (
            ("balance", "{clean}", "{tmp}/out", "--jobs", "two"),
            2,
            "imgbalance balance: argument --jobs: give a number of jobs (1, 2...), "
            "or -1 for one per core; got 'two' (see imgbalance balance --help)",
        ),
        (
            ("balance", "{clean}", "{tmp}/out", "--strategy", "0.5"),
            2,
            "imgbalance balance: --strategy 0.5: a float sets the smaller of two "
            "classes, and SRC has 3; give the size each class should reach (such "
            "as --strategy cat=6,dog=6), or auto, minority, not-majority, "
            "not-minority or all.",
        ),
    ],
    ids=[
        "inspect-missing",
        "inspect-file",
        "balance-dst-inside",
        "bad-jobs",
        "float-strategy",
    ],
)
def test_refusals_are_one_line_and_json(tmp_path, clean, args, code, message):
    """Text: one line on stderr, nothing on stdout. --json: the same line on
    stderr and one JSON object on stdout, so a script always gets JSON."""
    fill = dict(tmp=tmp_path, clean=clean)
    args = [a.format(**fill) for a in args]
    message = message.format(**fill)
    before = tree_hashes(clean)
    got_code, out, err = run(*args)
    assert (got_code, out, err) == (code, "", message + "\n")
    got_code, out, err = run(*args, "--json")
    assert (got_code, err) == (code, message + "\n")
    assert json.loads(out) == {
        "error": message.split(": ", 1)[1],
        "exit_code": code,
    }
    assert tree_hashes(clean) == before
    assert not (tmp_path / "out").exists()


def test_bad_choice_is_one_line_and_json():
    code, out, err = run("balance", "a", "b", "--method", "mix", "--json")
    assert code == 2 and err.count("\n") == 1
    # argparse quotes the choices or not, by Python version
    assert re.fullmatch(
        r"imgbalance balance: argument --method: invalid choice: 'mix' \(choose "
        r"from '?augment'?, '?random'?, '?smote'?\) \(see imgbalance balance "
        r"--help\)\n",
        err,
    )
    assert json.loads(out) == {"error": err.split(": ", 1)[1][:-1], "exit_code": 2}


def test_an_unknown_option_is_said_by_its_subcommand(tmp_path):
    code, out, err = run("balance", "a", "b", "--bogus", "--json")
    assert (code, err) == (
        2,
        "imgbalance balance: unrecognized arguments: --bogus (see imgbalance "
        "balance --help)\n",
    )
    assert json.loads(out) == {
        "error": "unrecognized arguments: --bogus (see imgbalance balance --help)",
        "exit_code": 2,
    }


def test_balance_says_which_class_folders_are_empty(clean, tmp_path):
    code, out, err = run("balance", clean, tmp_path / "out")
    assert (code, err) == (0, "")
    assert out.splitlines()[:6] == [
        f"augment: {clean} -> {tmp_path / 'out'}",
        "class  before ->  after",
        "cat         6 ->      6",
        "dog         3 ->      6",
        "fox         2 ->      6",
        "class folders without images, left out: owl",
    ]
    code, out, _ = run("balance", clean, tmp_path / "dry", "--dry-run", "--json")
    assert code == 0 and json.loads(out)["empty_classes"] == ["owl"]


def test_plot_says_where_it_wrote_and_never_writes_into_the_dataset(clean, tmp_path):
    pytest.importorskip("matplotlib")  # the test extra installs it
    chart = tmp_path / "classes.png"
    code, out, err = run("inspect", clean, "--plot", chart)
    assert (code, err) == (0, "")
    assert out.endswith(f"\nbar chart written to {chart}\n")
    with Image.open(chart) as image:
        assert image.format == "PNG"
    code, out, _ = run("inspect", clean, "--plot", tmp_path / "c.png", "--json")
    assert code == 0 and json.loads(out)["plot"] == str(tmp_path / "c.png")
    # an image of the dataset is not overwritten; neither is anything else
    # inside it; nor does a missing folder or an unknown format give a traceback
    before = tree_hashes(clean)
    cases = [
        (
            clean / "cat" / "0.png",
            f"--plot '{clean / 'cat' / '0.png'}' is inside DIR; inspect changes "
            "nothing in the dataset: give a file outside it.",
        ),
        (
            tmp_path / "no" / "such" / "p.png",
            f"--plot: the folder '{tmp_path / 'no' / 'such'}' does not exist; "
            "create it first.",
        ),
        (
            tmp_path,
            f"--plot '{tmp_path}' is a folder; give a file name such as classes.png.",
        ),
    ]
    for plot, message in cases:
        code, out, err = run("inspect", clean, "--plot", plot)
        assert (code, out, err) == (2, "", f"imgbalance inspect: {message}\n")
    code, out, err = run("inspect", clean, "--plot", tmp_path / "chart.xyz")
    assert (code, out) == (2, "")
    assert err.startswith(
        f"imgbalance inspect: --plot '{tmp_path / 'chart.xyz'}': give the file an "
        "extension matplotlib can write ("
    )
    assert "png" in err and err.count("\n") == 1
    assert tree_hashes(clean) == before


def test_help_lists_every_strategy_word_and_version_has_a_short_flag():
    code, out, _ = run("balance", "--help")
    assert code == 0
    flat = " ".join(out.split())
    assert (
        "auto (default: every class but the largest grown to its size), minority, "
        "not-majority, not-minority, all, a float (two classes: the smaller "
        "class's size over the larger's), or CLASS=N,CLASS=N" in flat
    )
    for flag in ("-V", "--version"):
        assert run(flag) == (0, f"imgbalance {imgbalance.__version__}\n", "")


@pytest.mark.parametrize(
    "option, message",
    [
        (
            ("--jobs", "0"),
            "argument --jobs: give a number of jobs (1, 2...), or -1 for one per "
            "core; got '0' (see imgbalance balance --help)",
        ),
        (
            ("--jobs", "-2"),
            "argument --jobs: give a number of jobs (1, 2...), or -1 for one per "
            "core; got '-2' (see imgbalance balance --help)",
        ),
        (
            ("--seed", "-1"),
            "argument --seed: give a whole number from 0 to 4294967295; got "
            "'-1' (see imgbalance balance --help)",
        ),
        (
            ("--seed", "4294967296"),
            "argument --seed: give a whole number from 0 to 4294967295; got "
            "'4294967296' (see imgbalance balance --help)",
        ),
        (
            ("--strategy", "dog=10,cat=6,dog=12"),
            "--strategy names 'dog' twice; give each class once.",
        ),
    ],
    ids=["jobs-0", "jobs-minus-2", "seed-negative", "seed-too-big", "strategy-twice"],
)
def test_bad_numbers_are_usage_errors(clean, tmp_path, capsys, option, message):
    """Through the command's entry point (what the installed command calls):
    status 2, one line, nothing written."""
    from imgbalance.cli import main

    before = tree_hashes(clean)
    code = main(["balance", str(clean), str(tmp_path / "out"), *option, "--json"])
    out, err = capsys.readouterr()
    assert (code, err) == (2, f"imgbalance balance: {message}\n")
    assert json.loads(out) == {"error": message, "exit_code": 2}
    assert tree_hashes(clean) == before and not (tmp_path / "out").exists()


@pytest.mark.parametrize("method", ["augment", "random", "smote"])
def test_a_balanced_folder_is_copied_as_it_is(tmp_path, capsys, method):
    """Nothing to make (a folder balanced already, or a strategy asking for
    no more): the originals are copied, status 0."""
    from imgbalance.cli import main

    src = make_dataset(tmp_path / "even", {"cat": 3, "dog": 3})
    dst = tmp_path / "out"
    assert main(["balance", str(src), str(dst), "--method", method]) == 0
    assert capsys.readouterr().err == ""
    assert tree_hashes(dst / "cat") == tree_hashes(src / "cat")
    assert tree_hashes(dst / "dog") == tree_hashes(src / "dog")
    rows = (dst / "manifest.csv").read_text().splitlines()
    assert len(rows) == 7 and all(",original," in row for row in rows[1:])


@pytest.mark.parametrize("command", ["inspect", "balance"])
def test_empty_or_flat_folders_are_usage_errors(tmp_path, capsys, command):
    """An empty folder, class folders without images, images directly in
    the folder: status 2 and one line saying what was found."""
    from imgbalance.cli import main

    name = "DIR" if command == "inspect" else "SRC"
    empty = tmp_path / "empty"
    empty.mkdir()
    only_empty = tmp_path / "only-empty"
    (only_empty / "cat").mkdir(parents=True)
    flat = make_dataset(tmp_path / "flat", {"cat": 2})
    for path in (flat / "cat").iterdir():
        path.rename(flat / path.name)
    cases = [
        (empty, "has no class folder"),
        (
            only_empty,
            "has 1 class folder(s), none holding an image (.bmp, .gif, .jpeg, "
            ".jpg, .pgm, .png, .ppm, .tif, .tiff, .webp)",
        ),
        (
            flat,
            "has 2 image file(s) directly in it and no class folder holding an image",
        ),
    ]
    for folder, found in cases:
        argv = [command, str(folder)] + (
            [str(tmp_path / "out")] * (command == "balance")
        )
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert (out, err) == (
            "",
            f"imgbalance {command}: {name}: {str(folder)!r} {found}; expected "
            f"{name}/<class>/<image>, one sub-folder per class.\n",
        )
    assert not (tmp_path / "out").exists()


def test_dst_a_dangling_link_and_a_class_named_like_the_manifest(
    tmp_path, capsys, clean
):
    """Both found before anything is written: status 2, one line."""
    from imgbalance.cli import main

    link = tmp_path / "link"
    link.symlink_to(tmp_path / "nowhere")
    assert main(["balance", str(clean), str(link)]) == 2
    assert capsys.readouterr() == (
        "",
        f"imgbalance balance: DST {str(link)!r} is a symbolic link to "
        f"{str(tmp_path / 'nowhere')!r}, which does not exist; give a folder (or "
        "create the one it points to).\n",
    )
    assert not (tmp_path / "nowhere").exists()
    src = make_dataset(tmp_path / "src", {"cat": 3, "Manifest.CSV": 1})
    assert main(["balance", str(src), str(tmp_path / "out")]) == 2
    assert capsys.readouterr() == (
        "",
        "imgbalance balance: SRC has a class folder named 'Manifest.CSV', the "
        "name of the manifest written in DST; rename that folder.\n",
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "args",
    [["--version"], ["--help"], ["inspect", "--help"], ["inspect", "{dataset}"]],
    ids=["version", "help", "inspect-help", "inspect"],
)
def test_the_light_paths_never_import_scikit_learn(clean, args):
    """--help, --version and inspect start fast: no scikit-learn, SciPy,
    imbalanced-learn or joblib is imported (a fresh process each)."""
    args = [a.format(dataset=clean) for a in args]
    script = (
        "import sys\n"
        "from imgbalance.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('sklearn', 'scipy', 'imblearn', 'joblib', 'torch')\n"
        "print('IMPORTED', sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = run_python(script)
    assert result.stdout.splitlines()[-1] == "IMPORTED []", result.stderr


def test_balancing_with_augmentations_never_imports_scikit_learn(clean, tmp_path):
    """The folder command's default path (augment) imports neither
    scikit-learn, SciPy nor imbalanced-learn: seconds of start-up, in the
    command and in each worker process (a fresh process, workers forced)."""
    script = (
        "import os, sys\n"
        "os.environ['IMGBALANCE_POOL_AFTER'] = '0'\n"
        "from imgbalance.cli import main\n"
        f"code = main(['balance', {str(clean)!r}, {str(tmp_path / 'out')!r},\n"
        "             '--jobs', '2', '--quiet'])\n"
        "heavy = ('sklearn', 'scipy', 'imblearn')\n"
        "print('IMPORTED', code, sorted(m for m in heavy if m in sys.modules))\n"
        "from joblib import Parallel, delayed\n"
        "def heavy_in_worker():\n"
        "    return sorted(m for m in heavy if m in sys.modules)\n"
        "print('WORKERS', Parallel(n_jobs=2)(delayed(heavy_in_worker)()\n"
        "                                    for _ in range(4)))\n"
    )
    result = run_python(script)
    lines = result.stdout.splitlines()
    assert lines[-2] == "IMPORTED 0 []", result.stderr
    assert lines[-1] == "WORKERS [[], [], [], []]", result.stderr
