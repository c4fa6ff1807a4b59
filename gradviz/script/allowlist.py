"""What a script may reach: names, modules, and the attributes of each type of value.

Everything not listed here is refused. Attribute access is checked per type of the object,
never by name alone, so `x.sum` is a tensor method while `''.format` stays out of reach.
Names starting with `_` are refused everywhere, which keeps dunders, frames, code objects and
globals unreachable.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from gradviz.script.budget import Budget
from gradviz.script.errors import ScriptFault, not_allowed
from gradviz.script.safe_format import str_format
from gradviz.script.shown_type import ShownType
from gradviz.script.text_size import check_text_size

#: Builtins a script calls by name but can never reach, with the reason shown to the learner.
FORBIDDEN_NAMES: dict[str, str] = {
    "open": "scripts cannot read or write files",
    "exec": "scripts cannot run code from strings",
    "eval": "scripts cannot run code from strings",
    "compile": "scripts cannot run code from strings",
    "__import__": "scripts can import only torch and math",
    "getattr": "attributes are reached only by name",
    "setattr": "attributes are reached only by name",
    "delattr": "attributes are reached only by name",
    "hasattr": "attributes are reached only by name",
    "globals": "scripts cannot inspect their namespace",
    "locals": "scripts cannot inspect their namespace",
    "vars": "scripts cannot inspect their namespace",
    "dir": "scripts cannot inspect their namespace",
    "object": "scripts cannot inspect or create types",
    "classmethod": "a script's classes hold plain methods only",
    "staticmethod": "a script's classes hold plain methods only",
    "property": "a script's classes hold plain methods only",
    "input": "scripts cannot read from the terminal",
    "breakpoint": "scripts cannot start a debugger",
    "help": "scripts cannot start the help system",
    "exit": "scripts cannot stop gradviz",
    "quit": "scripts cannot stop gradviz",
    "memoryview": "scripts cannot reach raw memory",
    "id": "scripts cannot reach object addresses",
    "__builtins__": "scripts cannot reach Python's builtins",
}

#: Top-level names of `torch` a script may use, when the engine provides them.
TORCH_NAMES = frozenset("""
    Tensor Size dtype tensor as_tensor zeros ones full empty eye arange linspace rand randn
    randint randperm normal zeros_like ones_like full_like rand_like randn_like manual_seed device
    set_grad_enabled
    float32 float64 float16 int64 int32 bool float double long int half
    no_grad enable_grad is_grad_enabled is_tensor numel
    abs add sub mul div neg pow exp log log2 log10 sqrt square reciprocal sin cos tan tanh
    sigmoid relu clamp clip clone sum mean max min maximum minimum prod std var norm
    argmax argmin matmul mm mv bmm dot addmm outer cat stack where reshape flatten squeeze
    unsqueeze permute transpose t softmax log_softmax allclose equal eq ne lt le gt ge
    isclose isnan isinf floor ceil round sign cumsum logsumexp
    acos asin atan sinh cosh log1p expm1 rsqrt erf any all flip split chunk unbind tril triu diag
    gather sort argsort topk
    dropout Generator default_generator multinomial initial_seed amax amin
    isfinite signbit diff hardshrink threshold threshold_ xlogy selu celu selu_ celu_ lerp
    addcmul addcdiv scatter scatter_add index_add nan_to_num trunc frac masked_select
    cumprod clamp_max masked_fill narrow select index_select roll tile movedim moveaxis swapaxes
    swapdims unflatten broadcast_to diagonal nonzero argwhere count_nonzero layer_norm einsum
    unsafe_chunk cosine_similarity pairwise_distance
    nn autograd optim linalg cuda distributions
