"""`nn.RNN`, `nn.GRU`, their cells and `nn.LSTMCell`, built from the ops PyTorch's CPU code
builds (ATen's RNN.cpp), so the graph unrolls through time as PyTorch's does. (`nn.LSTM`
itself runs through oneDNN on a CPU, in one node of its own.)

Each layer projects every step's input at once (`linear` over the whole sequence), `unbind`s
it into steps, and at each step runs the cell on the step's projection: an Elman cell adds it
in place onto `linear(hidden, w_hh, b_hh)` before tanh or relu; a GRU cell cuts both
projections into three gates with `unsafe_chunk` and combines them in place. The steps'
hidden states are `stack`ed into the output, and each layer's last one into the final hidden
state. A bidirectional layer runs a second pass over
the reversed steps and `cat`s the two outputs. With `batch_first` the input is transposed on
the way in and the output transposed in place on the way out, as PyTorch does.
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

from engine import creation, dtypes
from engine import functions as fn
from engine import op_table as ops
from engine.apply import bump_version, view_op
from engine.nn import init
from engine.nn.dropout import torch_dropout
from engine.nn.functional import linear
from engine.nn.module import Module
from engine.nn.parameter import Parameter
from engine.tensor import Tensor

_NONLINEARITIES = {"tanh": fn.tanh, "relu": fn.relu}


def _simple_cell(projected: Tensor, hidden: Tensor, w_hh: Tensor, b_hh: Tensor | None,
                 mode: str) -> Tensor:
    """SimpleCell with its input already projected: f(linear(hidden, w_hh, b_hh) += step)."""
    return _NONLINEARITIES[mode](linear(hidden, w_hh, b_hh).add_(projected))


def _gru_cell(projected: Tensor, hidden: Tensor, w_hh: Tensor, b_hh: Tensor | None,
              mode: str = "gru") -> Tensor:
    """GRUCell with its input already projected: reset, update and new gates."""
    in_reset, in_update, in_new = fn.unsafe_chunk(projected, 3, 1)
    h_reset, h_update, h_new = fn.unsafe_chunk(linear(hidden, w_hh, b_hh), 3, 1)
    reset = h_reset.add_(in_reset).sigmoid_()
    update = h_update.add_(in_update).sigmoid_()
    new = in_new.add(h_new.mul_(reset)).tanh_()
    return (hidden - new).mul_(update).add_(new)


def _layer(steps: list[Tensor], hidden: Tensor, weights: tuple, mode: str
           ) -> tuple[list[Tensor], Tensor]:
    cell = _gru_cell if mode == "gru" else _simple_cell
    outputs = []
    for step in steps:
        hidden = cell(step, hidden, weights[1], weights[3], mode)
        outputs.append(hidden)
    return outputs, hidden


def rnn(input: Tensor, hx: Tensor, weights: list[tuple], num_layers: int,  # noqa: A002
        dropout: float, train: bool, bidirectional: bool, batch_first: bool,
        mode: str) -> tuple[Tensor, Tensor]:
    """`_VF.rnn_tanh`, `_VF.rnn_relu` and `_VF.gru` on CPU (mode "tanh", "relu" or "gru"):
    (output, final hidden states)."""
    layer_input = fn.transpose(input, 0, 1) if batch_first else input
    hiddens = fn.unbind(hx, 0)
    finals = []
    directions = 2 if bidirectional else 1
    for layer in range(num_layers):
        outputs = []
        for direction in range(directions):
            params = weights[layer * directions + direction]
            projected = linear(layer_input, params[0], params[2])
            steps = list(fn.unbind(projected, 0))
            if direction:
                steps.reverse()
            step_outputs, final = _layer(steps, hiddens[layer * directions + direction], params,
                                         mode)
            if direction:
                step_outputs.reverse()
            outputs.append(fn.stack(step_outputs, 0))
            finals.append(final)
        layer_input = outputs[0] if directions == 1 else fn.cat(outputs, outputs[0].ndim - 1)
        if dropout != 0 and train and layer < num_layers - 1:
            layer_input = torch_dropout(layer_input, dropout, True)
    output = layer_input
    if batch_first:  # `transpose_`: in place, so the output's grad_fn is TransposeBackward1
        output = view_op(ops.TRANSPOSE_, output, dims=(1, 0, *range(2, output.ndim)))
        bump_version(output)
    return output, fn.stack(finals, 0)


class _RNNBase(Module):
    """What RNN and GRU share (RNNBase): their layers' parameters, checks and forward."""

    _name = "RNN"
    _gates = 1
    _unbatched_suffix = " tensor instead"

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, device: Any = None,
                 dtype: dtypes.dtype | None = None, **unknown: Any) -> None:
        if "proj_size" in unknown:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if unknown:
            raise TypeError(f"RNNBase.__init__() got an unexpected keyword argument "
                            f"'{next(iter(unknown))}'")
        super().__init__()
        self.mode = mode
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first = bias, batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = 0
        _check_options(input_size, hidden_size, num_layers, bias, batch_first, dropout)
        self._flat_weights_names: list[str] = []
        directions = 2 if bidirectional else 1
        gate_size = self._gates * hidden_size
        for layer in range(num_layers):
            for direction in range(directions):
                width = input_size if layer == 0 else hidden_size * directions
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                shapes = {"weight_ih": (gate_size, width), "weight_hh": (gate_size, hidden_size)}
                if bias:
                    shapes |= {"bias_ih": (gate_size,), "bias_hh": (gate_size,)}
                for name, shape in shapes.items():
                    setattr(self, name + suffix, Parameter(creation.empty(*shape, dtype=dtype)))
                    self._flat_weights_names.append(name + suffix)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset_uniformly(self)

    @property
    def _flat_weights(self) -> list[Tensor]:
        return [getattr(self, name) for name in self._flat_weights_names]

    def _cell_mode(self) -> str:
        return "gru"

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:  # noqa: A002
        directions = 2 if self.bidirectional else 1
        if input.ndim not in (2, 3):
            raise ValueError(f"{self._name}: Expected input to be 2D or 3D, got {input.ndim}D"
                             f"{self._unbatched_suffix}")
        batched = input.ndim == 3
        batch_dim = 0 if self.batch_first else 1
        if not batched:
            input = fn.unsqueeze(input, batch_dim)  # noqa: A001
            if hx is not None:
                if hx.ndim != 2:
                    raise RuntimeError(f"For unbatched 2-D input, hx should also be 2-D but got "
                                       f"{hx.ndim}-D tensor")
                hx = fn.unsqueeze(hx, 1)
        elif hx is not None and hx.ndim != 3:
            raise RuntimeError(f"For batched 3-D input, hx should also be 3-D but got "
                               f"{hx.ndim}-D tensor")
        batch = input.shape[0] if self.batch_first else input.shape[1]
        if hx is None:
            hx = creation.zeros(self.num_layers * directions, batch, self.hidden_size,
                                dtype=input.dtype)
        weights = self._flat_weights
        if input.dtype != weights[0].dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype "
                             f"({weights[0].dtype}). Convert input: input.to({weights[0].dtype}"
                             f"), or convert model: model.to({input.dtype})")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {input.shape[-1]}")
        expected = (self.num_layers * directions, batch, self.hidden_size)
        if tuple(hx.shape) != expected:
            raise RuntimeError(f"Expected hidden size {expected}, got {list(hx.shape)}")
        per = 4 if self.bias else 2
        grouped = [tuple(weights[i:i + per]) + ((None, None) if per == 2 else ())
                   for i in range(0, len(weights), per)]
        output, hidden = rnn(input, hx, grouped, self.num_layers, self.dropout, self.training,
                             self.bidirectional, self.batch_first, self._cell_mode())
        if not batched:
            output = fn.squeeze(output, batch_dim)
            hidden = fn.squeeze(hidden, 1)
        return output, hidden

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if self.batch_first is not False:
            text += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            text += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            text += f", bidirectional={self.bidirectional}"
        return text


