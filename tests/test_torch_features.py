"""TorchFeatures: a frozen torch module as a transformer on image
collections, equal to calling the module by hand; torchvision's resnet18
(where torchvision imports); the embedding samplers on its features."""

import pickle

import numpy as np
import pytest
from PIL import Image

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed (make test installs the CPU build)"
)
nn = torch.nn

from imblearn.under_sampling import NearMiss  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.neighbors import NearestNeighbors  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from imgbalance.features import TorchFeatures, torchvision_model  # noqa: E402
from imgbalance.over_sampling import EmbeddingSMOTE  # noqa: E402
from imgbalance.pipeline import make_pipeline  # noqa: E402
from imgbalance.under_sampling import EmbeddingUnderSampler  # noqa: E402
from imgbalance.utils import ImageModeWarning  # noqa: E402


class SmallCNN(nn.Module):
    """Two convolutions, pooled: 16 features per image."""

    def __init__(self, in_channels=3):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 8, 3, padding=1),
            nn.BatchNorm2d(8),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1),
            nn.ReLU(),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(16, 4)

    def forward(self, x):
        pooled = self.pool(self.features(x)).flatten(1)
        return self.head(pooled)


def _net(in_channels=3, seed=0):
    torch.manual_seed(seed)
    net = SmallCNN(in_channels)
    # a BatchNorm with statistics of its own: eval mode must be used
    net.features[1].running_mean.uniform_(-0.5, 0.5)
    net.features[1].running_var.uniform_(0.5, 2.0)
    return net


def _by_hand(net, images, scale=255.0):
    """The module called by hand: channels first, 0..1, eval mode."""
    x = torch.from_numpy(np.asarray(images, dtype=np.float64) / scale).float()
    x = x.unsqueeze(1) if x.ndim == 3 else x.permute(0, 3, 1, 2)
    net = net.eval()
    with torch.no_grad():
        return net(x).numpy()


RNG = np.random.default_rng(0)
RGB = RNG.integers(0, 256, (23, 16, 16, 3), dtype=np.uint8)


def test_outputs_equal_the_module_called_by_hand():
    net = _net()
    features = TorchFeatures(net, device="cpu").fit_transform(RGB)
    assert features.shape == (23, 4) and features.dtype == np.float32
    np.testing.assert_allclose(features, _by_hand(net, RGB), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "images, scale",
    [
        (RNG.integers(0, 65536, (7, 12, 12), dtype=np.uint16), 65535.0),
        (RNG.random((7, 12, 12)), 1.0),
        (RNG.random((7, 12, 12)).astype(np.float32), 1.0),
        (RNG.integers(0, 256, (7, 12, 12)), 255.0),  # int64: an 8-bit image
        (RNG.random((7, 12, 12)) > 0.5, 1.0),
    ],
    ids=["uint16", "float64", "float32", "int64", "bool"],
)
def test_gray_images_of_every_dtype_are_read_by_the_intensity_rule(images, scale):
    net = _net(in_channels=1)
    features = TorchFeatures(net, device="cpu").fit_transform(images)
    np.testing.assert_allclose(
        features, _by_hand(net, images.astype(np.float64), scale), rtol=1e-5, atol=1e-6
    )


def test_the_features_do_not_depend_on_the_batch_size_or_device():
    net = _net()
    reference = TorchFeatures(net, batch_size=64, device="cpu").fit_transform(RGB)
    for batch_size in (1, 5, 22, 23):
        for device in ("cpu", torch.device("cpu"), "auto"):
            features = TorchFeatures(
                net, batch_size=batch_size, device=device
            ).fit_transform(RGB)
            np.testing.assert_allclose(features, reference, rtol=1e-5, atol=1e-6)
    if torch.cuda.is_available():  # pragma: no cover - no GPU here
        on_gpu = TorchFeatures(net, device="cuda").fit_transform(RGB)
        np.testing.assert_allclose(on_gpu, reference, rtol=1e-3, atol=1e-4)


