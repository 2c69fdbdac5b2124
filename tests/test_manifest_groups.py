"""manifest_groups: a balanced folder's files grouped by source, so that a
cross-validation split never separates an image from what was made of it."""

import csv
import json
import os
import re

import numpy as np
import pytest
from PIL import Image
from sklearn.model_selection import GroupKFold

from imgbalance.folder import balance_folder, manifest_groups


@pytest.fixture
def src(tmp_path):
    rng = np.random.default_rng(0)
    for name, n in (("common", 9), ("rare", 3)):
        (tmp_path / "src" / name).mkdir(parents=True)
        for k in range(n):
            image = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
            Image.fromarray(image).save(tmp_path / "src" / name / f"{k}.png")
    return tmp_path / "src"


def stem_of(path):
    """The source an output is named after: rare/1_aug0.png -> rare/1."""
    name = path.replace(os.sep, "/")
    return re.sub(r"_(aug|dup|smote)\d+(\.png)$", "", name).removesuffix(".png")


@pytest.mark.parametrize("method", ["augment", "random"])
def test_copies_share_their_source_group(src, tmp_path, method):
    dst = tmp_path / method
    balance_folder(src, dst, method=method, seed=0)
    paths, y, groups = manifest_groups(dst)
    relative = [os.path.relpath(p, dst) for p in paths]
    assert len(relative) == 18 and all(os.path.isfile(p) for p in paths)
    assert sorted(np.unique(y)) == ["common", "rare"]
    stems = [stem_of(r) for r in relative]
    for a in range(len(stems)):
        for b in range(len(stems)):
            assert (groups[a] == groups[b]) == (stems[a] == stems[b])
    assert groups.tolist()[:12] == list(range(12))  # numbered as they come
    for train, test in GroupKFold(n_splits=3).split(paths, y, groups):
        assert not {stems[i] for i in train} & {stems[i] for i in test}


def test_smote_images_join_source_and_neighbour(src, tmp_path):
    dst = tmp_path / "smote"
    balance_folder(src, dst, method="smote", seed=0)
    paths, _, groups = manifest_groups(dst)
    relative = [os.path.relpath(p, dst).replace(os.sep, "/") for p in paths]
    made = [r for r in relative if "_smote" in r]
    assert made
    group_of = dict(zip(relative, groups))
    with open(dst / "manifest.csv", newline="", encoding="utf-8") as file:
        rows = [row for row in csv.DictReader(file) if row["method"] == "smote"]
    assert [row["output"] for row in rows] == made
    for row in rows:
        neighbor = json.loads(row["parameters"])["neighbor"]
        source = stem_of(row["output"]) + ".png"
        assert group_of[row["output"]] == group_of[source] == group_of[neighbor]
    common = [group_of[r] for r in relative if r.startswith("common/")]
    assert len(set(common)) == 9  # the class not grown: one group per image


def test_a_folder_without_manifest_or_still_being_written(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        manifest_groups(tmp_path)
    assert str(info.value) == (
        f"{str(tmp_path / 'manifest.csv')!r} does not exist: give a folder "
        "written by imgbalance balance (its manifest names each file's source)."
    )
    (tmp_path / ".imgbalance-journal.tsv").write_text("")
    with pytest.raises(ValueError, match="is still being written"):
        manifest_groups(tmp_path)