class RNN(_RNNBase):
    """A multi-layer Elman RNN: h_t = f(x_t W_ihᵀ + b_ih + h_(t−1) W_hhᵀ + b_hh)."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 nonlinearity: str = "tanh", *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if nonlinearity not in _NONLINEARITIES:
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                             "'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size,
                         hidden_size, num_layers, *args, **kwargs)

    def _cell_mode(self) -> str:
        return self.nonlinearity


class GRU(_RNNBase):
    """A multi-layer gated recurrent unit: reset and update gates choose, at each step, how
    much of the last hidden state to keep and how much of a new candidate to take."""

    _name = "GRU"
    _gates = 3
    _unbatched_suffix = " instead"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("GRU", *args, **kwargs)


def _reset_uniformly(module: Module) -> None:
    """Every parameter drawn from U(−1/√hidden, 1/√hidden), in registration order."""
    stdv = 1.0 / math.sqrt(module.hidden_size) if module.hidden_size > 0 else 0
    for weight in module.parameters():
        init.uniform_(weight, -stdv, stdv)


def _check_options(input_size: Any, hidden_size: Any, num_layers: int, bias: Any,
                   batch_first: Any, dropout: Any) -> None:
    """RNNBase's checks of its constructor's arguments, with its messages."""
    if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or isinstance(
            dropout, bool):
        raise ValueError("dropout should be a number in range [0, 1] representing the "
                         "probability of an element being zeroed")
    if dropout > 0 and num_layers == 1:
        warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                      "non-zero dropout expects num_layers greater than 1, but got "
                      f"dropout={dropout} and num_layers={num_layers}", stacklevel=3)
    for name, value, kind in (("bias", bias, bool), ("batch_first", batch_first, bool),
                              ("input_size", input_size, int)):
        if not isinstance(value, kind):
            raise TypeError(f"{name} should be of type {kind.__name__}, got: "
                            f"{type(value).__name__}")
    if input_size <= 0:
        raise ValueError("input_size must be greater than zero")
    if not isinstance(hidden_size, int):
        raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
    if hidden_size <= 0:
        raise ValueError("hidden_size must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")


class _CellBase(Module):
    """What RNNCell and GRUCell share (RNNCellBase): parameters, checks and reprs."""

    _name = "RNNCell"
    _gates = 1

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: Any = None, dtype: dtypes.dtype | None = None) -> None:
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        gate_size = self._gates * hidden_size
        self.weight_ih = Parameter(creation.empty(gate_size, input_size, dtype=dtype))
        self.weight_hh = Parameter(creation.empty(gate_size, hidden_size, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(creation.empty(gate_size, dtype=dtype))
            self.bias_hh = Parameter(creation.empty(gate_size, dtype=dtype))
        else:
            self.bias_ih = self.bias_hh = None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset_uniformly(self)

    def _prepared(self, input: Tensor, hx: Tensor | None  # noqa: A002
                  ) -> tuple[Tensor, Tensor, bool]:
        """The input and hidden state as batches (a zero state by default), and whether the
        input came as one."""
        if input.ndim not in (1, 2):
            raise ValueError(f"{self._name}: Expected input to be 1D or 2D, got {input.ndim}D "
                             "instead")
        if hx is not None and hx.ndim not in (1, 2):
            raise ValueError(f"{self._name}: Expected hidden to be 1D or 2D, got {hx.ndim}D "
                             "instead")
        batched = input.ndim == 2
        if not batched:
            input = fn.unsqueeze(input, 0)  # noqa: A001
        if hx is None:
            hx = creation.zeros(input.shape[0], self.hidden_size, dtype=input.dtype)
        elif not batched:
            hx = fn.unsqueeze(hx, 0)
        return input, hx, batched

    def _check(self, input: Tensor, *states: Tensor) -> None:  # noqa: A002
        """ATen's checks of a cell's input and of its hidden states (h, and an LSTM's c)."""
        if input.shape[1] != self.weight_ih.shape[1]:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} "
                               f"expected {self.weight_ih.shape[1]}")
        for label, state in enumerate(states):
            if input.shape[0] != state.shape[0]:
                raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match "
                                   f"hidden{label} batch size {state.shape[0]}")
            if state.shape[1] != self.hidden_size:
                raise RuntimeError(f"hidden{label} has inconsistent hidden_size: got "
                                   f"{state.shape[1]}, expected {self.hidden_size}")

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text


