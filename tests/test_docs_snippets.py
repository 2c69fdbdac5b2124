"""Every Python code block of README.md and docs/user_guide.rst runs as written.

Each block runs with ``exec`` in a fresh namespace, in a temporary working
directory, warnings as errors (the suite's setting). The README's folder block
lists the user's own ``photos/``: the test first writes one there, a few
classes of scikit-learn's digits as PNG files, in unequal numbers.
"""

import pathlib
import re
import textwrap

import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_limits

ROOT = pathlib.Path(__file__).parents[1]

# The documents whose blocks run here, and how many Python blocks each holds:
# a block that the extractor misses (or a new one) fails test_block_count.
EXPECTED_BLOCKS = {
    "README.md": 3,
    "docs/user_guide.rst": 2,
}

# images per class of the photos/ folder the README's folder block reads
# (and of the train/ folder of the user guide's)
PHOTOS = {"0": 12, "1": 6, "7": 3}

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
    for name in EXPECTED_BLOCKS:
        for number, (line, code) in enumerate(document_blocks(name), start=1):
            cases.append(pytest.param(code, id=f"{name}-block{number}-line{line}"))
    return cases


@pytest.mark.parametrize("name", list(EXPECTED_BLOCKS))
def test_block_count(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    blocks = document_blocks(name)
    assert len(blocks) == EXPECTED_BLOCKS[name]
    # the same count as a plain search for the markers, so neither a changed
    # document nor a gap in the extractor goes unnoticed
    marker = "```python" if name.endswith(".md") else "code-block:: python"
    assert text.count(marker) == len(blocks)
    assert all(code.strip() for _, code in blocks)


def write_photos(root):
    """``root/<class>/<n>.png``: 8x8 grayscale digits, unequal class counts."""
    digits = load_digits()
    images = (digits.images * (255 / 16)).round().astype(np.uint8)
    for label, count in PHOTOS.items():
        folder = root / label
        folder.mkdir(parents=True)
        for n, image in enumerate(images[digits.target == int(label)][:count]):
            Image.fromarray(image).save(folder / f"{n}.png")


@pytest.mark.parametrize("code", _cases())
def test_block_runs(code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reads_photos = '"photos/"' in code
    if reads_photos:
        write_photos(tmp_path / "photos")
    if '"train/"' in code:  # the user guide's leakage block
        write_photos(tmp_path / "train")
    namespace = {"__name__": "__main__"}
    # One BLAS thread: the grid searches' small matrix products ran several
    # times slower with two on a busy 2-core machine; the results are the same.
    with threadpool_limits(limits=1, user_api="blas"):
        exec(compile(code, "<snippet>", "exec"), namespace)
    if reads_photos:
        # every class over-sampled to the largest one's count, as paths
        labels = np.asarray(namespace["labels"])
        assert np.bincount(labels).tolist() == [max(PHOTOS.values())] * len(PHOTOS)
        assert all(isinstance(p, str) for p in namespace["paths"])