""".split())

#: Names of `torch.nn`: the layers, activations and losses gradviz models.
NN_NAMES = frozenset("""
    Module ModuleList Parameter Linear Identity Sequential ReLU LeakyReLU Sigmoid Tanh SiLU GELU
    LogSigmoid Dropout Embedding Hardtanh ReLU6 Threshold Hardshrink Softshrink Softsign Softmin
    Tanhshrink Unflatten Softplus ModuleDict ParameterList KLDivLoss ELU SELU CELU LayerNorm
    RNN RNNCell GRU GRUCell LSTMCell BatchNorm1d BatchNorm2d BatchNorm3d CosineSimilarity
    PairwiseDistance
    Softmax LogSoftmax Flatten MSELoss L1Loss BCELoss BCEWithLogitsLoss NLLLoss CrossEntropyLoss
""".split())

#: Names of `torch.nn.init`.
INIT_NAMES = frozenset("""
    uniform_ normal_ constant_ zeros_ ones_ kaiming_uniform_ kaiming_normal_ xavier_uniform_
    xavier_normal_ calculate_gain
""".split())

#: Names of `torch.nn.utils`.
NN_UTILS_NAMES = frozenset({"clip_grad_norm_", "clip_grad_value_", "get_total_norm",
                            "clip_grads_with_norm_", "parameters_to_vector"})

#: Names of `torch.optim.lr_scheduler`.
SCHEDULER_NAMES = frozenset({"LRScheduler", "StepLR", "MultiStepLR", "ExponentialLR", "LambdaLR",
                             "CosineAnnealingLR"})

#: Names of `torch.utils.data`.
DATA_NAMES = frozenset({"DataLoader", "TensorDataset"})

#: Names of `torch.optim`.
OPTIM_NAMES = frozenset({"SGD", "Adagrad", "Adam", "AdamW", "RMSprop", "Optimizer"})

#: What a script may read or call on a module (its methods and options) and an optimizer.
MODULE_ATTRIBUTES = frozenset("""
    parameters named_parameters children named_children modules named_modules zero_grad train
    eval training requires_grad_ forward append extend add_module to cpu cuda double float
    state_dict load_state_dict register_buffer buffers named_buffers apply keys items values
    update pop clear
    weight bias in_features out_features reset_parameters inplace negative_slope approximate p
    num_embeddings embedding_dim padding_idx from_pretrained
    dim start_dim end_dim reduction ignore_index label_smoothing pos_weight beta threshold
    log_target alpha
    min_val max_val value lambd unflattened_size normalized_shape eps elementwise_affine
    input_size hidden_size num_layers nonlinearity batch_first dropout bidirectional
    weight_ih weight_hh bias_ih bias_hh
    num_features momentum affine track_running_stats running_mean running_var
    num_batches_tracked reset_running_stats
""".split())
OPTIMIZER_ATTRIBUTES = frozenset("step zero_grad param_groups state defaults add_param_group "
                                 "state_dict"
                                 .split())

#: Names of `torch.nn.functional` a script may use.
FUNCTIONAL_NAMES = frozenset("""
    relu sigmoid tanh softmax log_softmax linear mse_loss l1_loss cross_entropy nll_loss
    binary_cross_entropy binary_cross_entropy_with_logits leaky_relu gelu silu softplus
    logsigmoid
    one_hot normalize dropout embedding
    hardtanh relu6 threshold hardshrink softshrink softsign softmin tanhshrink pad kl_div
    elu selu celu layer_norm batch_norm cosine_similarity pairwise_distance
