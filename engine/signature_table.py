"""PyTorch 2.13's Python signatures for the functions and Tensor methods the engine provides,
as its argument parser prints them (see `signatures` for the notation). `hidden` marks the
deprecated forms PyTorch still accepts but never lists."""

from __future__ import annotations

OUT = "*, Tensor? out = None"
UNARY = [f"(Tensor input, {OUT})"]
BINARY = [f"(Tensor input, Tensor other, {OUT})"]
COMPARISON = [f"(Tensor input, Tensor other, {OUT})", f"(Tensor input, Number other, {OUT})"]
ALPHA = ["(Tensor input, Tensor other, *, Number alpha = 1, Tensor? out = None)",
         "hidden (Tensor input, Number alpha, Tensor other, *, Tensor? out = None)"]
STD_VAR = [f"(Tensor input, tuple of ints[1]? dim, bool unbiased = True, bool keepdim = False, "
           f"{OUT})",
           "(Tensor input, tuple of ints[1]? dim = None, *, Number? correction = None, "
           "bool keepdim = False, Tensor? out = None)",
           "(Tensor input, bool unbiased = True)"]
CLOSE = ["(Tensor input, Tensor other, float rtol = 1e-05, float atol = 1e-08, "
         "bool equal_nan = False)"]
CLAMP = [f"(Tensor input, Tensor? min = None, Tensor? max = None, {OUT})",
         f"(Tensor input, Number? min = None, Number? max = None, {OUT})"]
MATRIX = [f"(Tensor input, Tensor mat2, {OUT})",
          f"(Tensor input, Tensor mat2, torch.dtype out_dtype, {OUT})"]
EXTREMES = [f"(Tensor input, {OUT})", f"(Tensor input, Tensor other, {OUT})",
            "(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors? out = None)"]
REDUCE = ["(Tensor input, *, torch.dtype? dtype = None)",
          "(Tensor input, tuple of ints[1]? dim, bool keepdim = False, *, "
          "torch.dtype? dtype = None, Tensor? out = None)"]

