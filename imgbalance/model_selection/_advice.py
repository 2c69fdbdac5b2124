"""How to apply a recommended strategy: the command for a folder, or the
lines of Python for a pipeline."""

__all__ = ["how_to_apply"]

_PYTHON = {
    "none": "make_pipeline(FEATURES, LogisticRegression())",
    "class weights": (
        'LogisticRegression(class_weight="balanced") (in PyTorch: '
        "CrossEntropyLoss(weight=imgbalance.torch.class_weight_tensor(y)))"
    ),
}


def how_to_apply(comparison, strategy, src=None):
    """What applies ``strategy`` (a name of ``comparison``): a list of
    lines, the ``imgbalance balance`` command first where one does it (with
    ``src`` the folder compared), then the Python."""
    features = _steps(comparison.features)
    lines = _lines(comparison, strategy, src)
    return [line.replace("FEATURES", features) for line in lines]


def _steps(features):
    """The features as they are written in a pipeline's steps."""
    steps = getattr(features, "steps", None)
    if steps is None:
        return _one_line(features)
    return ", ".join(_one_line(step) for _, step in steps)


def _one_line(estimator):
    return " ".join(repr(estimator).split())


def _lines(comparison, strategy, src):
    index = comparison.strategies.index(strategy)
    method = comparison.methods[index]
    lines = []
    if method is not None and src is not None:
        lines.append(
            f"imgbalance balance {src} {str(src).rstrip('/')}-balanced --method {method}"
        )
    if strategy in _PYTHON:
        lines.append(_PYTHON[strategy])
    else:
        sampler = comparison.samplers[index]
        weight = comparison.class_weights[index]
        clf = (
            'LogisticRegression(class_weight="balanced")'
            if weight == "balanced"
            else "LogisticRegression()"
        )
        lines.append(
            f"make_pipeline({_one_line(sampler)}, FEATURES, {clf})  # imblearn.pipeline"
        )
    return lines