""".split())

#: Names of `torch.autograd`, when the engine has it.
AUTOGRAD_NAMES = frozenset({"grad", "backward"})

#: Tensor attributes: PyTorch's public API, without storage, pointer or file access and
#: without methods whose output size `tensor_sizes` cannot work out beforehand (`resize_`).
TENSOR_ATTRIBUTES = frozenset("""
    data grad requires_grad requires_grad_ is_leaf grad_fn retain_grad retains_grad
    register_hook backward detach detach_ clone zero_ fill_ copy_ uniform_ normal_ exponential_
    multinomial
    shape dtype ndim dim size numel nelement device is_floating_point is_contiguous cpu cuda
    is_cuda
    contiguous item tolist numpy T mT H
    add sub mul div pow neg abs exp log log2 log10 sqrt square reciprocal sin cos tan tanh
    sigmoid relu clamp clip sign floor ceil round
    add_ sub_ mul_ div_ pow_ neg_ abs_ exp_ clamp_ clip_ sigmoid_ tanh_ relu_
    sum mean max min prod std var norm argmax argmin cumsum logsumexp maximum minimum
    matmul mm mv bmm dot outer
    reshape view view_as flatten squeeze unsqueeze permute transpose t expand expand_as repeat
    softmax log_softmax eq ne lt le gt ge allclose equal isclose isnan isinf
    float double long int bool half to type_as masked_fill where
    acos asin atan sinh cosh log1p expm1 rsqrt erf acos_ asin_ atan_ sinh_ cosh_ log1p_ expm1_
    rsqrt_ erf_ any all flip split chunk unbind tril triu diag gather sort argsort topk
    amax amin
    cumprod clamp_max clamp_max_ clamp_min clamp_min_ masked_fill_ narrow select index_select
    roll tile movedim moveaxis swapaxes swapdims unflatten broadcast_to diagonal nonzero
    argwhere count_nonzero new_zeros new_ones new_empty new_full new_tensor isfinite signbit diff
    hardshrink xlogy lerp lerp_ addcmul addcdiv addcmul_ addcdiv_ scatter scatter_add index_add
    scatter_ scatter_add_ index_add_ nan_to_num nan_to_num_ trunc trunc_ frac frac_ masked_select
""".split())

#: Names that are refused on every object, whatever its type.
ALWAYS_REFUSED = frozenset("""
    format_map tofile dump dumps ctypes data_ptr storage untyped_storage as_strided
    gi_frame gi_code gi_yieldfrom cr_frame cr_code ag_frame ag_code f_globals f_locals f_back
    f_builtins tb_frame func_globals func_code mro
""".split())


class OpenObject:
    """An object of the script's own (an instance of a class it defined, `super()`): it
    answers attribute reads itself, name by name, in `_script_attribute`."""

    __slots__ = ()
    #: The one kind of dunder a script may read from it (`super().__init__`).
    open_dunders: frozenset[str] = frozenset()

    def _script_attribute(self, name: str) -> Any:
        raise NotImplementedError


class ScriptModule:
    """What `import torch` binds: only the allowlisted members of a module, nothing else."""

    __slots__ = ("name", "members")

    def __init__(self, name: str, members: dict[str, Any]) -> None:
        self.name = name
        self.members = members

    def __repr__(self) -> str:
        return f"<module '{self.name}'>"


Guard = Callable[[Any, Budget], Any]


def materialize(values: Iterable[Any], budget: Budget) -> list[Any]:
    """A list of `values`, refused or counted before a lazy iterable can run away."""
    if isinstance(values, (list, tuple, str, bytes, dict, range, set, frozenset)):
        budget.check_length(len(values))
        return list(values)
    return list(budget.counted(values))


def _list_extend(items: list, budget: Budget) -> Callable[[Iterable[Any]], None]:
    def extend(values: Iterable[Any], /) -> None:
        more = materialize(values, budget)
        budget.sequence(len(items) + len(more))
        items.extend(more)

    return extend


def _dict_update(mapping: dict, budget: Budget) -> Callable[..., None]:
    def update(other: Any = (), /, **kwargs: Any) -> None:
        pairs = other.items() if isinstance(other, dict) else other
        pairs = materialize(pairs, budget)
        budget.sequence(len(mapping) + len(pairs) + len(kwargs))
        mapping.update(pairs, **kwargs)

    return update


def _str_join(separator: str, budget: Budget) -> Callable[[Iterable[str]], str]:
    def join(values: Iterable[str], /) -> str:
        parts = materialize(values, budget)
        budget.sequence(len(separator) * max(len(parts) - 1, 0)
                        + sum(len(p) for p in parts if isinstance(p, str)))
        return separator.join(parts)

    return join


def _str_format(template: str, budget: Budget) -> Callable[..., str]:
    return str_format(template, budget)


def _str_replace(text: str, budget: Budget) -> Callable[..., str]:
    def replace(old: str, new: str, count: int = -1, /) -> str:
        if isinstance(old, str) and isinstance(new, str):
            hits = text.count(old)
            if count >= 0:
                hits = min(hits, count)
            budget.sequence(len(text) + hits * max(len(new) - len(old), 0))
        return text.replace(old, new, count)

    return replace


def _list_comparing(method: str) -> Guard:
    """A list method that compares items from C (`sort`, `index`, `count`, `remove`)."""

    def guard(items: list, budget: Budget) -> Callable[..., Any]:
        bound = getattr(items, method)

        def compare(*args: Any, **kwargs: Any) -> Any:
            budget.elementwise([*items, *args[:1]])
            if method == "index" and args:
                check_text_size(args[0], budget)  # "... is not in list" shows its repr
            return bound(*args, **kwargs)

        return compare

    return guard


def _tolist(values: Any, budget: Budget) -> Callable[[], Any]:
    """`.tolist()` of a tensor or array: one Python object per element, each about four times
    the memory of a float64, accounted before they are made."""

    def tolist() -> Any:
        count = values.numel() if hasattr(values, "numel") else int(values.size)
        budget.keep(4 * count)
        return values.tolist()

    return tolist


_PLAIN = None
_STR = dict.fromkeys("""
    upper lower title capitalize strip lstrip rstrip split rsplit splitlines startswith
    endswith find rfind index rindex count isdigit isalpha isalnum isspace isupper islower