def test_fit_then_transform_equals_fit_transform_and_the_module_is_untouched():
    net = _net().train()
    before = {k: v.clone() for k, v in net.state_dict().items()}
    extractor = TorchFeatures(net, batch_size=4, device="cpu").fit(RGB)
    assert extractor.n_features_out_ == 4
    np.testing.assert_array_equal(
        extractor.transform(RGB), clone(extractor).fit_transform(RGB)
    )
    # the module given is not put in eval mode, frozen, nor changed
    assert net.training and all(p.requires_grad for p in net.parameters())
    after = net.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert not extractor.module_.training
    assert not any(p.requires_grad for p in extractor.module_.parameters())


def test_a_layer_gives_its_output_and_the_rest_is_not_run():
    net = _net()
    extractor = TorchFeatures(net, layer="features.4", device="cpu")
    features = extractor.fit_transform(RGB)
    x = torch.from_numpy(RGB).permute(0, 3, 1, 2).float() / 255
    with torch.no_grad():
        expected = net.eval().features[:5](x).flatten(1).numpy()
    assert features.shape == (23, 16 * 8 * 8)
    np.testing.assert_allclose(features, expected, rtol=1e-5, atol=1e-6)

    class Broken(nn.Module):
        def forward(self, x):
            raise AssertionError("run after the layer")

    net.head = Broken()  # never reached
    pooled = TorchFeatures(net, layer="pool", device="cpu").fit_transform(RGB)
    assert pooled.shape == (23, 16)
    assert not extractor.module_.features[4]._forward_hooks  # removed


def test_preprocess_is_applied_to_each_batch():
    net = _net()
    mean = torch.tensor([0.5, 0.4, 0.3]).view(1, 3, 1, 1)
    features = TorchFeatures(
        net, batch_size=5, device="cpu", preprocess=lambda x: (x - mean) / 0.25
    ).fit_transform(RGB)
    x = (torch.from_numpy(RGB).permute(0, 3, 1, 2).float() / 255 - mean) / 0.25
    with torch.no_grad():
        expected = net.eval()(x).numpy()
    np.testing.assert_allclose(features, expected, rtol=1e-5, atol=1e-5)


def test_paths_tables_and_lists_give_the_array_features(tmp_path):
    net = _net()
    reference = TorchFeatures(net, device="cpu").fit_transform(RGB)
    paths = []
    for i, image in enumerate(RGB):
        path = tmp_path / f"{i}.png"
        Image.fromarray(image).save(path)
        paths.append(str(path))
    for X, kwargs in [
        (paths, {}),
        (list(RGB), {}),
        ([Image.fromarray(image) for image in RGB], {}),
        (RGB.reshape(23, -1), {"image_shape": (16, 16, 3)}),
    ]:
        features = TorchFeatures(net, batch_size=4, device="cpu", **kwargs)
        np.testing.assert_allclose(
            features.fit_transform(X), reference, rtol=1e-5, atol=1e-6
        )


def test_a_sequence_of_modes_is_made_rgb_whatever_the_batch_size(tmp_path):
    net = _net()
    gray = tmp_path / "gray.png"
    Image.fromarray(RGB[0, :, :, 0]).save(gray)
    rgba = np.dstack([RGB[1], np.full((16, 16), 7, np.uint8)])
    items = [str(gray), rgba, RGB[2]]
    expected = _by_hand(
        net, np.stack([np.repeat(RGB[0, :, :, :1], 3, axis=2), RGB[1], RGB[2]])
    )
    for batch_size in (1, 2, 3):
        with pytest.warns(ImageModeWarning, match=r"converted to one \(RGB\)"):
            features = TorchFeatures(
                net, batch_size=batch_size, device="cpu"
            ).fit_transform(items)
        np.testing.assert_allclose(features, expected, rtol=1e-5, atol=1e-6)