TORCH: dict[str, list[str]] = {
    **{name: UNARY for name in ("abs", "neg", "exp", "log", "log2", "log10", "sqrt", "square",
                                "reciprocal", "sin", "cos", "tan", "tanh", "sigmoid", "floor",
                                "ceil", "sign", "atan", "asin", "acos", "sinh", "cosh",
                                "log1p", "expm1", "rsqrt", "erf")},
    **{name: ["(Tensor input)"] for name in ("relu", "t", "isnan", "isinf", "numel",
                                             "isfinite")},
    "signbit": UNARY,
    **{name: ["(Tensor input, Tensor tensor1, Tensor tensor2, *, Number value = 1, "
              "Tensor? out = None)",
              "hidden (Tensor input, Number value, Tensor tensor1, Tensor tensor2, *, "
              "Tensor? out = None)"] for name in ("addcmul", "addcdiv")},
    "scatter_add": [f"(Tensor input, int dim, Tensor index, Tensor src, {OUT})"],
    "nan_to_num": ["(Tensor input, float? nan = None, float? posinf = None, "
                   f"float? neginf = None, {OUT})"],
    **{name: UNARY for name in ("trunc", "frac")},
    "masked_select": [f"(Tensor input, Tensor mask, {OUT})"],
    "scatter": [f"(Tensor input, int dim, Tensor index, Tensor src, {OUT})",
                "(Tensor input, int dim, Tensor index, Tensor src, *, str reduce, "
                "Tensor? out = None)",
                f"(Tensor input, int dim, Tensor index, Number value, {OUT})",
                "(Tensor input, int dim, Tensor index, Number value, *, str reduce, "
                "Tensor? out = None)"],
    "index_add": ["(Tensor input, int dim, Tensor index, Tensor source, *, Number alpha = 1, "
                  "Tensor? out = None)"],
    "lerp": [f"(Tensor input, Tensor end, Tensor weight, {OUT})",
             f"(Tensor input, Tensor end, Number weight, {OUT})"],
    "xlogy": [f"(Tensor input, Tensor other, {OUT})", f"(Number self, Tensor other, {OUT})",
              f"(Tensor input, Number other, {OUT})"],
    **{name: BINARY for name in ("mul", "maximum", "minimum", "matmul")},
    **{name: COMPARISON for name in ("eq", "ne", "lt", "le", "gt", "ge")},
    "clone": ["(Tensor input, *, torch.memory_format? memory_format = None)"],
    **{name: ["(Tensor input, float p, bool train)"] for name in ("dropout", "dropout_")},
    "layer_norm": ["(Tensor input, tuple of ints normalized_shape, Tensor? weight = None, "
                   "Tensor? bias = None, float eps = 1e-05, bool cudnn_enable = True)"],
    "multinomial": ["(Tensor input, int num_samples, bool replacement = False, *, "
                    "torch.Generator? generator = None, Tensor? out = None)"],
    "add": ALPHA,
    "sub": ALPHA,
    "div": [f"(Tensor input, Tensor other, {OUT})",
            "(Tensor input, Tensor other, *, str? rounding_mode, Tensor? out = None)",
            "(Tensor input, Number other, *, str? rounding_mode)"],
    "floor_divide": [f"(Tensor input, Tensor other, {OUT})", "(Tensor input, Number other)"],
    "remainder": [f"(Tensor input, Tensor other, {OUT})", "(Number self, Tensor other)",
                  f"(Tensor input, Number other, {OUT})"],
    "pow": [f"(Tensor input, Tensor exponent, {OUT})", f"(Number self, Tensor exponent, {OUT})",
            f"(Tensor input, Number exponent, {OUT})"],
    "clamp": CLAMP,
    "clip": CLAMP,
    "clamp_min": [f"(Tensor input, Tensor min, {OUT})", f"(Tensor input, Number min, {OUT})"],
    "round": [f"(Tensor input, {OUT})", "(Tensor input, *, int decimals, Tensor? out = None)"],
    "sum": REDUCE,
    "mean": ["(Tensor input, *, torch.dtype? dtype = None, Tensor? out = None)", REDUCE[1]],
    "prod": ["(Tensor input, *, torch.dtype? dtype = None)",
             "(Tensor input, int dim, bool keepdim = False, *, torch.dtype? dtype = None, "
             "Tensor? out = None)"],
    "max": EXTREMES,
    "min": EXTREMES,
    "std": STD_VAR,
    "var": STD_VAR,
    **{name: [f"(Tensor input, {OUT})",
              f"(Tensor input, tuple of ints? dim = None, bool keepdim = False, {OUT})",
              f"(Tensor input, int dim, bool keepdim = False, {OUT})"]
       for name in ("any", "all")},
    "argmax": [f"(Tensor input, int? dim = None, bool keepdim = False, {OUT})"],
    "sort": ["(Tensor input, *, bool stable, int dim = -1, bool descending = False, "
             "tuple of Tensors? out = None)",
             "(Tensor input, int dim = -1, bool descending = False, *, "
             "tuple of Tensors? out = None)"],
    "argsort": ["(Tensor input, *, bool stable, int dim = -1, bool descending = False, "
                "Tensor? out = None)", "(Tensor input, int dim = -1, bool descending = False)"],
    "topk": ["(Tensor input, int k, int dim = -1, bool largest = True, bool sorted = True, *, "
             "tuple of Tensors? out = None)"],
    "gather": ["(Tensor input, int dim, Tensor index, *, bool sparse_grad = False, "
               "Tensor? out = None)"],
    "argmin": [f"(Tensor input, int? dim = None, bool keepdim = False, {OUT})"],
    **{name: ["(Tensor input, int dim, *, torch.dtype? dtype = None, Tensor? out = None)"]
       for name in ("cumsum", "cumprod")},
    "logsumexp": [f"(Tensor input, tuple of ints[1] dim, bool keepdim = False, {OUT})"],
    # PyTorch takes None for this dim too (as all dims), though it prints no `?`
    **{name: [f"(Tensor input, tuple of ints[1]? dim = [], bool keepdim = False, {OUT})"]
       for name in ("amax", "amin")},
    "mm": MATRIX,
    "bmm": MATRIX,
    "mv": [f"(Tensor input, Tensor vec, {OUT})"],
    "dot": [f"(Tensor input, Tensor tensor, {OUT})"],
    "outer": [f"(Tensor input, Tensor vec2, {OUT})"],
    "addmm": ["(Tensor input, Tensor mat1, Tensor mat2, *, Number beta = 1, Number alpha = 1, "
              "Tensor? out = None)",
              "(Tensor input, Tensor mat1, Tensor mat2, torch.dtype out_dtype, *, "
              "Number beta = 1, Number alpha = 1, Tensor? out = None)"],
    "cat": [f"(tuple of Tensors tensors, int dim = 0, {OUT})"],
    "stack": [f"(tuple of Tensors tensors, int dim = 0, {OUT})"],
    "where": ["(Tensor condition)", f"(Tensor condition, Tensor input, Tensor other, {OUT})",
              "(Tensor condition, Number self, Tensor other)",
              "(Tensor condition, Tensor input, Number other)",
              "(Tensor condition, Number self, Number other)"],
    "reshape": ["(Tensor input, tuple of ints shape)"],
    "flatten": ["(Tensor input, int start_dim = 0, int end_dim = -1)"],
    "squeeze": ["(Tensor input)", "(Tensor input, int dim)", "(Tensor input, tuple of ints dim)"],
    "unsqueeze": ["(Tensor input, int dim)"],
    "permute": ["(Tensor input, tuple of ints dims)"],
    "transpose": ["(Tensor input, int dim0, int dim1)"],
    "flip": ["(Tensor input, tuple of ints dims)"],
    "chunk": ["(Tensor input, int chunks, int dim = 0)"],
    "unsafe_chunk": ["(Tensor input, int chunks, int dim = 0)"],
    "tril": [f"(Tensor input, int diagonal = 0, {OUT})"],
    "triu": [f"(Tensor input, int diagonal = 0, {OUT})"],
    "diag": [f"(Tensor input, int diagonal = 0, {OUT})"],
    "softmax": [f"(Tensor input, int dim, torch.dtype? dtype = None, {OUT})"],
    "log_softmax": [f"(Tensor input, int dim, torch.dtype? dtype = None, {OUT})"],
    "isclose": CLOSE,
    "allclose": CLOSE,
    "equal": ["(Tensor input, Tensor other)"],
    "clamp_max": [f"(Tensor input, Tensor max, {OUT})", f"(Tensor input, Number max, {OUT})"],
    "masked_fill": ["(Tensor input, Tensor mask, Tensor value)",
                    "(Tensor input, Tensor mask, Number value)"],
    "narrow": ["(Tensor input, int dim, Tensor start, int length)",
               "(Tensor input, int dim, int start, int length)"],
    "select": ["(Tensor input, int dim, int index)"],
    "index_select": [f"(Tensor input, int dim, Tensor index, {OUT})"],
    "roll": ["(Tensor input, tuple of ints[1] shifts, tuple of ints[1]? dims = [])"],
    "tile": ["(Tensor input, tuple of ints dims)"],
    **{name: ["(Tensor input, int source, int destination)",
              "(Tensor input, tuple of ints source, tuple of ints destination)"]
       for name in ("movedim", "moveaxis")},
    "swapaxes": ["(Tensor input, int axis0, int axis1)"],
    "swapdims": ["(Tensor input, int dim0, int dim1)"],
    "unflatten": ["(Tensor input, int dim, tuple of ints sizes)"],
    "broadcast_to": ["(Tensor input, tuple of ints size)"],
    "diagonal": ["(Tensor input, int offset = 0, int dim1 = 0, int dim2 = 1)"],
    "nonzero": [f"(Tensor input, *, bool as_tuple = False, {OUT[3:]})"],
    "argwhere": ["(Tensor input)"],
    "count_nonzero": ["(Tensor input, int? dim = None)", "(Tensor input, tuple of ints dim)"],
    "diff": ["(Tensor input, int n = 1, int dim = -1, Tensor? prepend = None, "
             f"Tensor? append = None, {OUT})"],
    "hardshrink": [f"(Tensor input, Number lambd = 0.5, {OUT})"],
    "threshold": [f"(Tensor input, Number threshold, Number value, {OUT})"],
    "threshold_": ["(Tensor input, Number threshold, Number value)"],
    **{name: ["(Tensor input)"] for name in ("selu", "selu_")},
    **{name: ["(Tensor input, Number alpha = 1.0)"] for name in ("celu", "celu_")},
}

