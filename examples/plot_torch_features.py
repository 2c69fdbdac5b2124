"""
A network's embedding as features, and SMOTE in it
==================================================

:class:`~imgbalance.features.TorchFeatures` turns a frozen PyTorch module
into a scikit-learn transformer on images: each batch is read on 0..1 by
the package's intensity rule, made channels-first, and passed through the
network; the output of a layer (here the pooled convolutions) is each
image's row of features. It sits in a pipeline like any extractor, and as
the ``embedder`` of :class:`~imgbalance.over_sampling.EmbeddingSMOTE`
(``generation="interpolate"``: a network has no inverse), whose
neighbours are then found in the network's embedding.

The network here is small and left at its random initialisation, so the
example runs anywhere without a download; in practice give a pretrained
one: ``torchvision_model("resnet18", "resnet18.pth")`` builds torchvision's
from a weights file you have, and ``layer="avgpool"`` takes its 512 pooled
features. Needs PyTorch (``pip install torch``).
"""

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split

from imgbalance.datasets import make_shapes
from imgbalance.features import TorchFeatures
from imgbalance.over_sampling import EmbeddingSMOTE
from imgbalance.pipeline import make_pipeline

torch.manual_seed(0)
network = torch.nn.Sequential(
    torch.nn.Conv2d(3, 16, 3, padding=1),
    torch.nn.ReLU(),
    torch.nn.MaxPool2d(2),
    torch.nn.Conv2d(16, 32, 3, padding=1),
    torch.nn.ReLU(),
    torch.nn.AdaptiveAvgPool2d(2),
    torch.nn.Flatten(),  # 32 x 2 x 2 = 128 features
    torch.nn.Linear(128, 10),  # a head we do not use
)

# shapes, one class each, the rarest 10 times rarer than the commonest
X, y = make_shapes(
    100, image_size=32, ratio=10, kind="step", random_state=0, return_X_y=True
)
print(f"images {X.shape} {X.dtype}, class counts {np.bincount(y).tolist()}")
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)

embedder = TorchFeatures(network, layer="6", batch_size=64, device="cpu")
print(f"features per image: {embedder.fit(X_train).n_features_out_}")

# %%
# The embedding with a linear model, without and with SMOTE in it.
for name, sampler in [
    ("no resampling", "passthrough"),
    (
        "EmbeddingSMOTE in the embedding",
        EmbeddingSMOTE(embedder=embedder, generation="interpolate", random_state=0),
    ),
]:
    pipeline = make_pipeline(sampler, embedder, LogisticRegression(max_iter=2000))
    pipeline.fit(X_train, y_train)
    score = balanced_accuracy_score(y_test, pipeline.predict(X_test))
    print(f"{name:32} balanced accuracy {score:.3f}")

# %%
# Where SMOTE's synthetic images fall in the embedding (two principal
# components of it): each on the segment between two images of its class.
sampler = EmbeddingSMOTE(embedder=embedder, generation="interpolate", random_state=0)
X_res, y_res = sampler.fit_resample(X_train, y_train)
features = embedder.transform(X_res)
points = PCA(n_components=2, random_state=0).fit(features[: len(X_train)])
points = points.transform(features)
real = ~sampler.synthetic_
fig, ax = plt.subplots(figsize=(6, 5))
for label in np.unique(y_res):
    mine = y_res == label
    ax.scatter(*points[mine & real].T, s=12, label=f"class {label}")
    ax.scatter(*points[mine & ~real].T, s=12, marker="x", color="gray")
ax.set_title("the network's embedding: images (dots), SMOTE's (crosses)")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
