"""How to apply a recommended strategy: the command for a folder, or the
lines of Python for a pipeline."""

import shlex

__all__ = ["how_to_apply"]


def how_to_apply(comparison, strategy, src=None):
    """What applies ``strategy`` (a name of ``comparison``): a list of
    lines, the ``imgbalance balance`` command first where one does it (with
    ``src`` the folder compared), then the Python pipeline."""
    chosen = comparison.panel[comparison.strategies.index(strategy)]
    lines = []
    if chosen.method is not None and src is not None:
        source = str(src).rstrip("/") or str(src)
        lines.append(
            f"imgbalance balance {shlex.quote(str(src))} "
            f"{shlex.quote(source + '-balanced')} --method {chosen.method}"
        )
    features = _steps(comparison.scorer.features)
    from sklearn.base import clone

    classifier = clone(comparison.scorer.classifier)  # the comparison's unchanged
    if "class_weight" in classifier.get_params():
        classifier.set_params(class_weight=chosen.class_weight)
    sampler = (
        "" if chosen.sampler == "passthrough" else _one_line(chosen.sampler) + ", "
    )
    lines.append(
        f"make_pipeline({sampler}{features}, {_one_line(classifier)})"
        + ("  # imblearn.pipeline" if sampler else "")
    )
    if chosen.class_weight == "balanced" and not sampler:
        lines.append(
            "in PyTorch: CrossEntropyLoss(weight=imgbalance.torch.class_weight_tensor(y))"
        )
    return lines


def _steps(features):
    """The features as they are written in a pipeline's steps."""
    steps = getattr(features, "steps", None)
    if steps is None:
        return _one_line(features)
    return ", ".join(_one_line(step) for _, step in steps)


def _one_line(estimator):
    return " ".join(repr(estimator).split())
