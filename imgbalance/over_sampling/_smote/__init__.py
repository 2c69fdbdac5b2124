"""SMOTE in an embedding of the images: the estimator, and the planned
synthesis it shares with the folder writer (laid out as imbalanced-learn
lays out its SMOTE family)."""

from ._embedding_smote import EmbeddingSMOTE
from ._synthesis import SmoteSettings, Synthesis, plan_synthesis

__all__ = ["EmbeddingSMOTE", "SmoteSettings", "Synthesis", "plan_synthesis"]
