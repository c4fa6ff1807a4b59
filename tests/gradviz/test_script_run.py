"""The `Run` a script produces: names and source spans of tensors, graph, steps, grad timeline."""

from __future__ import annotations

import textwrap
import threading
import time

import numpy as np

from gradviz.script import (
    CancelledError,
    LimitError,
    Limits,
    ScriptError,
    SourceSpan,
    run_script,
)

TUTORIAL = textwrap.dedent("""\
    import torch

    x = torch.tensor(2.0, requires_grad=True)
    y = x ** 2
    y.backward()
    print(x.grad)
""")


def _run(source: str, **limits: float) -> object:
    return run_script(textwrap.dedent(source), "script.py", Limits(**limits))


def test_tensors_are_named_after_the_variables_they_are_assigned_to() -> None:
    run = run_script(TUTORIAL, "tutorial.py")
    assert run.error is None
    assert run.output == "tensor(4.)\n"
    assert set(run.tensors) == {"x", "y"}
    assert run.tensors["x"].name == "x"
    assert run.tensors["y"].name == "y"


def test_every_tensor_remembers_the_source_span_that_created_it() -> None:
    run = run_script(TUTORIAL, "tutorial.py")
    x, y = run.tensors["x"], run.tensors["y"]
    assert x.source == SourceSpan("tutorial.py", 3, 5, 3, 42)
    assert x.source.text(TUTORIAL) == "torch.tensor(2.0, requires_grad=True)"
    assert y.source.text(TUTORIAL) == "x ** 2"


def test_columns_count_characters_not_bytes() -> None:
    source = "import torch\nlabel = 'é'; x = torch.ones(1)\n"
    run = run_script(source, "s.py")
    assert run.tensors["x"].source.col == len("label = 'é'; x = ") + 1
    assert run.tensors["x"].source.text(source) == "torch.ones(1)"


def test_unnamed_intermediates_are_named_by_their_source_text() -> None:
    run = _run("""
        import torch
        w = torch.tensor(2.0, requires_grad=True)
        x = torch.tensor(3.0)
        loss = (w * x + 1).tanh()
    """)
    names = [t.name for t in run.created]
    assert names == ["w", "x", "(w * x)", "(w * x + 1)", "loss"]


def test_the_first_variable_a_tensor_is_bound_to_names_it() -> None:
    run = _run("""
        import torch
        def double(v):
            return v * 2
        a = torch.ones(2)
        b = a
        c = double(a)
    """)
    assert run.tensors["b"] is run.tensors["a"]
    assert run.tensors["a"].name == "a"
    assert run.tensors["c"].name == "c"


def test_the_graph_is_the_engines_trace_of_everything_the_script_built() -> None:
    run = run_script(TUTORIAL, "tutorial.py")
    labels = {data["label"] for _, data in run.graph.nodes(data=True) if data["kind"] == "tensor"}
    ops = [data["op"] for _, data in run.graph.nodes(data=True) if data["kind"] == "op"]
    assert labels == {"x", "y"}
    assert ops == ["pow"]
    assert run.graph.number_of_edges() == 2


def test_gradient_tensors_are_named_after_their_tensor_and_kept_out_of_the_graph() -> None:
    run = run_script(TUTORIAL, "tutorial.py")
    grad = run.tensors["x"].grad
    assert grad.name == "x.grad"
    assert all(data["obj"] is not grad for _, data in run.graph.nodes(data=True))


def test_steps_of_every_backward_call_are_recorded_in_order() -> None:
    run = _run("""
        import torch
        w = torch.tensor(3.0, requires_grad=True)
        (w * 2).backward()
        (w * w).backward()
    """)
    assert [(s.op, s.input.name) for s in run.steps] == [
        ("MulBackward0", "w"), ("MulBackward0", "w"), ("MulBackward0", "w")]
    assert [run.backward_of(k) for k in (1, 2, 3)] == [1, 2, 2]


def test_grad_timeline_reads_every_step_including_zeroing_between_passes() -> None:
    run = _run("""
        import torch
        w = torch.tensor(3.0, requires_grad=True)
        b = torch.tensor(1.0, requires_grad=True)
        (w * 2 + b).backward()
        w.grad.zero_()
        (b * w).backward()
    """)
    w, b = run.tensors["w"], run.tensors["b"]
    # pass 1: AddBackward0 → (w * 2), AddBackward0 → b, MulBackward0 → w
    # pass 2: MulBackward0 → b, MulBackward0 → w
    assert [s.input.name for s in run.steps] == ["(w * 2)", "b", "w", "b", "w"]
    timeline_w = [run.grad_at(w, k) for k in range(6)]
    timeline_b = [run.grad_at(b, k) for k in range(6)]
    assert timeline_w == [None, None, None, 2.0, 0.0, 1.0]
    assert timeline_b == [None, None, 1.0, 1.0, 4.0, 4.0]
    # step 3 is the last of pass 1: w.grad was zeroed only after it, and the timeline can
    # jump back and forth.
    assert run.grad_at(w, 3) == 2.0
    assert run.grad_at(w, 0) is None
    assert run.grads_at(4) == {w: 0.0, b: 4.0}


