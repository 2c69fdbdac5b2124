"""Class weights and a balanced sampler for a small PyTorch model.

Digits made imbalanced (step protocol, ratio 20), a one-hidden-layer network
trained three ways on the same split: plain cross-entropy, cross-entropy
weighted by class (``class_weight_tensor``), and plain cross-entropy on
batches drawn by ``ClassBalancedSampler``. Prints the held-out balanced
accuracy of each. Needs PyTorch (``pip install torch``).
"""

import numpy as np
import torch
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split

from imgbalance.datasets import load_digits_images, make_imbalance
from imgbalance.torch import ClassBalancedSampler, class_weight_tensor


def train(X, y, *, weight=None, sampler=None, epochs=20, seed=0):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10)
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_function = torch.nn.CrossEntropyLoss(weight=weight)
    dataset = torch.utils.data.TensorDataset(X, y)
    loader = torch.utils.data.DataLoader(
        dataset,
        batch_size=32,
        sampler=sampler,
        shuffle=sampler is None,
        generator=torch.Generator().manual_seed(seed),
    )
    for _ in range(epochs):
        for batch, target in loader:
            optimizer.zero_grad()
            loss_function(model(batch), target).backward()
            optimizer.step()
    return model


def main():
    images, target = load_digits_images(return_X_y=True)
    X, y = make_imbalance(images, target, ratio=20, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=0
    )
    X_train, X_test = (
        torch.tensor(a.reshape(len(a), -1) / 255, dtype=torch.float32)
        for a in (X_train, X_test)
    )
    y_train_t = torch.tensor(y_train)
    print(f"training counts per class: {np.bincount(y_train).tolist()}")
    runs = {
        "plain cross-entropy": {},
        "class-weighted loss": {"weight": class_weight_tensor(y_train)},
        "ClassBalancedSampler": {
            "sampler": ClassBalancedSampler(
                y_train, generator=torch.Generator().manual_seed(0)
            )
        },
    }
    for name, options in runs.items():
        model = train(X_train, y_train_t, **options)
        with torch.no_grad():
            predicted = model(X_test).argmax(dim=1).numpy()
        score = balanced_accuracy_score(y_test, predicted)
        print(f"{name:<22} held-out balanced accuracy {score:.3f}")


if __name__ == "__main__":
    main()
