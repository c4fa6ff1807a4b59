"""The lines tutorials open and close with run as they do in PyTorch built for the CPU:
`torch.device`, `torch.cuda.is_available()`, `.to(device)`, `if __name__ == "__main__":`,
`"{:.4f}".format(loss)`, `next(model.parameters())`, `map`, `filter`, `set`, `type(x)`."""

from __future__ import annotations

import contextlib
import io
import textwrap

import pytest

from gradviz.script import run_script

BOILERPLATE = textwrap.dedent("""\
    import torch
    import torch.nn as nn

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    print(device, repr(device), device.type, torch.cuda.device_count())


    def main():
        model = nn.Linear(2, 1).to(device)
        x = torch.ones(3, 2).to(device)
        loss = model(x).sum()
        loss.backward()
        shapes = list(map(lambda p: p.shape, model.parameters()))
        print(shapes, next(model.parameters()).shape, model.cpu() is model)
        print("loss: {:.4f}, {} tensors, {name!r}".format(loss.item(), len(shapes), name="lin"))
        print(set([1, 2, 2, 3]), list(filter(lambda v: v > 1, [1, 2, 3])))
        print(x.cpu().is_cuda, x.device, x.to("cpu", dtype=torch.float64).dtype)
        print(model.double().weight.dtype)


    if __name__ == "__main__":
        torch.manual_seed(0)
        main()
""")


def pytorch_run(source: str) -> tuple[str, str | None]:
    torch = pytest.importorskip("torch")
    out = io.StringIO()
    error = None
    # enable_grad restores grad mode on the way out: a script's set_grad_enabled(False) must
    # not leak into the tests that run after this one
    with contextlib.redirect_stdout(out), torch.enable_grad():
        try:
            exec(compile(source, "script.py", "exec"), {"__name__": "__main__"})  # noqa: S102
        except Exception as exc:  # noqa: BLE001 - the message is what we compare
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return out.getvalue(), error


def test_tutorial_boilerplate_prints_what_pytorch_prints() -> None:
    run = run_script(BOILERPLATE, "script.py")
    assert run.error is None, run.error
    assert run.output == pytorch_run(BOILERPLATE)[0]


@pytest.mark.parametrize("line", [
    "torch.ones(2).cuda()",
    "torch.ones(2).to('cuda:0')",
    "torch.ones(2, device='cuda')",
    "torch.nn.Linear(2, 1).to(torch.device('cuda'))",
    "torch.nn.Linear(2, 1).to(torch.int64)",
    "torch.device('gpu')",
    "print('{}{}'.format(1))",
    "print('{a}'.format(b=1))",
    "next(iter([]))",
])
def test_asking_for_what_is_not_there_fails_as_in_pytorch(line: str) -> None:
    source = f"import torch\n{line}\n"
    run = run_script(source, "script.py")
    assert run.error is not None
    assert run.error.message == pytorch_run(source)[1]
    assert run.error.line == 2


@pytest.mark.parametrize(("template", "refused"), [
    ("'{0.__class__}'.format(1)", "not allowed: '{0.__class__}' in a format string"),
    ("'{x[0]}'.format(x=[1])", "not allowed: '{x[0]}' in a format string"),
    ("'{:99999999999}'.format(1)", "limit exceeded"),
    ("'{:{w}}'.format(1, w=10 ** 10)", "limit exceeded"),
    ("'{}'.format_map({})", "not allowed: attribute 'format_map'"),
])
def test_format_reads_no_attributes_and_builds_nothing_huge(template: str, refused: str) -> None:
    run = run_script(f"print({template})", "script.py")
    assert run.error is not None
    assert run.error.message.startswith(refused), run.error.message


def test_map_and_filter_count_against_the_loop_limit() -> None:
    run = run_script("print(sum(map(lambda v: v, range(10 ** 8))))", "script.py")
    assert run.error is not None
    assert "Limits.loop_iterations" in run.error.message


def test_set_grad_enabled_works_as_in_pytorch_and_ends_with_the_run() -> None:
    import engine

    source = textwrap.dedent("""\
        import torch
        x = torch.ones(2, requires_grad=True)
        with torch.set_grad_enabled(False):
            print((x * 2).requires_grad)
        torch.set_grad_enabled(False)
        print((x * 2).requires_grad, torch.is_grad_enabled())
    """)
    run = run_script(source, "script.py")
    assert run.error is None, run.error
    assert run.output == pytorch_run(source)[0]
    assert engine.is_grad_enabled()  # the next run, and the app, record graphs again


TYPES = textwrap.dedent("""\
    import torch
    import torch.nn as nn

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).sum()
    print(type(x), type(y.item()), type(x.tolist()), type(x.shape), type(x.dtype))
    print(type(x) == torch.Tensor, type(x) is torch.Tensor, type(1.5) is float, type([]) is list)
    print(type(y.grad_fn), type(x.grad), type(nn.Linear(2, 1)), type(nn.Parameter(x)))
    print(torch.Tensor, nn.Linear, nn.MSELoss, torch.optim.SGD, torch.no_grad, torch.dtype)


    def f():
        return 1


    class Net(nn.Module):
        def __init__(self):
            super().__init__()


    print(type(f), type(print), type(torch), type(int), type(range(3)), type({}), type("s"))
    print(isinstance(f, type(f)), type(torch.optim.SGD([x], lr=0.1)), type(x.device))
    print(type(Net()), type(Net()) is Net, {type(1): "int"}[int], f"{type(x)}", str(type(2)))
    print(type(x)([3.0]))
""")


def test_type_shows_and_compares_classes_as_python_and_pytorch_do() -> None:
    run = run_script(TYPES, "script.py")
    assert run.error is None, run.error
    assert run.output == pytorch_run(TYPES)[0]
    assert "<class 'torch.Tensor'> <class 'float'> <class 'list'>" in run.output
