"""imgbalance inspect --duplicates: the groups of near-duplicate files."""

import json

import numpy as np
import pytest
from PIL import Image

from imgbalance.cli import main
from imgbalance.folder import inspect_folder
from processes import run_python


@pytest.fixture
def folder(tmp_path):
    """cats: 4 distinct images and a JPEG copy of one; dogs: a distinct
    image and a copy of a cat (a labelling problem)."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 48, 48, 3), dtype=np.uint8)
    for name in ("cats", "dogs"):
        (tmp_path / name).mkdir()
    for k in range(4):
        Image.fromarray(images[k]).save(tmp_path / "cats" / f"{k}.png")
    Image.fromarray(images[1]).save(tmp_path / "cats" / "1 copy.jpg", quality=80)
    Image.fromarray(images[4]).save(tmp_path / "dogs" / "a.png")
    Image.fromarray(images[2]).save(tmp_path / "dogs" / "b.png")
    return tmp_path


def bits_apart(folder, a, b):
    """How many bits the perceptual hashes of two files differ by."""
    from imgbalance.duplicates import perceptual_hash

    hashes = perceptual_hash([str(folder / a), str(folder / b)])
    return int(bin(int(hashes[0, 0]) ^ int(hashes[1, 0])).count("1"))


def test_text_lists_the_groups(folder, capsys):
    assert main(["inspect", str(folder), "--duplicates"]) == 0
    out = capsys.readouterr().out.splitlines()
    at = out.index(
        "near-duplicate groups (2; perceptual hash, at most 6 of 64 bits apart):"
    )
    jpeg = bits_apart(folder, "cats/1 copy.jpg", "cats/1.png")
    same = bits_apart(folder, "cats/2.png", "dogs/b.png")
    assert same == 0
    assert out[at + 1 :] == [
        f"  cats/1 copy.jpg, cats/1.png   ({jpeg} bits apart)",
        "  cats/2.png, dogs/b.png   (0 bits apart; across classes: cats, dogs)",
    ]


def test_json_holds_files_and_classes(folder, capsys):
    assert main(["inspect", str(folder), "--duplicates", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["duplicates"] == [
        {
            "files": ["cats/1 copy.jpg", "cats/1.png"],
            "classes": ["cats", "cats"],
            "distance": bits_apart(folder, "cats/1 copy.jpg", "cats/1.png"),
        },
        {"files": ["cats/2.png", "dogs/b.png"], "classes": ["cats", "dogs"], "distance": 0},
    ]
    assert "duplicates" not in inspect_folder(folder)  # only when asked


def test_no_groups_says_so(tmp_path, capsys):
    rng = np.random.default_rng(1)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        image = rng.integers(0, 256, (32, 32), dtype=np.uint8)
        Image.fromarray(image).save(tmp_path / name / "x.png")
    assert main(["inspect", str(tmp_path), "--duplicates"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == (
        "near-duplicate groups (0; perceptual hash, at most 6 of 64 bits apart):"
    )


def test_duplicates_never_import_scikit_learn(folder):
    script = (
        "import sys\n"
        "from imgbalance.cli import main\n"
        f"code = main(['inspect', {str(folder)!r}, '--duplicates', '--json'])\n"
        "heavy = ('sklearn', 'imblearn', 'joblib', 'torch')\n"
        "print('IMPORTED', code, sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = run_python(script)
    assert result.stdout.splitlines()[-1] == "IMPORTED 0 []", result.stderr
