"""Any image -> image callable as a seeded augmentation."""

import contextlib
import copy
import inspect
import random
import sys
import threading

import numpy as np

from ._base import BaseTransform

__all__ = ["FunctionAugmenter"]

# Seeding the process's global generators is safe only one call at a time
# (re-entrant: a function may call another FunctionAugmenter)
_GLOBAL_GENERATORS = threading.RLock()


@contextlib.contextmanager
def _global_generators_seeded(seed):
    """Python's ``random``, NumPy's global RandomState and (when imported)
    torch's CPU generator seeded with ``seed`` inside the block, and put
    back as they were after it."""
    torch = sys.modules.get("torch")
    with _GLOBAL_GENERATORS:
        python_state, numpy_state = random.getstate(), np.random.get_state()
        torch_state = torch.random.get_rng_state() if torch is not None else None
        random.seed(seed)
        np.random.seed(seed)
        if torch is not None:
            torch.random.default_generator.manual_seed(seed)
        try:
            yield
        finally:
            random.setstate(python_state)
            np.random.set_state(numpy_state)
            if torch is not None:
                torch.random.set_rng_state(torch_state)


def _library_of(func):
    module = type(func).__module__ or ""
    return module.partition(".")[0]


def _takes_rng(func):
    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):  # builtins without a signature
        return False
    return "rng" in parameters


class FunctionAugmenter(BaseTransform):
    """Make any image -> image callable a seeded augmentation.

    Use an albumentations pipeline, a torchvision v2 transform, an
    Augmentor operation or a function of your own as the ``augmenter`` of
    :class:`~imgbalance.over_sampling.AugmentingOverSampler`: each variant
    is made under its own seed, drawn from the sampler's plan, so the same
    ``random_state`` gives the same pixels for any ``n_jobs``.

    Parameters
    ----------
    func : callable
        Called on one image, must return an image of the same shape:

        - an albumentations transform (``A.Compose([...])``) is called as
          ``func(image=image)["image"]`` after ``func.set_random_seed``;
        - a torchvision transform gets a ``(c, h, w)`` tensor, as its v2
          transforms expect;
        - any other callable gets the ``(h, w[, c])`` array, and a
          numpy ``Generator`` as ``rng=`` if it has a parameter of that
          name.

        Whatever randomness it takes from Python's ``random``, NumPy's
        global generator or torch's is seeded for each variant too (and put
        back afterwards; calls in threads wait for each other while
        seeded).
    name : str or None, default=None
        The name recorded for it in ``augmentations_`` (None: the class or
        function name).

    Notes
    -----
    The image reaches ``func`` as uint8 or float (other integer dtypes as
    float32 in [0, 1]); ``func`` must return that dtype and shape (a
    grayscale result with one trailing channel is accepted). In the folder
    command's worker processes, as in ``n_jobs`` processes, ``func`` must
    be picklable: a lambda is, through joblib.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import FunctionAugmenter
    >>> def shift(image, rng):
    ...     return np.roll(image, int(rng.integers(-2, 3)), axis=1)
    >>> augmenter = FunctionAugmenter(shift)
    >>> image = np.arange(16, dtype=np.uint8).reshape(4, 4)
    >>> out, records = augmenter.augment(image, 0)
    >>> np.array_equal(out, augmenter.augment(image, 0)[0]), records[0]["transform"]
    (True, 'shift')
    """

    _parameter_constraints: dict = {
        "func": [callable],
        "name": [str, None],
    }

    def __init__(self, func, *, name=None):
        self.func = func
        self.name = name

    def __sklearn_clone__(self):
        # the callable is copied whole, as clone copies any other object: an
        # albumentations transform has a get_params that clone cannot call
        return type(self)(copy.deepcopy(self.func), name=self.name)

    def _augment(self, image, rng, records):
        seed = int(rng.integers(2**32))
        had_torch = "torch" in sys.modules
        out = self._call(image, seed)
        if not had_torch and "torch" in sys.modules:
            # the function imported torch itself: its first draws were not
            # seeded; once more, now that torch's generator is seeded too
            out = self._call(image, seed)
        out = self._check(image, out)
        records.append({"transform": self._name(), "seed": seed})
        return out

    def _call(self, image, seed):
        func, library = self.func, _library_of(self.func)
        with _global_generators_seeded(seed):
            if library == "albumentations":
                func.set_random_seed(seed)
                return func(image=image)["image"]
            if library == "torchvision":
                return self._through_tensor(image)
            if _takes_rng(func):
                return func(image, rng=np.random.default_rng(seed))
            return func(image)

    def _through_tensor(self, image):
        import torch

        planes = image[..., None] if image.ndim == 2 else image
        tensor = torch.from_numpy(np.ascontiguousarray(planes.transpose(2, 0, 1)))
        out = self.func(tensor)
        out = out.detach().cpu().numpy().transpose(1, 2, 0)
        return out[..., 0] if image.ndim == 2 else out

    def _check(self, image, out):
        out = np.asarray(out)
        if out.shape == image.shape + (1,):
            out = out[..., 0]
        if out.shape != image.shape:
            raise ValueError(
                f"FunctionAugmenter: {self._name()} returned an image of shape "
                f"{out.shape} for one of shape {image.shape}; an augmentation "
                "must keep the shape (crop, then resize back: for example "
                "albumentations' RandomResizedCrop(size=(h, w)))."
            )
        if out.dtype != image.dtype:
            raise ValueError(
                f"FunctionAugmenter: {self._name()} returned {out.dtype} pixels "
                f"for {image.dtype} ones; return the dtype it was given."
            )
        return out

    def _name(self):
        if self.name is not None:
            return self.name
        return getattr(self.func, "__name__", type(self.func).__name__)