""".split(), _PLAIN) | {"join": _str_join, "replace": _str_replace, "format": _str_format}
_LIST = dict.fromkeys("append insert pop reverse copy clear".split(), _PLAIN) | {
    "extend": _list_extend, **{name: _list_comparing(name)
                               for name in ("sort", "index", "count", "remove")}}
_DICT = dict.fromkeys("keys values items get pop popitem setdefault copy clear".split(),
                      _PLAIN) | {"update": _dict_update}
_NUMBER = dict.fromkeys("real imag conjugate".split(), _PLAIN)
_ARRAY = dict.fromkeys("""
    shape ndim size dtype item T sum mean max min argmax argmin reshape flatten
""".split(), _PLAIN) | {"tolist": _tolist}
_SET = dict.fromkeys("add remove discard pop copy clear".split(), _PLAIN)

#: Per-type attribute tables; a type not listed here (and not a subclass of one) has none.
TYPE_ATTRIBUTES: dict[type, dict[str, Guard | None]] = {
    str: _STR,
    list: _LIST,
    dict: _DICT,
    tuple: dict.fromkeys(("count", "index"), _PLAIN),
    set: _SET,
    range: dict.fromkeys(("start", "stop", "step", "count", "index"), _PLAIN),
    bool: {},
    int: _NUMBER | {"bit_length": _PLAIN},
    float: _NUMBER | {"is_integer": _PLAIN},
    complex: _NUMBER,
    np.ndarray: _ARRAY,
    np.generic: dict.fromkeys(("item", "tolist", "shape", "ndim", "dtype"), _PLAIN),
}


def attribute_table(obj: Any) -> dict[str, Guard | None]:
    """The allowed attributes of `obj`, found from its type (or the closest listed base)."""
    for cls in type(obj).__mro__:
        table = TYPE_ATTRIBUTES.get(cls)
        if table is not None:
            return table
    return {}


def get_attribute(obj: Any, name: str, budget: Budget) -> Any:
    """`obj.name` if the allowlist has it for `obj`'s type; a fault saying why not otherwise."""
    if isinstance(obj, OpenObject) and name not in ALWAYS_REFUSED and (
            not name.startswith("_") or name in obj.open_dunders):
        return obj._script_attribute(name)
    if name.startswith("_") or name in ALWAYS_REFUSED:
        raise not_allowed(f"not allowed: attribute '{name}'")
    if isinstance(obj, ScriptModule):
        try:
            return obj.members[name]
        except KeyError:
            raise ScriptFault(f"AttributeError: module '{obj.name}' has no attribute "
                              f"'{name}'") from None
    if isinstance(obj, (type, ShownType)):
        raise not_allowed(f"not allowed: attributes of classes ('{obj.__name__}.{name}')")
    table = attribute_table(obj)
    if name not in table:
        if _registered(obj, name):
            return getattr(obj, name)  # a layer's own tensors and layers (`rnn.weight_hh_l0`)
        kind = type(obj).__name__
        if hasattr(type(obj), name):
            raise not_allowed(f"not allowed: attribute '{name}' of a {kind}")
        raise ScriptFault(f"AttributeError: '{kind}' object has no attribute '{name}'")
    guard = table[name]
    if guard is not None:
        return guard(obj, budget)
    return getattr(obj, name)


