"""The reports in a real browser: headless Chromium renders them to PNG;
the page must load without a console message and the picture must show
the page. ``make test`` installs Chromium where it can (Debian's package);
CI sets IMGBALANCE_BROWSER_TESTS=1, so a missing browser fails there
instead of skipping."""

import os

import numpy as np
import pytest
import skimage.data
from PIL import Image

from imgbalance.folder import balance_folder
from imgbalance.report import balance_report, inspect_report, screenshot
from imgbalance.report._browser import find_chromium

REQUIRED = os.environ.get("IMGBALANCE_BROWSER_TESTS") == "1"


@pytest.fixture(scope="module")
def chromium():
    found = find_chromium()
    if found is None:
        if REQUIRED:
            pytest.fail("IMGBALANCE_BROWSER_TESTS=1 but no Chromium is installed")
        pytest.skip("no Chromium: `make test` installs Debian's chromium as root")
    return found


def photo_folder(root):
    """Three classes of 48x64 photo tiles (imbalanced), and images of the
    modes thumbnails must get right."""
    photos = {
        "coffee": skimage.data.coffee(),
        "cat": skimage.data.chelsea(),
        "rocket": skimage.data.rocket(),
    }
    for (name, photo), n in zip(photos.items(), (9, 4, 2)):
        os.makedirs(root / name)
        for i in range(n):
            tile = photo[30 * i : 30 * i + 48, 40 * i : 40 * i + 64]
            Image.fromarray(tile).save(root / name / f"{i}.jpg", quality=90)
    ramp = np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (32, 1))
    Image.fromarray(ramp).save(root / "rocket" / "deep.png")
    rgba = np.zeros((32, 48, 4), np.uint8)
    rgba[..., 0], rgba[:, :24, 3] = 220, 255
    Image.fromarray(rgba).save(root / "rocket" / "alpha.png")
    (root / "cat" / "broken.jpg").write_bytes(b"\xff\xd8 not a jpeg")


def looks_like_a_page(png):
    """The screenshot shows a page: mostly white, with text and pictures."""
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)
    assert pixels.shape[0] >= 800 and pixels.shape[1] >= 1000
    white = (pixels > 245).all(axis=-1).mean()
    colours = len(np.unique(pixels.reshape(-1, 3), axis=0))
    saturated = (pixels.max(axis=-1) - pixels.min(axis=-1) > 60).mean()
    return 0.3 < white < 0.98 and colours > 500 and saturated > 0.01


def test_inspect_and_balance_reports_render_cleanly(chromium, tmp_path):
    src = tmp_path / "photos"
    photo_folder(src)
    inspect_page = tmp_path / "inspect.html"
    inspect_report(src, inspect_page, duplicates=True)
    console = screenshot(inspect_page, tmp_path / "inspect.png", browser=chromium)
    assert console == []
    assert looks_like_a_page(tmp_path / "inspect.png")
    summary = balance_folder(src, tmp_path / "balanced", on_error="skip")
    balance_page = tmp_path / "balance.html"
    balance_report(summary, balance_page)
    console = screenshot(balance_page, tmp_path / "balance.png", browser=chromium)
    assert console == []
    assert looks_like_a_page(tmp_path / "balance.png")


def test_the_checks_see_a_broken_page(chromium, tmp_path):
    """The console check and the picture check can fail: a page with a
    script error, and a blank page."""
    broken = tmp_path / "broken.html"
    broken.write_text(
        "<!DOCTYPE html><html><body><p>x</p>"
        "<script>undefined_function();</script></body></html>"
    )
    console = screenshot(broken, tmp_path / "broken.png", browser=chromium)
    assert len(console) == 1 and "undefined_function is not defined" in console[0]
    assert not looks_like_a_page(tmp_path / "broken.png")


def test_a_missing_browser_is_named(tmp_path, monkeypatch):
    page = tmp_path / "p.html"
    page.write_text("<p>x</p>")
    missing = str(tmp_path / "no-such-browser")
    with pytest.raises(FileNotFoundError, match="no-such-browser.*apt install"):
        screenshot(page, tmp_path / "p.png", browser=missing)
    monkeypatch.setattr("imgbalance.report._browser.shutil.which", lambda name: None)
    with pytest.raises(FileNotFoundError, match="no Chromium found .*apt install"):
        screenshot(page, tmp_path / "p.png")
    assert not (tmp_path / "p.png").exists()


def test_the_compare_page_renders_cleanly(chromium, tmp_path):
    from imgbalance.datasets import load_digits_images, make_imbalance
    from imgbalance.model_selection import compare_strategies
    from imgbalance.report import compare_report

    images, target = load_digits_images(return_X_y=True)
    X, y = make_imbalance(images, target, ratio=10, random_state=0)
    result = compare_strategies(
        X, y, strategies=["none", "class weights", "random over-sampling"], cv=3
    )
    held_out = result.held_out(X[::2], y[::2], X[1::2], y[1::2])
    page = compare_report(
        result, tmp_path / "compare.html", title="digits", held_out=held_out
    )
    console = screenshot(page, tmp_path / "compare.png", browser=chromium)
    assert console == []
    assert looks_like_a_page(tmp_path / "compare.png")