def test_images_of_several_sizes_need_size():
    net = _net()
    items = [RGB[0], RGB[1][:12], RGB[2]]
    with pytest.raises(ValueError, match=r"X\[1\] is 12x16 pixels .* Give size="):
        TorchFeatures(net, batch_size=2, device="cpu").fit_transform(items)
    features = TorchFeatures(net, size=(16, 16), device="cpu").fit_transform(items)
    assert features.shape == (3, 4)
    np.testing.assert_allclose(
        features[[0, 2]], _by_hand(net, RGB[[0, 2]]), rtol=1e-5, atol=1e-6
    )


def test_pickled_it_gives_the_same_features():
    extractor = TorchFeatures(_net(), batch_size=8, device="auto").fit(RGB)
    loaded = pickle.loads(pickle.dumps(extractor))
    np.testing.assert_array_equal(loaded.transform(RGB), extractor.transform(RGB))
    assert loaded.device_ == extractor.device_


def test_feature_names_and_pandas_output():
    extractor = TorchFeatures(_net(), device="cpu").fit(RGB)
    names = extractor.get_feature_names_out()
    assert names.tolist() == ["torchfeatures0", "torchfeatures1"] + [
        "torchfeatures2",
        "torchfeatures3",
    ]
    frame = extractor.set_output(transform="pandas").transform(RGB)
    assert frame.columns.tolist() == names.tolist() and frame.shape == (23, 4)


@pytest.mark.parametrize(
    "kwargs, X, error, message",
    [
        ({"layer": "nope"}, RGB, ValueError, r"layer='nope' is not a submodule of"),
        ({"device": "gpu9"}, RGB, ValueError, r"device must be 'auto', a device"),
        ({"batch_size": 0}, RGB, ValueError, r"'batch_size' parameter"),
        ({"layer": "features"}, RGB[:, :, :, :2], RuntimeError, r"channels"),
    ],
)
def test_bad_arguments_are_named(kwargs, X, error, message):
    with pytest.raises(error, match=message):
        TorchFeatures(_net(), device=kwargs.pop("device", "cpu"), **kwargs).fit(X)


def test_transform_refuses_images_of_another_shape():
    extractor = TorchFeatures(_net(), device="cpu").fit(RGB)
    with pytest.raises(ValueError, match="X has 192 features per image, but"):
        extractor.transform(RGB[:, :8, :8])


def test_in_a_pipeline_and_a_grid_search():
    y = np.array([0] * 15 + [1] * 8)
    pipeline = make_pipeline(
        TorchFeatures(_net(), device="cpu", layer="pool"), LogisticRegression()
    )
    search = GridSearchCV(pipeline, {"logisticregression__C": [0.1, 1.0]}, cv=2)
    search.fit(RGB, y)
    assert search.predict(RGB).shape == (23,)


def _embedding(net, images, layer="pool"):
    x = torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255
    with torch.no_grad():
        return net.eval().pool(net.features(x)).flatten(1).numpy()


def test_embedding_smote_finds_its_pairs_in_the_network_embedding():
    net = _net()
    y = np.array([0] * 15 + [1] * 8)
    sampler = EmbeddingSMOTE(
        embedder=TorchFeatures(net, layer="pool", device="cpu"),
        generation="interpolate",
        k_neighbors=3,
        random_state=0,
    )
    X_res, y_res = sampler.fit_resample(RGB, y)
    assert X_res.shape == (30, 16, 16, 3) and np.bincount(y_res).tolist() == [15, 15]
    assert isinstance(sampler.embedder_, TorchFeatures)
    # each neighbour is among the 3 nearest of its source, in the embedding
    minority = np.flatnonzero(y == 1)
    embedding = _embedding(net, RGB[minority])
    nearest = NearestNeighbors(n_neighbors=4).fit(embedding)
    near = minority[nearest.kneighbors(embedding, return_distance=False)[:, 1:]]
    position = {m: i for i, m in enumerate(minority)}
    for source, neighbour in zip(
        sampler.sample_indices_[23:], sampler.neighbor_indices_
    ):
        assert neighbour in near[position[source]]
    # and each synthetic image lies between the pair's pixels
    s, t, g = sampler.sample_indices_[23:], sampler.neighbor_indices_, sampler.gaps_
    blend = RGB[s] + g[:, None, None, None] * (RGB[t].astype(float) - RGB[s])
    assert np.abs(X_res[23:] - blend).max() <= 0.5 + 1e-9


