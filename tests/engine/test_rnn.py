"""nn.RNN, nn.GRU, their cells and nn.LSTMCell against PyTorch: the graph PyTorch's CPU code
unrolls (linear, unbind, add_, tanh or relu, gates cut by unsafe_chunk and combined in place,
stack, the in-place transpose of batch_first), values and gradients bit for bit, parameter names and
initial values, reprs and errors."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from tests.engine.parity import CHAIN, observe

torch = pytest.importorskip("torch")


SNIPPETS = {
    "an RNN, its parameters and its graph": CHAIN + (
        "T.manual_seed(0); m=T.nn.RNN(3,4); x=T.linspace(-1.,1.,30).reshape(5,2,3)"
        ".requires_grad_(); out,h=m(x); (out*out).sum().backward(); "
        "out_=[m, [n for n,_ in m.named_parameters()], m.weight_hh_l0, out, h, x.grad, "
        "m.weight_hh_l0.grad, m.bias_ih_l0.grad, chain(out), chain(h)]; out=out_"),
    "two layers, both directions, batch first": CHAIN + (
        "T.manual_seed(1); m=T.nn.RNN(3,4,2,batch_first=True,bidirectional=True); "
        "x=T.linspace(-1.,1.,24).reshape(2,4,3).requires_grad_(); h0=T.ones(4,2,4)*0.1; "
        "out,h=m(x,h0); (out*out).sum().backward(); "
        "out_=[m, [n for n,_ in m.named_parameters()], out, h, x.grad, "
        "m.weight_ih_l1_reverse.grad, chain(out), out._version]; out=out_"),
    "relu, no bias, unbatched": CHAIN + (
        "T.manual_seed(2); m=T.nn.RNN(3,4,nonlinearity='relu',bias=False); "
        "x=T.linspace(-1.,1.,12).reshape(4,3).requires_grad_(); out,h=m(x); "
        "out.sum().backward(); out_=[m, out, h, x.grad, chain(out), list(m.state_dict())]; "
        "out=out_"),
    "dropout between layers": (
        "T.manual_seed(3); m=T.nn.RNN(3,4,2,dropout=0.5); x=T.ones(3,2,3); out,h=m(x); "
        "m.eval(); out2,_=m(x); out_=[m, out, h, out2]; out=out_"),
    "an RNN cell unrolled by hand": CHAIN + (
        "T.manual_seed(4); c=T.nn.RNNCell(3,4); xs=T.linspace(-1.,1.,18).reshape(3,2,3); "
        "h=T.zeros(2,4); hs=[]\n"
        "for x in xs:\n"
        "    h=c(x,h); hs.append(h)\n"
        "T.stack(hs).pow(2).sum().backward(); out=[c, h, c.weight_hh.grad, c.bias_hh.grad, "
        "chain(h), T.nn.RNNCell(3,4,bias=False,nonlinearity='relu'), "
        "c(T.ones(3)), c(T.ones(3), T.ones(4))]"),
    "the default hidden state": (
        "T.manual_seed(5); m=T.nn.RNN(2,3); out,h=m(T.ones(4,1,2)); "
        "c=T.nn.RNNCell(2,3); out_=[h, c(T.ones(1,2))]; out=out_"),
    "a GRU, its parameters and its graph": CHAIN + (
        "T.manual_seed(8); m=T.nn.GRU(3,4,2,batch_first=True,bidirectional=True); "
        "x=T.linspace(-1.,1.,24).reshape(2,4,3).requires_grad_(); out,h=m(x); "
        "(out*out).sum().backward(); out_=[m, [n for n,_ in m.named_parameters()], "
        "m.weight_hh_l0.shape, out, h, x.grad, m.bias_hh_l1_reverse.grad, chain(out), "
        "chain(h)]; out=out_"),
    "a GRU cell, and unsafe_chunk's shared memory": CHAIN + (
        "T.manual_seed(9); c=T.nn.GRUCell(3,4); x=T.linspace(-1.,1.,6).reshape(2,3); "
        "h=c(x); h=c(x,h); h.sum().backward(); "
        "y=T.arange(6.).reshape(2,3).requires_grad_()*1; a,b,d=y.unsafe_chunk(3,1); "
        "a.sigmoid_(); b.mul_(2); out=[c, h, c.weight_ih.grad, chain(h), c(T.ones(3)), "
        "T.nn.GRUCell(3,4,bias=False), y, y._version, a.grad_fn.name(), b.grad_fn.name(), "
        "d.grad_fn.name()]"),
    "an LSTM cell unrolled by hand": CHAIN + (
        "T.manual_seed(10); c=T.nn.LSTMCell(3,4); xs=T.linspace(-1.,1.,18).reshape(3,2,3); "
        "h=s=T.zeros(2,4)\n"
        "for x in xs:\n"
        "    h,s=c(x,(h,s))\n"
        "(h*h).sum().backward(); out=[c, [n for n,_ in c.named_parameters()], h, s, "
        "c.weight_hh.grad, c.bias_ih.grad, chain(h), chain(s), c(T.ones(3)), "
        "T.nn.LSTMCell(3,4,bias=False)]"),
    "LSTM cell state of the wrong width": (
        "T.nn.LSTMCell(3,4)(T.ones(2,3),(T.ones(2,4),T.ones(2,5)))"),
    "LSTM cell hidden of three dims": (
        "T.nn.LSTMCell(3,4)(T.ones(2,3),(T.ones(2,4,1),T.ones(2,4)))"),
    "GRU input of four dims": "T.nn.GRU(3,4)(T.ones(5,2,3,1))",
    "GRU cell input of three dims": "T.nn.GRUCell(3,4)(T.ones(2,3,1))",
    "GRU proj_size": "T.nn.GRU(3,4,proj_size=2)",
    "input of the wrong width": "T.nn.RNN(3,4)(T.ones(5,2,4))",
    "input of four dims": "T.nn.RNN(3,4)(T.ones(5,2,3,1))",
    "hidden state of the wrong size": "T.nn.RNN(3,4)(T.ones(5,2,3), T.ones(1,3,4))",
    "2-d hidden state for a batch": "T.nn.RNN(3,4)(T.ones(5,2,3), T.ones(3,4))",
    "3-d hidden state without a batch": "T.nn.RNN(3,4)(T.ones(5,3), T.ones(1,1,4))",
    "float64 input, float32 weights": "T.nn.RNN(3,4)(T.ones(5,2,3,dtype=T.float64))",
    "an unknown nonlinearity": "T.nn.RNN(3,4,nonlinearity='gelu')",
    "proj_size": "T.nn.RNN(3,4,proj_size=2)",
    "dropout out of range": "T.nn.RNN(3,4,2,dropout=1.5)",
    "dropout with one layer": "T.nn.RNN(3,4,dropout=0.2)",
    "no layers": "T.nn.RNN(3,4,0)",
    "cell input of the wrong width": "T.nn.RNNCell(3,4)(T.ones(2,5))",
    "cell batch sizes that differ": "T.nn.RNNCell(3,4)(T.ones(2,3), T.ones(3,4))",
    "cell hidden of the wrong width": "T.nn.RNNCell(3,4)(T.ones(2,3), T.ones(2,5))",
    "cell input of three dims": "T.nn.RNNCell(3,4)(T.ones(2,3,1))",
    "cell with an unknown nonlinearity": "T.nn.RNNCell(3,4,nonlinearity='gelu')(T.ones(3))",
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind,options", [
    ("RNN", {}), ("RNN", {"num_layers": 3}), ("RNN", {"bidirectional": True}),
    ("RNN", {"batch_first": True, "nonlinearity": "relu"}), ("GRU", {}),
    ("GRU", {"num_layers": 2, "bidirectional": True, "batch_first": True})])
def test_values_and_gradients_are_bit_for_bit(kind: str, options: dict, dtype: type) -> None:
    """A longer sequence of wider states, where the products and their sums have many terms."""
    rng = np.random.default_rng(6)
    values = rng.standard_normal((2, 12, 9) if options.get("batch_first") else (12, 2, 9))
    upstream = rng.standard_normal((*values.shape[:2], 20 * (1 + options.get("bidirectional",
                                                                               False))))
    seen = []
    for lib in (torch, engine):
        lib.manual_seed(7)
        m = getattr(lib.nn, kind)(9, 20, **options)
        if dtype is np.float64:
            m = m.double()
        x = lib.tensor(values.astype(dtype), requires_grad=True)
        out, h = m(x)
        (out * lib.tensor(upstream.astype(dtype))).sum().backward()
        seen.append([out.detach().numpy().tobytes(), h.detach().numpy().tobytes(),
                     x.grad.numpy().tobytes()] + [p.grad.numpy().tobytes()
                                                  for p in m.parameters()])
    assert seen[0] == seen[1]