def _registered(obj: Any, name: str) -> bool:
    """Whether `obj` is an engine layer and `name` one of its parameters, buffers or
    submodules."""
    from engine.nn.module import Module

    return isinstance(obj, Module) and any(
        name in obj.__dict__.get(kind, ()) for kind in ("_parameters", "_buffers", "_modules"))


#: Tensor attributes a script may assign (`x.grad = None`, `x.requires_grad = True`).
SETTABLE_TENSOR_ATTRIBUTES = frozenset({"grad", "requires_grad", "data"})


#: The modules a script may import, in the order the refusal lists them.
ALLOWED_IMPORTS = ("torch", "torch.nn", "torch.nn.functional", "torch.nn.init",
                   "torch.nn.utils", "torch.optim",
                   "torch.optim.lr_scheduler", "torch.autograd", "torch.linalg", "torch.utils",
                   "torch.utils.data", "torch.distributions", "math")


def refused_import(module: str) -> ScriptFault:
    listed = ", ".join(ALLOWED_IMPORTS[:-1]) + " and " + ALLOWED_IMPORTS[-1]
    return not_allowed(f"not allowed: import of '{module}' (scripts can import only {listed})")


def as_array_like(value: Any) -> bool:
    """Whether `value` has a numeric shape (a tensor or numpy array)."""
    return isinstance(getattr(value, "shape", None), tuple) and not isinstance(value, type)


def _present(owner: Any, names: Iterable[str]) -> dict[str, Guard | None]:
    return {name: _PLAIN for name in sorted(names) if hasattr(owner, name)}