class RNNCell(_CellBase):
    """One step of an Elman RNN: h' = f(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device: Any = None,
                 dtype: dtypes.dtype | None = None) -> None:
        super().__init__(input_size, hidden_size, bias, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:  # noqa: A002
        input, hx, batched = self._prepared(input, hx)  # noqa: A001
        if self.nonlinearity not in _NONLINEARITIES:
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        self._check(input, hx)
        # SimpleCell: linear(hx, w_hh, b_hh) is made first, then the input's projection
        hidden = linear(hx, self.weight_hh, self.bias_hh)
        out = _NONLINEARITIES[self.nonlinearity](
            hidden.add_(linear(input, self.weight_ih, self.bias_ih)))
        return out if batched else fn.squeeze(out, 0)


class GRUCell(_CellBase):
    """One step of a GRU."""

    _name = "GRUCell"
    _gates = 3

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:  # noqa: A002
        input, hx, batched = self._prepared(input, hx)  # noqa: A001
        self._check(input, hx)
        # GRUCell: the input's projection is made first, then linear(hx, w_hh, b_hh)
        out = _gru_cell(linear(input, self.weight_ih, self.bias_ih), hx, self.weight_hh,
                        self.bias_hh)
        return out if batched else fn.squeeze(out, 0)


class LSTMCell(_CellBase):
    """One step of an LSTM: input, forget, cell and output gates update the cell state c and
    the hidden state h."""

    _name = "LSTMCell"
    _gates = 4

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None  # noqa: A002
                ) -> tuple[Tensor, Tensor]:
        if input.ndim not in (1, 2):
            raise ValueError(f"LSTMCell: Expected input to be 1D or 2D, got {input.ndim}D "
                             "instead")
        for i, value in enumerate(hx or ()):
            if value.ndim not in (1, 2):
                raise ValueError(f"LSTMCell: Expected hx[{i}] to be 1D or 2D, got "
                                 f"{value.ndim}D instead")
        batched = input.ndim == 2
        if not batched:
            input = fn.unsqueeze(input, 0)  # noqa: A001
        if hx is None:
            zeros = creation.zeros(input.shape[0], self.hidden_size, dtype=input.dtype)
            hx = (zeros, zeros)
        elif not batched:
            hx = (fn.unsqueeze(hx[0], 0), fn.unsqueeze(hx[1], 0))
        if len(hx) != 2:
            raise RuntimeError("lstm_cell expects two hidden states")
        h, c = hx
        self._check(input, h, c)
        # ATen's LSTMCell: linear(h, w_hh, b_hh) is made first, the input's projection added
        gates = linear(h, self.weight_hh, self.bias_hh).add_(
            linear(input, self.weight_ih, self.bias_ih))
        in_gate, forget_gate, cell_gate, out_gate = fn.unsafe_chunk(gates, 4, 1)
        in_gate = in_gate.sigmoid_()
        forget_gate = forget_gate.sigmoid_()
        cell_gate = cell_gate.tanh_()
        out_gate = out_gate.sigmoid_()
        c_next = (forget_gate * c).add_(in_gate * cell_gate)
        h_next = out_gate * fn.tanh(c_next)
        if batched:
            return h_next, c_next
        return fn.squeeze(h_next, 0), fn.squeeze(c_next, 0)