# Tensor methods: the same overloads without `self`.
NEW = ("*, torch.dtype? dtype = None, torch.layout? layout = None, torch.device? device = None, "
       "bool? pin_memory = False, bool? requires_grad = False")
NO_ARGUMENTS = frozenset("""
    neg abs exp log log2 log10 sqrt square reciprocal sin cos tan tanh sigmoid relu sign floor
    ceil t isnan isinf isfinite signbit trunc frac trunc_ frac_ neg_ abs_ exp_ log_ sqrt_ sin_
    cos_ sigmoid_ tanh_ relu_ detach detach_
    zero_ retain_grad dim numel nelement is_floating_point item tolist
    atan asin acos sinh cosh log1p expm1 rsqrt erf atan_ asin_ acos_ sinh_ cosh_ log1p_ expm1_
    rsqrt_ erf_
""".split())
M_ALPHA = ["(Tensor other, *, Number alpha = 1)", "hidden (Number alpha, Tensor other)"]
M_STD_VAR = ["(tuple of ints[1]? dim, bool unbiased = True, bool keepdim = False)",
             "(tuple of ints[1]? dim = None, *, Number? correction = None, bool keepdim = False)",
             "(bool unbiased = True)"]
M_CLAMP = ["(Tensor? min = None, Tensor? max = None)", "(Number? min = None, Number? max = None)"]
M_OTHER = ["(Tensor other)", "(Number other)"]
M_DIV = ["(Tensor other)", "(Tensor other, *, str? rounding_mode)",
         "(Number other, *, str? rounding_mode)"]
