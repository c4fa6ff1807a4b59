"""torch.distributions.Categorical against PyTorch: normalized probs and logits, the samples
multinomial draws, log_prob, entropy and their gradients (a REINFORCE step), reprs and the
argument checks PyTorch runs by default."""

from __future__ import annotations

import pytest

import engine
import engine.distributions
from tests.engine.parity import observe

torch = pytest.importorskip("torch")
pytest.importorskip("torch.distributions")

SNIPPETS = {
    "from probs": (
        "T.manual_seed(0); p=T.tensor([0.2,0.3,0.5],requires_grad=True); "
        "c=D.Categorical(probs=p); a=c.sample(); lp=c.log_prob(a); lp.backward(); "
        "out=[c, a, lp, p.grad, c.entropy(), c.sample((2,3)), c.batch_shape, c.event_shape, "
        "c.mode, c]"),
    "from logits, a batch": (
        "T.manual_seed(1); l=T.tensor([[1.,2.,0.5],[0.,0.,3.]],requires_grad=True); "
        "c=D.Categorical(logits=l); a=c.sample(); "
        "(-c.log_prob(a).sum()+0.01*c.entropy().sum()).backward(); "
        "out=[c, a, l.grad, c.probs, c, c.enumerate_support(), c.param_shape]"),
    "a REINFORCE step": (
        "T.manual_seed(2); policy=T.nn.Linear(3,4); s=T.randn(3); lps=[]\n"
        "for t in range(4):\n"
        "    d=D.Categorical(logits=policy(s)); a=d.sample(); lps.append(d.log_prob(a))\n"
        "    s=s+0.1*a\n"
        "loss=-(T.stack(lps)*T.tensor([1.,0.5,0.,2.])).sum(); loss.backward(); "
        "out=[loss, policy.weight.grad, policy.bias.grad]"),
    "a zero probability": "out=[D.Categorical(probs=T.tensor([0.,1.])).logits]",
    "an unchecked value outside the support": (
        "D.Categorical(probs=T.tensor([1.,1.]), validate_args=False).log_prob(T.tensor(7))"),
    "negative probs": "D.Categorical(probs=T.tensor([-0.2, 0.3]))",
    "a value outside the support": (
        "c=D.Categorical(probs=T.tensor([0.2,0.3,0.5])); c.log_prob(T.tensor(5))"),
    "a value of the wrong batch": (
        "c=D.Categorical(probs=T.ones(2,3)); c.log_prob(T.tensor([0,1,2]))"),
    "0-d probs": "D.Categorical(probs=T.tensor(0.5))",
    "neither probs nor logits": "D.Categorical()",
    "both probs and logits": "D.Categorical(probs=T.ones(2), logits=T.ones(2))",
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_shows_what_pytorch_shows(name: str) -> None:
    code = "D=T.distributions; " + SNIPPETS[name]
    assert observe(engine, code) == observe(torch, code)
