"""PyTorch's own words for the errors and warnings a learner can meet."""

from __future__ import annotations

from typing import Any

BACKWARD_TWICE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)
NON_SCALAR_BACKWARD = "grad can be implicitly created only for scalar outputs"
INT_REQUIRES_GRAD = "Only Tensors of floating point and complex dtype can require gradients"
INT_REQUIRES_GRAD_SET = "only Tensors of floating point and complex dtype can require gradients"
INT_REQUIRES_GRAD_METHOD = "only Tensors of floating point dtype can require gradients"
LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_IN_PLACE = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)


def multi_output_view_in_place(output_nr: int, op: str) -> str:
    """`op` is the grad_fn's name without `Backward0`, as PyTorch prints it: `Split`."""
    return (f"Output {output_nr} of {op} is a view and is being modified inplace. This view is "
            "the output of a function that returns multiple views. Such functions do not allow "
            "the output views to be modified inplace. You should replace the inplace operation "
            "by an out-of-place one.")


BOOL_SUBTRACT = (
    "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
    "`logical_xor()` operator instead."
)
BOOL_SUBTRACT_ONE = (
    "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
    "invert a mask, use the `~` or `logical_not()` operator instead."
)
BOOL_NEGATE = (
    "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a "
    "mask, use the `~` or `logical_not()` operator instead."
)
VIEW_IN_PLACE_UNSUPPORTED = (
    "gradviz does not yet record in-place changes to a view of a tensor that is part of a graph "
    "(PyTorch rewrites the base's history here); apply the op out of place instead, for example "
    "y = y.exp() rather than y[0:2].exp_()"
)
HOOK_NO_GRAD = "cannot register a hook on a tensor that doesn't require gradient"
RETAIN_GRAD_NO_GRAD = "can't retain_grad on Tensor that has requires_grad=False"
NON_LEAF_REQUIRES_GRAD = (
    "you can only change requires_grad flags of leaf variables. If you want to use a computed "
    "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
)
NUMPY_REQUIRES_GRAD = (
    "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
)
NON_LEAF_GRAD_ACCESS = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at "
    "/__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)"
)
COPY_CONSTRUCT = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
    "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor)."
)
MODIFIED_IN_PLACE = (
    "one of the variables needed for gradient computation has been modified by an inplace "
    "operation: [{kind} [{shape}]]{which} is at version {version}; expected version {saved} "
    "instead. Hint: enable anomaly detection to find the operation that failed to compute its "
    "gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
)


def item_of_many(numel: int) -> str:
    return f"a Tensor with {numel} elements cannot be converted to Scalar"


def gradient_shape_mismatch(grad_shape: tuple[int, ...], out_shape: tuple[int, ...],
                            index: int = 0) -> str:
    return (f"Mismatch in shape: grad_output[{index}] has a shape of {size_repr(grad_shape)} "
            f"and output[{index}] has a shape of {size_repr(out_shape)}.")


def no_grad_backward(index: int) -> str:
    return f"element {index} of tensors does not require grad and does not have a grad_fn"


def broadcast_mismatch(a: tuple[int, ...], b: tuple[int, ...]) -> str:
    """Torch names the first dimension, from the right, where the sizes disagree."""
    for offset in range(1, max(len(a), len(b)) + 1):
        size_a = a[-offset] if offset <= len(a) else 1
        size_b = b[-offset] if offset <= len(b) else 1
        if size_a != size_b and 1 not in (size_a, size_b):
            dim = max(len(a), len(b)) - offset
            return (f"The size of tensor a ({size_a}) must match the size of tensor b ({size_b}) "
                    f"at non-singleton dimension {dim}")
    return f"shapes {a} and {b} cannot be broadcast"


def dim_out_of_range(dim: int, ndim: int) -> str:
    low, high = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    return (f"Dimension out of range (expected to be in range of [{low}, {high}], "
            f"but got {dim})")


def bad_shape(shape: tuple[int, ...] | list[int], numel: int) -> str:
    return f"shape '[{', '.join(str(s) for s in shape)}]' is invalid for input of size {numel}"


def size_repr(shape: tuple[int, ...]) -> str:
    return f"torch.Size([{', '.join(str(s) for s in shape)}])"
SCALAR_OF_GRAD_TENSOR = (
    "Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
    "Consider using tensor.detach() first. (Triggered internally at "
    "/__w/pytorch/pytorch/torch/csrc/autograd/generated/python_variable_methods.cpp:822.)"
)


def type_name(value: object) -> str:
    """A value's type as PyTorch's C++ names it: `list`, `numpy.ndarray`, `torch.dtype`."""
    cls = type(value)
    module = cls.__module__.split(".")[0]
    if module == "numpy":
        return f"numpy.{cls.__name__}"
    if module in ("engine", "torch"):
        return _ENGINE_TYPE_NAMES.get(cls.__qualname__, cls.__name__)
    return cls.__name__


_ENGINE_TYPE_NAMES = {"dtype": "torch.dtype", "Size": "torch.Size", "device": "torch.device",
                      "MaxResult": "torch.return_types.max"}


_GRAD_DTYPE_NAMES = {"float32": "float", "float64": "double", "int64": "long int",
                     "int32": "int", "bool": "bool", "float16": "c10::Half"}


def check_assigned_grad(grad: Any, tensor: Any) -> None:
    """`tensor.grad = grad`: PyTorch's checks of type, size and dtype, in its order."""
    from engine.dtypes import LEGACY_TYPES
    from engine.tensor import Tensor

    if not isinstance(grad, Tensor):
        raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                        f"{type(grad).__name__}")
    if grad._data.shape != tensor._data.shape:
        raise RuntimeError(
            f"attempting to assign a gradient of size '[{', '.join(map(str, grad._data.shape))}]'"
            f" to a tensor of size '[{', '.join(map(str, tensor._data.shape))}]'. Please ensure "
            "that the gradient and the tensor are the same size")
    if grad._data.dtype != tensor._data.dtype:
        got = _GRAD_DTYPE_NAMES.get(grad._data.dtype.name, grad._data.dtype.name)
        raise RuntimeError(
            f"attempting to assign a gradient with dtype '{got}' to a tensor with grad_dtype "
            f"'{LEGACY_TYPES[tensor._data.dtype.name][6:-6]}'. The gradient "
            "must match the tensor's grad_dtype (defaults to the tensor's dtype). You can set "
            "the tensor's grad_dtype attribute with a specific dtype, or None to allow any "
            "dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its "
            "gradient may break downstream systems that assume they match.")