M_REDUCE = ["(*, torch.dtype? dtype = None)",
            "(tuple of ints[1]? dim, bool keepdim = False, *, torch.dtype? dtype = None)"]
M_FORMAT = ["(*, torch.memory_format? memory_format = None)"]
M_CLOSE = ["(Tensor other, float rtol = 1e-05, float atol = 1e-08, bool equal_nan = False)"]

TENSOR: dict[str, list[str]] = {
    **{name: M_ALPHA for name in ("add", "sub", "add_", "sub_")},
    **{name: ["(Tensor other)"] for name in ("mul", "mul_", "maximum", "minimum", "matmul",
                                             "equal", "view_as", "reshape_as", "expand_as",
                                             "type_as")},
    **{name: M_DIV for name in ("div", "div_")},
    **{name: M_OTHER for name in ("eq", "ne", "lt", "le", "gt", "ge", "floor_divide",
                                  "floor_divide_", "remainder", "remainder_")},
    **{name: ["(Tensor exponent)", "(Number exponent)"] for name in ("pow", "pow_")},
    **{name: M_CLAMP for name in ("clamp", "clip", "clamp_", "clip_")},
    **{name: ["(Tensor min)", "(Number min)"] for name in ("clamp_min", "clamp_min_")},
    **{name: ["(Tensor mask, Tensor value)", "(Tensor mask, Number value)"]
       for name in ("masked_fill", "masked_fill_")},
    **{name: M_FORMAT for name in ("float", "double", "long", "int", "bool", "half", "clone",
                                   "contiguous", "is_contiguous")},
    "round": ["()", "(*, int decimals)"],
    "sum": M_REDUCE,
    "mean": M_REDUCE,
    "prod": ["(*, torch.dtype? dtype = None)",
             "(int dim, bool keepdim = False, *, torch.dtype? dtype = None)"],
    "max": ["()", "(Tensor other)", "(int dim, bool keepdim = False)"],
    "min": ["()", "(Tensor other)", "(int dim, bool keepdim = False)"],
    "std": M_STD_VAR,
    "var": M_STD_VAR,
    **{name: ["()", "(tuple of ints? dim = None, bool keepdim = False)",
              "(int dim, bool keepdim = False)"] for name in ("any", "all")},
    "argmax": ["(int? dim = None, bool keepdim = False)"],
    **{name: ["(*, bool stable, int dim = -1, bool descending = False)",
              "(int dim = -1, bool descending = False)"] for name in ("sort", "argsort")},
    "topk": ["(int k, int dim = -1, bool largest = True, bool sorted = True)"],
    "multinomial": ["(int num_samples, bool replacement = False, *, "
                    "torch.Generator? generator = None)"],
    "gather": ["(int dim, Tensor index, *, bool sparse_grad = False)"],
    "argmin": ["(int? dim = None, bool keepdim = False)"],
    **{name: ["(int dim, *, torch.dtype? dtype = None)"] for name in ("cumsum", "cumprod")},
    "logsumexp": ["(tuple of ints[1] dim, bool keepdim = False)"],
    **{name: ["(tuple of ints[1]? dim = [], bool keepdim = False)"] for name in ("amax", "amin")},
    "mm": ["(Tensor mat2)"],
    "bmm": ["(Tensor mat2)"],
    "mv": ["(Tensor vec)"],
    "dot": ["(Tensor tensor)"],
    "outer": ["(Tensor vec2)"],
    "isclose": M_CLOSE,
    "allclose": M_CLOSE,
    "reshape": ["(tuple of ints shape)"],
    "view": ["(torch.dtype dtype)", "(tuple of ints size)"],
    "flatten": ["(int start_dim = 0, int end_dim = -1)"],
    "squeeze": ["()", "(int dim)", "(tuple of ints dim)"],
    "unsqueeze": ["(int dim)"],
    "permute": ["(tuple of ints dims)"],
    "transpose": ["(int dim0, int dim1)"],
    "flip": ["(tuple of ints dims)"],
    "chunk": ["(int chunks, int dim = 0)"],
    "unsafe_chunk": ["(int chunks, int dim = 0)"],
    "tril": ["(int diagonal = 0)"],
    "triu": ["(int diagonal = 0)"],
    "diag": ["(int diagonal = 0)"],
    "expand": ["(tuple of ints size, *, bool implicit = False)"],
    "repeat": ["(tuple of ints repeats)"],
    "softmax": ["(int dim, torch.dtype? dtype = None)"],
    "log_softmax": ["(int dim, torch.dtype? dtype = None)"],
    "where": ["(Tensor condition, Tensor other)", "(Tensor condition, Number other)"],
    "to": ["(torch.device? device = None, torch.dtype? dtype = None, bool non_blocking = False, "
           "bool copy = False, *, torch.memory_format? memory_format = None)",
           "(torch.dtype dtype, bool non_blocking = False, bool copy = False, *, "
           "torch.memory_format? memory_format = None)",
           "(Tensor tensor, bool non_blocking = False, bool copy = False, *, "
           "torch.memory_format? memory_format = None)"],
    "fill_": ["(Tensor value)", "(Number value)"],
    "copy_": ["(Tensor other, bool non_blocking = False)", "hidden (never _)"],
    "requires_grad_": ["(bool requires_grad = True)"],
    "size": ["(int? dim = None)"],
    "numpy": ["(*, bool force = False)"],
    **{name: ["(Tensor max)", "(Number max)"] for name in ("clamp_max", "clamp_max_")},
    "narrow": ["(int dim, Tensor start, int length)", "(int dim, int start, int length)"],
    "select": ["(int dim, int index)"],
    "index_select": ["(int dim, Tensor index)"],
    "roll": ["(tuple of ints[1] shifts, tuple of ints[1]? dims = [])"],
    "tile": ["(tuple of ints dims)"],
    **{name: ["(int source, int destination)",
              "(tuple of ints source, tuple of ints destination)"]
       for name in ("movedim", "moveaxis")},
    "swapaxes": ["(int axis0, int axis1)"],
    "swapdims": ["(int dim0, int dim1)"],
    "broadcast_to": ["(tuple of ints size)"],
    "diagonal": ["(int offset = 0, int dim1 = 0, int dim2 = 1)"],
    "count_nonzero": ["(int? dim = None)", "(tuple of ints dim)"],
    "diff": ["(int n = 1, int dim = -1, Tensor? prepend = None, Tensor? append = None)"],
    "hardshrink": ["(Number lambd = 0.5)"],
    "xlogy": ["(Tensor other)", "(Number other)"],
    **{name: ["(Tensor end, Tensor weight)", "(Tensor end, Number weight)"]
       for name in ("lerp", "lerp_")},
    **{name: ["(int dim, Tensor index, Tensor src)"] for name in ("scatter_add", "scatter_add_")},
    **{name: ["(float? nan = None, float? posinf = None, float? neginf = None)"]
       for name in ("nan_to_num", "nan_to_num_")},
    "masked_select": ["(Tensor mask)"],
    **{name: ["(int dim, Tensor index, Tensor src)",
              "(int dim, Tensor index, Tensor src, *, str reduce)",
              "(int dim, Tensor index, Number value)",
              "(int dim, Tensor index, Number value, *, str reduce)"]
       for name in ("scatter", "scatter_")},
    **{name: ["(int dim, Tensor index, Tensor source, *, Number alpha = 1)"]
       for name in ("index_add", "index_add_")},
    **{name: ["(Tensor tensor1, Tensor tensor2, *, Number value = 1)",
              "hidden (Number value, Tensor tensor1, Tensor tensor2)"]
       for name in ("addcmul", "addcdiv", "addcmul_", "addcdiv_")},
    **{name: [f"(tuple of ints size, {NEW})"]
       for name in ("new_zeros", "new_ones", "new_empty")},
    "new_full": [f"(tuple of ints size, Number fill_value, {NEW})"],
    "new_tensor": ["(object data, *, torch.dtype? dtype = None, torch.device? device = None, "
                   "bool requires_grad = False)"],
}

