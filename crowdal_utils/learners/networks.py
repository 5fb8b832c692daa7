"""The networks every learner trains: the CNN for the digits, an MLP for feature vectors.

:func:`backbone_for` picks one by the shape of a sample; :func:`pick_device` chooses
CUDA when torch sees a GPU and the CPU otherwise.
"""

import torch
import torch.nn.functional as F
from torch import nn


def pick_device():
    """``"cuda"`` when a CUDA GPU is visible to torch, else ``"cpu"``."""
    return "cuda" if torch.cuda.is_available() else "cpu"


def check_device(device):
    """``device`` as a string torch accepts and can use here (``None`` picks one); else ``ValueError``/``TypeError``."""
    if device is None:
        return pick_device()
    if not isinstance(device, str):
        raise TypeError(f"`device` must be a string such as 'cpu' or 'cuda', or None, got {type(device).__name__}.")
    try:
        parsed = torch.device(device)
    except RuntimeError as err:
        raise ValueError(f"`device` {device!r} is not a torch device ({err}); use 'cpu', 'cuda' or None.") from None
    if parsed.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"`device` {device!r} asks for a GPU, but torch sees none here; use 'cpu' or None.")
    if parsed.type not in ("cpu", "cuda"):
        raise ValueError(f"`device` must be a CPU or CUDA device, got {device!r}.")
    return device


class CNNBackbone(nn.Module):
    """One convolution, ReLU and 2x2 max-pooling, then a linear layer.

    ``forward(x)`` takes images of shape (batch, 1, 8, 8) and returns
    ``(logits, embedding)`` of shapes (batch, n_classes) and (batch, 128): the
    embedding is the flattened pooled feature map (8 channels x 4 x 4), which
    Annot-Mix and embedding-based query strategies read.
    """

    embedding_dim = 128

    def __init__(self, n_classes=10):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, kernel_size=3, padding=1)  # (B, 8, 8, 8)
        self.fc = nn.Linear(self.embedding_dim, n_classes)

    def forward(self, x):
        features = F.max_pool2d(F.relu(self.conv(x)), kernel_size=2)  # (B, 8, 4, 4)
        embedding = features.flatten(start_dim=1)  # (B, 128)
        return self.fc(embedding), embedding


class MLPBackbone(nn.Module):
    """For samples that come as feature vectors (a real crowd's data set): one hidden layer of 128 units.

    ``forward(x)`` takes features of shape (batch, n_features) and returns
    ``(logits, embedding)`` of shapes (batch, n_classes) and (batch, 128), like
    :class:`CNNBackbone`, so every learner and strategy works with either.
    """

    embedding_dim = 128

    def __init__(self, n_features, n_classes=10):
        super().__init__()
        self.hidden = nn.Linear(n_features, self.embedding_dim)
        self.fc = nn.Linear(self.embedding_dim, n_classes)

    def forward(self, x):
        embedding = F.relu(self.hidden(x))
        return self.fc(embedding), embedding


def backbone_for(sample_shape):
    """The network class and its extra skorch arguments for samples of shape ``sample_shape``.

    (1, 8, 8) digits images get the reference's :class:`CNNBackbone`; feature vectors
    (n_features,) get :class:`MLPBackbone`.
    """
    sample_shape = tuple(sample_shape)
    if sample_shape == (1, 8, 8):
        return CNNBackbone, {}
    if len(sample_shape) == 1 and sample_shape[0] >= 1:
        return MLPBackbone, {"module__n_features": sample_shape[0]}
    raise ValueError(
        f"`sample_shape` must be (1, 8, 8) (digits images) or (n_features,) (feature vectors), got {sample_shape}."
    )


def cpu_capability():
    """The instruction set PyTorch's CPU kernels use here, e.g. ``"AVX2"`` or ``"AVX512"``."""
    return torch.backends.cpu.get_cpu_capability()
