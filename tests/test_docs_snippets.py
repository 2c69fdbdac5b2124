"""Every Python code block of README.md and docs/*.rst runs as printed.

Each block runs with ``exec`` in a fresh namespace, in a temporary working
directory, nothing prepared for it: a block that needs a folder makes one
(``make_example_folder``). Warnings are errors (the suite's setting), but
for the one the README announces: a collection of several modes converted
to one. Blocks that import torch (or Hugging Face's datasets) are skipped
where it is not installed.
"""

import importlib.util
import pathlib
import re
import textwrap
import warnings

import pytest
from threadpoolctl import threadpool_limits

ROOT = pathlib.Path(__file__).parents[1]
DOCUMENTS = ["README.md"] + sorted(
    str(path.relative_to(ROOT)) for path in (ROOT / "docs").glob("*.rst")
)
# How many Python blocks each document holds: a block the extractor misses
# (or a new one) fails test_block_count.
EXPECTED_BLOCKS = {
    "README.md": 3,
    "docs/api.rst": 0,
    "docs/benchmarks.rst": 0,
    "docs/folders.rst": 0,
    "docs/index.rst": 0,
    "docs/torch.rst": 3,
    "docs/user_guide.rst": 10,
}
# warnings a block may give, as the document says it does
ANNOUNCED = re.compile(r"X holds images of several modes, converted to one")

_MARKDOWN_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
_RST_DIRECTIVE = re.compile(r"^([ \t]*)\.\. code-block::[ \t]*python[ \t]*$")


def markdown_blocks(text):
    """``(line, code)`` of each ```python fence, ``line`` that of the fence."""
    return [
        (text.count("\n", 0, match.start()) + 1, match.group(1))
        for match in _MARKDOWN_BLOCK.finditer(text)
    ]


def rst_blocks(text):
    """``(line, code)`` of each ``.. code-block:: python`` directive, dedented."""
    lines = text.splitlines()
    blocks = []
    for i, line in enumerate(lines):
        directive = _RST_DIRECTIVE.match(line)
        if directive is None:
            continue
        indent = len(directive.group(1).expandtabs())
        body = []
        j = i + 1
        # options (":linenos:"...), then the indented content
        while j < len(lines) and lines[j].strip().startswith(":"):
            j += 1
        for content in lines[j:]:
            if content.strip() and len(content) - len(content.lstrip()) <= indent:
                break
            body.append(content)
        code = textwrap.dedent("\n".join(body)).strip("\n") + "\n"
        blocks.append((i + 1, code))
    return blocks


def document_blocks(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    return markdown_blocks(text) if name.endswith(".md") else rst_blocks(text)


def _cases():
    cases = []
    for name in DOCUMENTS:
        for number, (line, code) in enumerate(document_blocks(name), start=1):
            cases.append(pytest.param(code, id=f"{name}-block{number}-line{line}"))
    return cases


def test_every_document_is_counted():
    assert sorted(EXPECTED_BLOCKS) == sorted(DOCUMENTS)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_block_count(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    blocks = document_blocks(name)
    assert len(blocks) == EXPECTED_BLOCKS[name]
    # the same count as a plain search for the markers, so neither a changed
    # document nor a gap in the extractor goes unnoticed
    marker = "```python" if name.endswith(".md") else "code-block:: python"
    assert text.count(marker) == len(blocks)
    assert all(code.strip() for _, code in blocks)


@pytest.fixture
def fresh_workers_per_block():
    """Each block is a program of its own: new joblib workers for it, as
    tests/conftest.py gives each test module. Workers reused block after
    block grow past the 300 MB loky restarts them at (sooner where pyarrow
    is installed, the datasets package's dependency, which pandas then
    imports in every worker), and loky warns when it restarts one with
    tasks queued."""
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True, kill_workers=True)
    yield


@pytest.mark.parametrize("code", _cases())
@pytest.mark.usefixtures("fresh_workers_per_block")
def test_block_runs(code, tmp_path, monkeypatch, capsys):
    if "import torch" in code and importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed (pip install 'imgbalance[torch]')")
    if "from datasets import" in code and importlib.util.find_spec("datasets") is None:
        pytest.skip("datasets is not installed (pip install datasets)")
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    # One BLAS thread: the grid searches' small matrix products ran several
    # times slower with two on a busy 2-core machine; the results are the same.
    with (
        threadpool_limits(limits=1, user_api="blas"),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        exec(compile(code, "<snippet>", "exec"), namespace)
    unannounced = [
        str(w.message) for w in caught if not ANNOUNCED.search(str(w.message))
    ]
    assert unannounced == []
    assert capsys.readouterr().out.strip()  # every block shows something


def test_the_readme_folder_path_runs_as_printed(tmp_path):
    """The README's split, balance, leaks block (sh), with the installed
    command on PATH: every command succeeds, leaks finds none."""
    import os
    import subprocess
    import sys

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = "(this block runs in the tests as printed):\n\n```sh\n"
    block = text[text.index(marker) + len(marker) :].split("```", 1)[0]
    bin_dir = os.path.dirname(sys.executable)
    done = subprocess.run(
        ["bash", "-e", "-c", block],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"]},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("no test image has a near-duplicate in training\n")
    assert sorted(os.listdir(tmp_path / "parts")) == [
        ".imgbalance-run.json",
        ".imgbalance-sizes.tsv",
        ".imgbalance-sources.tsv",
        "manifest.csv",
        "test",
        "train",
    ]