# The C++ functions behind torch.nn.functional.
NN: dict[str, list[str]] = {
    "linear": ["(Tensor input, Tensor weight, Tensor? bias = None, *, Tensor? out = None)"],
    "gelu": ["(Tensor input, *, str approximate = none, Tensor? out = None)"],
    "silu": ["(Tensor input, *, Tensor? out = None)"],
    "log_sigmoid": ["(Tensor input, *, Tensor? out = None)"],
    "silu_": ["(Tensor input)"],
    "leaky_relu": ["(Tensor input, Number negative_slope = 0.01, *, Tensor? out = None)"],
    "leaky_relu_": ["(Tensor input, Number negative_slope = 0.01)"],
    "softplus": ["(Tensor input, Number beta = 1, Number threshold = 20, *, "
                 "Tensor? out = None)"],
    "one_hot": ["(Tensor input, int num_classes = -1)"],
    "relu_": ["(Tensor input)"],
    "cross_entropy_loss": ["(Tensor input, Tensor target, Tensor? weight = None, "
                           "int reduction = 1, int ignore_index = -100, "
                           "float label_smoothing = 0.0)"],
    "nll_loss_nd": ["(Tensor input, Tensor target, Tensor? weight = None, int reduction = 1, "
                    "int ignore_index = -100)"],
    "mse_loss": ["(Tensor input, Tensor target, int reduction = 1, *, Tensor? out = None)"],
    "l1_loss": ["(Tensor input, Tensor target, int reduction = 1)"],
    "binary_cross_entropy": ["(Tensor input, Tensor target, Tensor? weight = None, "
                             "int reduction = 1, *, Tensor? out = None)"],
    "binary_cross_entropy_with_logits": ["(Tensor input, Tensor target, Tensor? weight = None, "
                                         "Tensor? pos_weight = None, int reduction = 1)"],
    "elu": ["(Tensor input, Number alpha = 1, Number scale = 1, Number input_scale = 1, *, "
            "Tensor? out = None)"],
    "elu_": ["(Tensor input, Number alpha = 1, Number scale = 1, Number input_scale = 1)"],
    "hardtanh": [f"(Tensor input, Number min_val = -1, Number max_val = 1, {OUT})"],
    "hardtanh_": ["(Tensor input, Number min_val = -1, Number max_val = 1)"],
    **{name: ["(Tensor input)"] for name in ("relu6", "relu6_")},
    "threshold": [f"(Tensor input, Number threshold, Number value, {OUT})"],
    "threshold_": ["(Tensor input, Number threshold, Number value)"],
    **{name: [f"(Tensor input, Number lambd = 0.5, {OUT})"]
       for name in ("hardshrink", "softshrink")},
    "pad": ["(Tensor input, tuple of ints pad, str mode = \"constant\", float? value = None)"],
    "linalg_matrix_norm": ["(Tensor input, Number ord, tuple of ints dim = {-2,-1}, "
                           "bool keepdim = False, *, torch.dtype? dtype = None, "
                           "Tensor? out = None)",
                           "(Tensor input, str ord = \"fro\", tuple of ints dim = {-2,-1}, "
                           "bool keepdim = False, *, torch.dtype? dtype = None, "
                           "Tensor? out = None)"],
    "linalg_vector_norm": ["(Tensor input, Number ord = 2, tuple of ints[1]? dim = None, "
                           "bool keepdim = False, *, torch.dtype? dtype = None, "
                           "Tensor? out = None)"],
}

