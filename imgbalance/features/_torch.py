"""A frozen PyTorch module as a feature extractor, and torchvision models
built from a weights file."""

import copy
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from scipy.sparse import issparse
from sklearn.utils.validation import assert_all_finite, check_is_fitted, validate_data

from .._contract._collection import (
    check_image_collection,
    check_size,
    forget_input_features,
)
from .._contract._intensity import full_scale, unit_float
from ..utils._constraints import HasMethods, Interval
from ..utils._docstrings import fill_docs
from ._batches import image_batches

__all__ = ["TorchFeatures", "torchvision_model"]


def _import_torch(owner):
    try:
        import torch
    except ImportError:
        raise ImportError(
            f"{owner} needs PyTorch: pip install torch (see https://pytorch.org "
            "for the build that suits your machine)."
        ) from None
    return torch


def _device(torch, device):
    """``device`` as a torch.device: "auto" is CUDA, else Apple's MPS, else
    the CPU."""
    if isinstance(device, str) and device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        return torch.device(device)
    except (TypeError, RuntimeError):
        raise ValueError(
            f"device must be 'auto', a device name such as 'cpu' or 'cuda:0', or "
            f"a torch.device; got {device!r}."
        ) from None


class _Reached(Exception):
    """Raised by the hook on ``layer``: the rest of the network is skipped."""


def _input_dtype(torch, module):
    """The dtype of the module's parameters (float32 without any)."""
    for parameter in module.parameters():
        if parameter.is_floating_point():
            return parameter.dtype
    return torch.float32


def _as_tensor(torch, batch, device, dtype):
    """A batch ``(b, h, w[, c])`` as a channels-first tensor on ``device``,
    its values read on 0..1 by the intensity rule."""
    if not batch.flags.writeable:  # torch wants arrays it may write to
        batch = batch.copy()
    if batch.dtype in (np.uint8, np.bool_):  # converted on the device
        tensor = torch.from_numpy(np.ascontiguousarray(batch)).to(device)
        tensor = tensor.to(dtype)
        if batch.dtype == np.uint8:
            tensor = tensor / full_scale(batch.dtype)
    else:
        values = np.ascontiguousarray(unit_float(batch))
        tensor = torch.from_numpy(values).to(device=device, dtype=dtype)
    if tensor.ndim == 3:
        return tensor.unsqueeze(1)
    # a view: channels-last in memory, which the CPU convolutions run fastest
    return tensor.permute(0, 3, 1, 2)


