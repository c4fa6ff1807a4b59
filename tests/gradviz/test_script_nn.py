"""Scripts that use `torch.nn` modules and `torch.optim.SGD`: what they print is what PyTorch
prints, their parameters are named as the script reaches them, and each card shows the values
the graph read even after `optimizer.step()` changed them."""

from __future__ import annotations

import contextlib
import io
import textwrap

import pytest

from gradviz.graph.infos import CHANGED_LATER_HINT
from gradviz.graph.model import GraphModel
from gradviz.panels.node_facts import _tensor_facts
from gradviz.script import run_script
from tests.engine.parity import roots_modelled

TRAINING = textwrap.dedent("""\
    import torch
    import torch.nn as nn
    from torch import optim

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = nn.MSELoss()
    x = torch.tensor([[1.0, 2.0], [0.5, -1.0]])
    target = torch.tensor([[1.0], [0.0]])
    for epoch in range(3):
        optimizer.zero_grad()
        prediction = model(x)
        loss = loss_fn(prediction, target)
        loss.backward()
        optimizer.step()
        print(epoch, loss.item())
    print(model)
    print(model[0].weight.grad)
    print(model[2].bias)
    print(optimizer)
""")

ONE_STEP = textwrap.dedent("""\
    import torch
    from torch import nn

    torch.manual_seed(0)
    layer = nn.Linear(2, 1)
    x = torch.tensor([[1.0, 2.0]])
    loss = layer(x).sum()
    loss.backward()
    with torch.no_grad():
        before = layer.bias.clone()
    torch.optim.SGD(layer.parameters(), lr=0.5).step()
""")


def _pytorch_prints(source: str) -> str:
    torch = pytest.importorskip("torch")
    del torch
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "script.py", "exec"), {})  # noqa: S102 - our own test script
    return out.getvalue()


def test_torch_linalg_vector_norm_is_there() -> None:
    source = ("import torch\nfrom torch import linalg\nx = torch.tensor([3.0, 4.0], "
              "requires_grad=True)\nn = torch.linalg.vector_norm(x)\nn.backward()\n"
              "print(n, linalg.vector_norm(x, 1), x.grad)\n")
    run = run_script(source, "norm.py")
    assert run.error is None, run.error
    assert run.output == _pytorch_prints(source)


def test_a_training_loop_prints_what_pytorch_prints() -> None:
    run = run_script(TRAINING, "training.py")
    assert run.error is None, run.error
    assert run.output == _pytorch_prints(TRAINING)


FIT_A_LINE = textwrap.dedent("""\
    import torch

    xs = torch.tensor([1.0, 2.0, 3.0, 4.0])
    ys = torch.tensor([3.0, 5.0, 7.0, 9.0])
    w = torch.tensor(0.0, requires_grad=True)
    b = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.{optimizer}([w, b], lr=0.1)
    for step in range(20):
        optimizer.zero_grad()
        loss = ((w * xs + b - ys) ** 2).mean()
        loss.backward()
        optimizer.step()
        print(step, loss.item(), w.item(), b.item())
    print(optimizer)
    print(optimizer.state[w])
    print(torch.optim.AdamW([w], lr=0.01))
""")


@pytest.mark.parametrize("optimizer", ["Adam", "Adagrad"])
def test_adam_and_adagrad_fit_a_line_printing_every_digit_pytorch_prints(optimizer: str
                                                                         ) -> None:
    torch = pytest.importorskip("torch")
    if not roots_modelled(torch):
        pytest.skip("PyTorch's float32 sqrt on this CPU comes from an MKL kernel gradviz does "
                    "not model")
    script = FIT_A_LINE.replace("{optimizer}", optimizer)
    run = run_script(script, "fit.py")
    assert run.error is None, run.error
    assert run.output == _pytorch_prints(script)


def test_parameters_are_named_as_the_script_reaches_them() -> None:
    run = run_script(TRAINING, "training.py")
    labels = {data["label"] for _, data in run.graph.nodes(data=True)
              if data["kind"] == "tensor"}
    assert {"model[0].weight", "model[0].bias", "model[2].weight", "model[2].bias",
            "x", "target", "prediction", "loss"} <= labels
    assert "model[0](x)" in labels  # what the first layer returned
    assert "model[0].weight.T" in labels  # the transposed weight inside Linear


def test_each_version_of_a_tensor_written_in_place_inside_a_layer_is_named_by_its_op() -> None:
    """An RNN cell adds the input's projection in place onto linear(h): the card before the
    write is what addmm made, the card after it what add made."""
    run = run_script(textwrap.dedent("""\
        import torch
        cell = torch.nn.RNNCell(1, 2)
        h = cell(torch.ones(1, 1), torch.zeros(1, 2))
        h.sum().backward()
    """), "cell.py")
    assert run.error is None, run.error
    made_by = {data["label"]: data["obj"].grad_fn.name() for _, data in run.graph.nodes(data=True)
               if data["kind"] == "tensor" and data["label"].startswith("cell: ")}
    assert made_by == {"cell: addmm": "AddmmBackward0", "cell: add": "AddBackward0"}
    labels = [data["label"] for _, data in run.graph.nodes(data=True)
              if data["kind"] == "tensor"]
    assert labels.count("cell: addmm") == 2 and labels.count("cell: add") == 1