# Making tensors (torch.zeros …): the keyword arguments every factory takes.
FACTORY = ("*, Tensor? out = None, torch.dtype? dtype = None, torch.layout? layout = None, "
           "torch.device? device = None, bool pin_memory = False, bool requires_grad = False")
LIKE = ("*, torch.memory_format? memory_format = None, torch.dtype? dtype = None, "
        "torch.layout? layout = None, torch.device? device = None, bool pin_memory = False, "
        "bool requires_grad = False")
GENERATED = FACTORY.replace("*, ", "*, torch.Generator generator, ", 1)
EMPTY = FACTORY.replace("*, ", "*, torch.memory_format? memory_format = None, ", 1)
CREATION: dict[str, list[str]] = {
    "zeros": [f"(tuple of ints size, {FACTORY})"],
    "ones": [f"(tuple of ints size, {FACTORY})"],
    "empty": [f"(tuple of ints size, {EMPTY})"],
    "full": [f"(tuple of ints size, Number fill_value, {FACTORY})"],
    "eye": [f"(int n, {FACTORY})", f"(int n, int m, {FACTORY})"],
    "arange": [f"(Number end, {FACTORY})",
               f"(Number start, Number end, {FACTORY.replace('Tensor? out = None, ', '')})",
               f"(Number start, Number end, Number step = 1, {FACTORY})"],
    "linspace": [f"(Tensor start, Tensor end, int steps, {FACTORY})",
                 f"(Number start, Tensor end, int steps, {FACTORY})",
                 f"(Tensor start, Number end, int steps, {FACTORY})",
                 f"(Number start, Number end, int steps, {FACTORY})"],
    "rand": [f"(tuple of ints size, {GENERATED})", f"(tuple of ints size, {FACTORY})"],
    "randn": [f"(tuple of ints size, {GENERATED})", f"(tuple of ints size, {FACTORY})"],
    "randint": [f"(int high, tuple of ints size, {GENERATED})",
                f"(int high, tuple of ints size, {FACTORY})",
                f"(int low, int high, tuple of ints size, {GENERATED})",
                f"(int low, int high, tuple of ints size, {FACTORY})"],
    "randperm": [f"(int n, {GENERATED})", f"(int n, {FACTORY})"],
    "zeros_like": [f"(Tensor input, {LIKE})"],
    "ones_like": [f"(Tensor input, {LIKE})"],
    "full_like": [f"(Tensor input, Number fill_value, {LIKE})"],
    "rand_like": [f"(Tensor input, {LIKE.replace('*, ', '*, torch.Generator generator, ', 1)})",
                  f"(Tensor input, {LIKE})"],
    "randn_like": [f"(Tensor input, {LIKE.replace('*, ', '*, torch.Generator generator, ', 1)})",
                   f"(Tensor input, {LIKE})"],
    "tensor": ["(object data, *, torch.dtype? dtype = None, torch.device? device = None, "
               "bool pin_memory = False, bool requires_grad = False)"],
    "as_tensor": ["(object data, *, torch.dtype? dtype = None, torch.device? device = None)"],
}