@fill_docs
class TorchFeatures(TransformerMixin, BaseEstimator):
    """A frozen PyTorch module as a scikit-learn transformer on images.

    Every image collection of the input contract goes in; each image is
    read on 0..1 by the package's intensity rule (uint8 divided by 255,
    uint16 by 65535, floats as they are), made channels-first ``(c, h,
    w)`` (a gray image has one channel), and the batch is given to the
    module (after ``preprocess``, if any), under ``torch.inference_mode``
    with the module in eval mode. The output of the module, or of its
    submodule ``layer``, flattened, is each image's row of features.

    The images are read a batch at a time (a sequence of paths decoded
    batch by batch), so memory is bounded by the batch, not by the number
    of images. Nothing is downloaded: give a module you built, or a
    torchvision model built from a weights file you have with
    :func:`torchvision_model`.

    As an ``embedder`` of :class:`~imgbalance.over_sampling.EmbeddingSMOTE`
    (with ``generation="interpolate"``: a network has no inverse),
    :class:`~imgbalance.under_sampling.EmbeddingUnderSampler` and
    :class:`~imgbalance.torch.ResamplingSampler`'s ``features``, it runs
    the neighbour searches in the network's embedding.

    Parameters
    ----------
    module : torch.nn.Module
        The network. It is copied when fitted (``module_``), so the module
        given is never changed (nor moved to ``device``).

    layer : str or None, default=None
        The name of the submodule whose output is taken (a name of
        ``module.named_modules()``, such as ``"avgpool"`` for a torchvision
        ResNet's 512 pooled features, or ``"features.3"``); the layers
        after it are not run. None: the module's output.

    batch_size : int, default=64
        Images per forward pass. The features do not depend on it (within
        the rounding of the backend's kernels).

    device : str or torch.device, default="auto"
        Where the module runs: ``"auto"`` picks CUDA, else Apple's MPS,
        else the CPU, when fitted (``device_``) and again after unpickling.

    preprocess : callable or None, default=None
        Applied to each batch, a float tensor ``(b, c, h, w)`` on 0..1 on
        the device, before the module: the normalisation the weights were
        trained with, such as ``torchvision.transforms.v2.Normalize(mean,
        std)``, or a function of the tensor. (Not named ``transform``: a
        scikit-learn parameter is an attribute, and that name is the
        transformer's method.)

    <size>

    <image_shape>
        Without it, each row is an image one pixel high.

    Attributes
    ----------
    module_ : torch.nn.Module
        The frozen copy of ``module`` that is run: eval mode, no gradients.

    device_ : torch.device
        The device it runs on.

    n_features_out_ : int
        Features per image.

    <input_attributes>

    See Also
    --------
    torchvision_model : A torchvision model from a weights file you have.
    imgbalance.over_sampling.EmbeddingSMOTE : SMOTE in an embedding.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from imgbalance.features import TorchFeatures
    >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
    <torch._C.Generator object at ...>
    >>> net = torch.nn.Sequential(
    ...     torch.nn.Conv2d(3, 8, 3), torch.nn.ReLU(),
    ...     torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())
    >>> X = np.random.default_rng(0).integers(0, 256, (10, 16, 16, 3), dtype=np.uint8)
    >>> features = TorchFeatures(net, batch_size=4, device="cpu").fit_transform(X)
    >>> features.shape, features.dtype
    ((10, 8), dtype('float32'))
    >>> by_hand = net(torch.from_numpy(X).permute(0, 3, 1, 2).float() / 255)
    >>> bool(np.allclose(features, by_hand.detach().numpy(), atol=1e-6))
    True

    The output of an inner layer:

    >>> TorchFeatures(net, layer="0", device="cpu").fit_transform(X).shape
    (10, 1568)
    """

    _parameter_constraints: dict = {
        "module": [HasMethods(["forward", "named_modules"])],
        "layer": [str, None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "device": "no_validation",  # a str or a torch.device, checked in fit
        "preprocess": [callable, None],
        "size": [tuple, list, None],
        "image_shape": [tuple, list, None],
    }

    def __init__(
        self,
        module,
        *,
        layer=None,
        batch_size=64,
        device="auto",
        preprocess=None,
        size=None,
        image_shape=None,
    ):
        self.module = module
        self.layer = layer
        self.batch_size = batch_size
        self.device = device
        self.preprocess = preprocess
        self.size = size
        self.image_shape = image_shape

    @fill_docs
    def fit(self, X, y=None):
        """Freeze a copy of the module and find the number of features.

        The first image goes through the network once.

        Parameters
        ----------
        <fit_images>

        <y_ignored>

        Returns
        -------
        self : object
        """
        self._fit(X, reset_to=1)
        return self

    @fill_docs
    def fit_transform(self, X, y=None):
        """Fit, and return the features of every image (one pass).

        Parameters
        ----------
        <fit_images>

        <y_ignored>

        Returns
        -------
        features : ndarray of shape (n_samples, `n_features_out_`), float32
        """
        return self._fit(X, reset_to=None)

    def transform(self, X):
        """Return the features of every image.

        Parameters
        ----------
        X : image collection
            See :meth:`fit`; images of the fitted size where the network
            needs one.

        Returns
        -------
        features : ndarray of shape (n_samples, `n_features_out_`), float32
        """
        check_is_fitted(self, "module_")
        return self._features(self._collection(X, reset=False))

    def _fit(self, X, reset_to):
        """Fit on ``X``; the features of its first ``reset_to`` images
        (all with None)."""
        self._validate_params()
        torch = _import_torch(type(self).__name__)
        self.device_ = _device(torch, self.device)
        module = copy.deepcopy(self.module)
        module.eval()
        module.requires_grad_(False)
        self.module_ = module.to(self.device_)
        if self.layer is not None:
            self._layer_module()  # a wrong name refused now
        collection = self._collection(X, reset=True)
        if reset_to is not None:
            collection.data = collection.data[:reset_to]
        self.n_features_out_ = None
        features = self._features(collection)
        self.n_features_out_ = features.shape[1]
        return features

    def _collection(self, X, reset):
        """The checked collection; ``n_features_in_`` for arrays."""
        collection = check_image_collection(X, image_shape=self.image_shape)
        check_size(self.size)
        if issparse(collection.data):
            raise TypeError(
                "TorchFeatures needs dense pixel values; got a sparse matrix. "
                "Convert it with X.toarray()."
            )
        if reset:
            forget_input_features(self)
        if collection.kind == "table":
            collection.data = validate_data(
                self, collection.data, reset=reset, dtype="numeric"
            )
        elif collection.kind == "images":
            if collection.data.dtype.kind == "f":
                assert_all_finite(collection.data, input_name="X")
            n_values = int(np.prod(collection.image_shape))
            if reset:
                self.n_features_in_ = n_values
            elif getattr(self, "n_features_in_", n_values) != n_values:
                raise ValueError(
                    f"X has {n_values} features per image, but TorchFeatures is "
                    f"expecting {self.n_features_in_} features as input (images "
                    "of the shape seen in fit)."
                )
        return collection

    def _layer_module(self):
        modules = dict(self.module_.named_modules())
        if self.layer not in modules:
            names = [name for name in modules if name][:12]
            raise ValueError(
                f"layer={self.layer!r} is not a submodule of "
                f"{type(self.module).__name__}; its names include {names} (see "
                "module.named_modules())."
            )
        return modules[self.layer]

    def _features(self, collection):
        """Every image's features, a batch at a time."""
        torch = _import_torch(type(self).__name__)
        device = _device(torch, self.device)  # "auto" again after unpickling
        module = self.module_.to(device)
        dtype = _input_dtype(torch, module)
        reached = []

        def keep(_, __, output):
            reached.append(output)
            raise _Reached

        hook = None
        if self.layer is not None:
            hook = self._layer_module().register_forward_hook(keep)
        out = None
        try:
            with torch.inference_mode():
                batches = image_batches(collection, self.batch_size, size=self.size)
                for start, batch in batches:
                    rows = self._forward(torch, module, batch, device, dtype, reached)
                    if out is None:
                        out = self._output(len(collection), rows.shape[1])
                    out[start : start + len(rows)] = rows
        finally:
            if hook is not None:
                hook.remove()
        return out

    def _forward(self, torch, module, batch, device, dtype, reached):
        """One batch's features, as a float32 array ``(b, n_features)``."""
        tensor = _as_tensor(torch, batch, device, dtype)
        if self.preprocess is not None:
            tensor = self.preprocess(tensor)
        reached.clear()
        try:
            output = module(tensor)
        except _Reached:
            output = reached[0]
        if isinstance(output, (tuple, list)):
            output = output[0]
        if not isinstance(output, torch.Tensor):
            raise TypeError(
                f"{'layer ' + repr(self.layer) if self.layer else 'the module'} "
                f"gave a {type(output).__name__}, not a tensor; choose a layer "
                "whose output is a tensor."
            )
        return output.reshape(len(batch), -1).to(torch.float32).cpu().numpy()

    def _output(self, n_images, n_features):
        if self.n_features_out_ is not None and n_features != self.n_features_out_:
            raise ValueError(
                f"X gives {n_features} features per image, but TorchFeatures was "
                f"fitted on images giving {self.n_features_out_}; pass images of "
                "the fitted size, or set size=(h, w)."
            )
        return np.empty((n_images, n_features), dtype=np.float32)

    def get_feature_names_out(self, input_features=None):
        """Names of the output features: ``torchfeatures0``, ...

        Parameters
        ----------
        input_features : None
            Ignored: the names describe the features, not the pixels.

        Returns
        -------
        names : ndarray of str objects
        """
        check_is_fitted(self, "n_features_out_")
        return np.asarray(
            [f"torchfeatures{i}" for i in range(self.n_features_out_)], dtype=object
        )

    def __getstate__(self):
        state = super().__getstate__()
        module = state.get("module_")
        if module is not None and self.device_.type != "cpu":
            # loadable where the device is not: moved back when used
            state["module_"] = copy.deepcopy(module).cpu()
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags


def torchvision_model(name, weights=None, **kwargs):
    """A torchvision model by name, its weights read from a file you have.

    Nothing is downloaded: the architecture is built without weights
    (``torchvision.models.get_model(name, weights=None, **kwargs)``) and
    the state dict is loaded from ``weights`` (``torch.load(...,
    weights_only=True)``, on the CPU). For
    :class:`TorchFeatures`; pass the normalisation the weights were trained
    with as its ``preprocess``.

    Parameters
    ----------
    name : str
        A name of ``torchvision.models.list_models()``, such as
        ``"resnet18"``.
    weights : str, os.PathLike, dict or None, default=None
        A file saved with ``torch.save(model.state_dict(), path)`` (for
        example torchvision's own ``resnet18-f37072fd.pth``, fetched once
        by you), or such a state dict; None keeps the random
        initialisation (the architecture alone).
    **kwargs
        Passed to the builder, such as ``num_classes=10`` for weights of a
        fine-tuned head.

    Returns
    -------
    model : torch.nn.Module
        In eval mode.

    Examples
    --------
    >>> import torch
    >>> from imgbalance.features import torchvision_model
    >>> model = torchvision_model("resnet18")  # doctest: +SKIP
    >>> torch.save(model.state_dict(), "resnet18.pth")  # doctest: +SKIP
    >>> torchvision_model("resnet18", "resnet18.pth").fc.out_features  # doctest: +SKIP
    1000
    """
    torch = _import_torch("torchvision_model")
    try:
        import torchvision
    except Exception as error:  # a build for another torch fails at import
        raise ImportError(
            "torchvision_model needs torchvision, the build that matches "
            f"torch {torch.__version__} (pip install torchvision); importing "
            f"it failed: {error}"
        ) from None
    model = torchvision.models.get_model(name, weights=None, **kwargs)
    if weights is not None:
        state = weights
        if not isinstance(weights, dict):
            state = torch.load(weights, map_location="cpu", weights_only=True)
        model.load_state_dict(state)
    return model.eval()