def test_a_layer_in_its_own_variable_keeps_that_name() -> None:
    run = run_script(textwrap.dedent("""\
        import torch
        hidden = torch.nn.Linear(2, 2)
        model = torch.nn.Sequential(hidden, torch.nn.Tanh())
        y = model(torch.ones(1, 2)).sum()
    """), "script.py")
    assert run.error is None, run.error
    assert {"hidden.weight", "hidden.bias"} <= {t.name for t in run.created}


def test_a_card_shows_the_values_its_graph_read_before_the_optimizer_step() -> None:
    run = run_script(ONE_STEP, "step.py")
    assert run.error is None, run.error
    model = GraphModel(run)
    (key,) = model.find("layer.bias")
    bias = run.tensors["before"]
    assert model.value(key).tolist() == bias.tolist()  # not the value after step()
    assert model.nodes[key].hint == CHANGED_LATER_HINT
    assert "changed in place afterwards" in model.value_text(key)
    (weight,) = model.find("layer.weight")
    assert model.grad_value(weight, len(run.steps)) is not None
    facts = _tensor_facts(run, model.flow, model.tensor(key), len(run.steps))
    assert facts.values.tolist() == bias.tolist()  # the inspector agrees with the card
    assert "changed in place afterwards" in facts.value_note


@pytest.mark.parametrize(("source", "message"), [
    ("import torch\ntorch.optim.LBFGS", "AttributeError: module 'torch.optim' has no "
                                        "attribute 'LBFGS'"),
    ("import torch\ntorch.nn.Linear(2, 3).foo", "AttributeError: 'Linear' object has no "
                                                "attribute 'foo'"),
    ("import torch\ntorch.nn.ReLU().weight", "AttributeError: 'ReLU' object has no attribute "
                                             "'weight'"),
    ("import torch\ntorch.nn.Linear(2, 3)._parameters", "not allowed: attribute '_parameters'"),
    ("import torch.optim.swa_utils", "not allowed: import of 'torch.optim.swa_utils'"),
    ("from torch.optim.lr_scheduler import OneCycleLR", "ImportError: cannot import name "
                                                        "'OneCycleLR'"),
])
def test_what_is_not_there_is_refused_clearly(source: str, message: str) -> None:
    run = run_script(source, "script.py")
    assert run.error is not None
    assert run.error.message.startswith(message), run.error.message
    assert run.error.line == source.count("\n") + 1


KNOWN_WEIGHTS = textwrap.dedent("""\
    import torch
    import torch.nn as nn

    layer = nn.Linear(2, 1)
    layer.weight = nn.Parameter(torch.tensor([[0.5, -1.0]]))
    layer.bias = nn.Parameter(torch.tensor([0.1]))
    print(layer.state_dict())
    y = layer(torch.tensor([[1.0, 2.0]]))
    y.sum().backward()
    print(layer.weight.grad, layer.bias.grad)
    saved = layer.state_dict()
    print(layer.load_state_dict(saved))
    print(layer.load_state_dict({"weight": torch.ones(1, 2)}, strict=False))
""")


def test_a_layer_takes_known_weights_and_saves_and_loads_them_as_in_pytorch() -> None:
    run = run_script(KNOWN_WEIGHTS, "weights.py")
    assert run.error is None, run.error
    assert run.output == _pytorch_prints(KNOWN_WEIGHTS)
    assert {"layer.weight", "layer.bias"} <= {t.name for t in run.created}


@pytest.mark.parametrize(("line", "message"), [
    ("layer.weight = torch.ones(1, 2)", "TypeError: cannot assign 'torch.FloatTensor' as "
                                        "parameter 'weight' (torch.nn.Parameter or None "
                                        "expected)"),
    ("layer.load_state_dict({'weight': torch.ones(2, 2), 'bias': torch.ones(1)})",
     "RuntimeError: Error(s) in loading state_dict for Linear:\n\tsize mismatch for weight"),
    ("layer.in_features = 3", "not allowed: setting attribute 'in_features' of a Linear"),
    ("layer.parameters = 3", "not allowed: setting 'parameters' of a Linear"),
])
def test_what_a_layer_does_not_take_is_refused(line: str, message: str) -> None:
    run = run_script(f"import torch\nlayer = torch.nn.Linear(2, 1)\n{line}\n", "script.py")
    assert run.error is not None
    assert run.error.message.startswith(message), run.error.message
    assert run.error.line == 3



def test_an_attention_head_with_a_buffer_names_its_mask() -> None:
    """"Let's build GPT"'s Head (the bundled example, which prints PyTorch's output, as every
    example does): its causal mask, kept with register_buffer, is named by its path, as a
    parameter is."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "resources" / "examples" / "attention_head.py"
    run = run_script(example.read_text(), "attention_head.py")
    assert run.error is None, run.error
    assert {"head.tril", "head.key.weight"} <= {t.name for t in run.created}