def _register_engine_types() -> None:
    import engine
    import engine.functions
    from engine.tensor import RemovableHandle

    TYPE_ATTRIBUTES.update({
        engine.Tensor: _present(engine.Tensor, TENSOR_ATTRIBUTES) | {"tolist": _tolist},
        engine.Size: dict.fromkeys(("count", "index", "numel"), _PLAIN),
        engine.device: dict.fromkeys(("type", "index"), _PLAIN),
        engine.Generator: dict.fromkeys(("manual_seed", "initial_seed", "seed", "device"),
                                        _PLAIN),
        engine.dtype: dict.fromkeys(("is_floating_point", "is_signed", "itemsize"), _PLAIN),
        engine.Node: dict.fromkeys(("name", "next_functions"), _PLAIN),
        engine.AccumulateGrad: dict.fromkeys(("name", "next_functions", "variable"), _PLAIN),
        RemovableHandle: {"remove": _PLAIN},
        # a module without one of these (`relu.weight`) raises PyTorch's AttributeError
        engine.nn.Module: dict.fromkeys(MODULE_ATTRIBUTES, _PLAIN),
        engine.optim.Optimizer: dict.fromkeys(OPTIMIZER_ATTRIBUTES, _PLAIN),
        engine.distributions.Distribution: dict.fromkeys(
            ("sample", "log_prob", "entropy", "probs", "logits", "batch_shape", "event_shape",
             "mode", "param_shape", "enumerate_support", "support"), _PLAIN),
        engine.utils.data.DataLoader: dict.fromkeys(
            ("dataset", "batch_size", "drop_last", "generator", "num_workers"), _PLAIN),
        engine.utils.data.TensorDataset: {"tensors": _PLAIN},
        engine.optim.lr_scheduler.LRScheduler: dict.fromkeys(
            ("step", "get_last_lr", "get_lr", "last_epoch", "base_lrs", "optimizer",
             "state_dict", "step_size", "gamma", "milestones", "T_max", "eta_min"), _PLAIN),
    })
    # torch.return_types (`x.max(dim=0)`): named tuples whose fields are public.
    for value in vars(engine.functions).values():
        if isinstance(value, type) and issubclass(value, tuple) and hasattr(value, "_fields"):
            fields = [f for f in value._fields if f not in value._field_defaults]
            TYPE_ATTRIBUTES[value] = dict.fromkeys((*fields, "count", "index"), _PLAIN)


_register_engine_types()


@functools.cache
def script_modules() -> dict[str, ScriptModule]:
    """What each allowed import binds, by its dotted name."""
    import engine
    from gradviz.script.safe_math import math_members

    functional = ScriptModule("torch.nn.functional",
                              _members(engine.nn.functional, FUNCTIONAL_NAMES))
    init = ScriptModule("torch.nn.init", _members(engine.nn.init, INIT_NAMES))
    nn_utils = ScriptModule("torch.nn.utils", _members(engine.nn.utils, NN_UTILS_NAMES))
    nn = ScriptModule("torch.nn", {"functional": functional, "init": init, "utils": nn_utils,
                                   **_members(engine.nn, NN_NAMES)})
    schedulers = ScriptModule("torch.optim.lr_scheduler",
                              _members(engine.optim.lr_scheduler, SCHEDULER_NAMES))
    optim = ScriptModule("torch.optim", {"lr_scheduler": schedulers,
                                         **_members(engine.optim, OPTIM_NAMES)})
    linalg = ScriptModule("torch.linalg", _members(engine.linalg, {"vector_norm"}))
    cuda = ScriptModule("torch.cuda", _members(engine.cuda, {"is_available", "device_count"}))
    torch = ScriptModule("torch", _members(engine, TORCH_NAMES - {
        "nn", "autograd", "optim", "linalg", "cuda", "utils", "distributions"}))
    data = ScriptModule("torch.utils.data", _members(engine.utils.data, DATA_NAMES))
    utils = ScriptModule("torch.utils", {"data": data})
    distributions = ScriptModule("torch.distributions",
                                 _members(engine.distributions, {"Categorical"}))
    torch.members.update(nn=nn, optim=optim, linalg=linalg, cuda=cuda, utils=utils,
                         distributions=distributions)
    modules = {"torch": torch, "torch.nn": nn, "torch.nn.functional": functional,
               "torch.nn.init": init, "torch.nn.utils": nn_utils, "torch.optim": optim,
               "torch.linalg": linalg,
               "torch.utils": utils, "torch.utils.data": data,
               "torch.distributions": distributions,
               "torch.optim.lr_scheduler": schedulers,
               "math": ScriptModule("math", math_members())}
    if hasattr(engine, "autograd"):
        autograd = ScriptModule("torch.autograd", _members(engine.autograd, AUTOGRAD_NAMES))
        torch.members["autograd"] = autograd
        modules["torch.autograd"] = autograd
    return modules


def _members(module: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(module, name) for name in sorted(names) if hasattr(module, name)}
