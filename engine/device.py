"""`torch.device` and `torch.cuda`: the CPU is the one device gradviz has, and asking for
another fails as it does in PyTorch built for the CPU."""

from __future__ import annotations

from typing import Any

DEVICE_TYPES = ("cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, "
                "lazy, vulkan, mps, meta, hpu, mtia, privateuseone")


class device:  # noqa: N801 - PyTorch's name
    """A device by type and optional index: `device(type='cpu')`."""

    __slots__ = ("type", "index")

    def __init__(self, kind: str | device, index: int | None = None) -> None:
        if isinstance(kind, device):
            kind, index = kind.type, kind.index if index is None else index
        if not isinstance(kind, str):
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({type(kind).__name__})")
        name, _, number = kind.partition(":")
        if name not in DEVICE_TYPES.split(", "):
            raise RuntimeError(f"Expected one of {DEVICE_TYPES} device type at start of device "
                               f"string: {kind}")
        if number:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was "
                                   f"passed explicitly: {kind}")
            if not number.isdigit():
                raise RuntimeError(f"Invalid device string: '{kind}'")
            index = int(number)
        object.__setattr__(self, "type", name)
        object.__setattr__(self, "index", index)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"attribute '{name}' of 'torch.device' objects is not writable")

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


CPU = device("cpu")


def check(where: Any) -> None:
    """A tensor may go to the CPU; anywhere else fails with PyTorch's CPU-build message."""
    if where is None:
        return
    if isinstance(where, int) and not isinstance(where, bool):
        raise RuntimeError("Cannot access accelerator device when none is available.")
    kind = device(where).type
    if kind == "cpu":
        return
    if kind == "cuda":
        raise AssertionError("Torch not compiled with CUDA enabled")
    if kind == "mps":
        raise RuntimeError("PyTorch is not linked with support for mps devices")
    raise RuntimeError(f"gradviz runs on the CPU only; there is no '{kind}' device")


class _Cuda:
    """`torch.cuda`: there is none."""

    @staticmethod
    def is_available() -> bool:
        return False

    @staticmethod
    def device_count() -> int:
        return 0

    def __repr__(self) -> str:
        return "<module 'torch.cuda'>"


cuda = _Cuda()
