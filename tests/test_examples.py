"""Every script in examples/ runs offline."""

import pathlib
import runpy


def test_examples_run(capsys):
    examples = pathlib.Path(__file__).parents[1] / "examples"
    scripts = sorted(examples.glob("*.py"))
    assert scripts
    for script in scripts:
        runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out
    assert "after over-sampling: (1740, 8, 8) uint8" in out