def test_embedding_under_sampler_keeps_what_nearmiss_keeps_on_the_embedding():
    net = _net()
    y = np.array([0] * 15 + [1] * 8)
    sampler = EmbeddingUnderSampler(
        NearMiss(), embedder=TorchFeatures(net, layer="pool", device="cpu")
    )
    X_res, _ = sampler.fit_resample(RGB, y)
    reference = NearMiss().fit(_embedding(net, RGB), y)
    reference.fit_resample(_embedding(net, RGB), y)
    np.testing.assert_array_equal(sampler.sample_indices_, reference.sample_indices_)
    np.testing.assert_array_equal(X_res, RGB[reference.sample_indices_])


# -- torchvision: where it imports beside the installed torch ----------------


def _torchvision():
    """torchvision, or the reason it cannot be used here (not installed, or
    a build for another torch: its import then fails with a RuntimeError)."""
    try:
        import torchvision
    except Exception as error:  # noqa: BLE001 - any failure says "not usable"
        return None, f"{type(error).__name__}: {error}"
    return torchvision, None


TORCHVISION, TORCHVISION_ERROR = _torchvision()
needs_torchvision = pytest.mark.skipif(
    TORCHVISION is None,
    reason=f"torchvision does not import beside torch {torch.__version__}: "
    f"{TORCHVISION_ERROR}",
)


@needs_torchvision
def test_resnet18_without_weights_equals_the_model_by_hand(tmp_path):
    torch.manual_seed(0)
    model = TORCHVISION.models.resnet18(weights=None)
    path = tmp_path / "resnet18.pth"
    torch.save(model.state_dict(), path)
    loaded = torchvision_model("resnet18", path)  # from the file, no download
    images = RNG.integers(0, 256, (6, 64, 64, 3), dtype=np.uint8)
    features = TorchFeatures(loaded, layer="avgpool", batch_size=4, device="cpu")
    out = features.fit_transform(images)
    x = torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255
    with torch.no_grad():
        trunk = nn.Sequential(*list(model.eval().children())[:-1])
        expected = trunk(x).flatten(1).numpy()
    assert out.shape == (6, 512)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    again = TorchFeatures(loaded, layer="avgpool", batch_size=1, device="cpu")
    np.testing.assert_allclose(again.fit_transform(images), out, rtol=1e-4, atol=1e-5)
    restored = pickle.loads(pickle.dumps(features))
    np.testing.assert_array_equal(
        restored.transform(images), features.transform(images)
    )


@pytest.mark.skipif(TORCHVISION is not None, reason="torchvision imports here")
def test_torchvision_model_says_why_torchvision_cannot_be_used():
    with pytest.raises(ImportError, match=r"torchvision_model needs torchvision, the"):
        torchvision_model("resnet18")


# -- scikit-learn's common checks --------------------------------------------


def _row_net():
    """For the checks' 2-D data: each row an image one pixel high."""
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 2, 1), nn.Tanh(), nn.Flatten())


EXPECTED_FAILED_CHECKS = {
    "check_estimators_overwrite_params": (
        "joblib.hash of a torch module and of its deep copy differ (with no "
        "fit in between), so the check sees a change where there is none; "
        "test_fit_then_transform_equals_fit_transform_and_the_module_is_"
        "untouched compares the module's state, mode and gradients instead"
    ),
}


@parametrize_with_checks(
    [TorchFeatures(_row_net(), device="cpu")],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_common_checks(estimator, check):
    check(estimator)