def test_grad_timeline_of_a_non_leaf_follows_retain_grad() -> None:
    run = _run("""
        import torch
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        h = x * 3
        h.retain_grad()
        (h * h).sum().backward()
    """)
    h = run.tensors["h"]
    final = len(run.steps)
    np.testing.assert_array_equal(run.grad_at(h, final), [6.0, 12.0])
    assert run.grad_at(h, 0) is None


def test_a_script_that_fails_halfway_keeps_its_output_graph_and_steps() -> None:
    run = _run("""
        import torch
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.sum().backward()
        print("before the error")
        y.backward()
        print("never")
    """)
    assert isinstance(run.error, ScriptError)
    assert str(run.error) == ("script.py:7:1: RuntimeError: grad can be implicitly created only "
                              "for scalar outputs")
    assert run.output == "before the error\n"
    assert {"x", "y"} <= {data["label"] for _, data in run.graph.nodes(data=True)}
    assert len(run.steps) == 2


def test_a_script_stopped_by_a_limit_keeps_what_it_did_so_far() -> None:
    run = _run("""
        import torch
        x = torch.ones(3, requires_grad=True)
        print("started")
        while True:
            pass
    """, loop_iterations=1000)
    assert isinstance(run.error, LimitError)
    assert run.output == "started\n"
    assert run.tensors["x"].shape == (3,)


def test_pytorch_warnings_are_reported_at_the_script_line() -> None:
    run = _run("""
        import torch
        x = torch.tensor(1.0, requires_grad=True)
        y = x * 2
        print(y.grad)
    """)
    assert run.output == "None\n"
    assert len(run.warnings) == 1
    warning = run.warnings[0]
    assert (warning.line, warning.col) == (5, 7)
    assert warning.message.startswith("UserWarning: The .grad attribute of a Tensor that is not "
                                      "a leaf Tensor is being accessed.")


def test_grad_mode_is_restored_after_a_script_that_failed_inside_no_grad() -> None:
    import engine

    run = _run("""
        import torch
        with torch.no_grad():
            undefined_name
    """)
    assert run.error is not None
    assert engine.is_grad_enabled()


def test_runs_are_independent_of_each_other() -> None:
    first = _run("import torch\nx = torch.ones(1)\nsecret = 42\n")
    second = _run("print(secret)\n")
    assert first.error is None
    assert second.error.message == "NameError: name 'secret' is not defined"


def test_the_app_can_go_from_a_line_to_its_tensors_and_back() -> None:
    run = _run("""
        import torch
        w = torch.tensor(2.0, requires_grad=True)
        loss = (w * 3 +
                1) ** 2
    """)
    assert [t.name for t in run.tensors_on_line(4)] == ["(w * 3)", "(w * 3 + 1)", "loss"]
    assert [t.name for t in run.tensors_on_line(5)] == ["(w * 3 + 1)", "loss"]
    assert run.tensors["loss"].source.line == 4


def test_a_run_can_be_cancelled_from_another_thread_and_keeps_its_partial_graph() -> None:
    cancel = threading.Event()
    timer = threading.Timer(0.2, cancel.set)
    timer.start()
    started = time.monotonic()
    run = run_script("import torch\nx = torch.ones(2)\nwhile True:\n    x = x + 1\n",
                     "loop.py", cancel=cancel)
    timer.join()
    assert isinstance(run.error, CancelledError)
    assert run.error.message.startswith("cancelled:")
    assert time.monotonic() - started < 2
    assert len(run.created) > 1


def test_runs_started_together_on_two_threads_each_see_only_their_own_tensors() -> None:
    sources = {name: f"import torch\n{name} = torch.ones(2, requires_grad=True)\n"
                     f"for i in range(200):\n    {name}_out = ({name} * 2).sum()\n"
                     f"    {name}_out.backward()\nprint({name}.grad)\n"
               for name in ("a", "b")}
    runs: dict[str, object] = {}
    threads = [threading.Thread(target=lambda n=name: runs.__setitem__(
        n, run_script(sources[n], f"{n}.py"))) for name in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name, run in runs.items():
        assert run.error is None
        assert run.output == "tensor([400., 400.])\n"
        assert {t.name for t in run.created} == {name, f"{name}_out", f"({name} * 2)"}
        assert len(run.steps) == 400


def test_each_print_knows_how_many_backward_steps_ran_before_it() -> None:
    run = run_script("import torch\nprint('start')\nx = torch.tensor(3.0, requires_grad=True)\n"
                     "y = x * x\ny.backward(retain_graph=True)\nprint(x.grad)\n"
                     "y.backward()\nprint(x.grad)\n")
    assert run.printed == [(0, "start\n"), (2, "tensor(6.)\n"), (4, "tensor(12.)\n")]
    assert run.output == "start\ntensor(6.)\ntensor(12.)\n"
