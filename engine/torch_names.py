"""Where PyTorch keeps each public class the engine mirrors, so that `print(torch.nn.Linear)`
and `print(type(x))` show PyTorch's `<class 'torch.nn.modules.linear.Linear'>`. (numpy sets
its public classes' modules the same way.)"""

from __future__ import annotations

from engine import device, dtypes, grad_mode, random, shapes, tensor
from engine.nn import (
    activation,
    container,
    dropout,
    embedding,
    linear,
    loss,
    module,
    parameter,
)
from engine.optim import adagrad, adam, lr_scheduler, optimizer, rmsprop, sgd
from engine.utils import data

PYTORCH_MODULES: dict[str, tuple[type, ...]] = {
    "torch": (tensor.Tensor, shapes.Size, device.device, dtypes.dtype),
    "torch._C": (random.Generator,),
    "torch.autograd.grad_mode": (grad_mode.no_grad, grad_mode.enable_grad,
                                 grad_mode.set_grad_enabled),
    "torch.nn.parameter": (parameter.Parameter,),
    "torch.nn.modules.module": (module.Module,),
    "torch.nn.modules.linear": (linear.Linear, linear.Identity),
    "torch.nn.modules.activation": (activation.ReLU, activation.LeakyReLU, activation.Sigmoid,
                                    activation.Tanh, activation.SiLU, activation.GELU,
                                    activation.LogSigmoid,
                                    activation.Softmax, activation.LogSoftmax,
                                    activation.Softmin, activation.Hardtanh, activation.ReLU6,
                                    activation.Threshold, activation.Hardshrink,
                                    activation.Softshrink, activation.Softsign, activation.Softplus,
                                    activation.Tanhshrink, activation.ELU, activation.SELU,
                                    activation.CELU),
    "torch.nn.modules.flatten": (activation.Flatten, activation.Unflatten),
    "torch.nn.modules.dropout": (dropout.Dropout,),
    "torch.nn.modules.sparse": (embedding.Embedding,),
    "torch.nn.modules.container": (container.Sequential, container.ModuleList,
                                   container.ModuleDict, container.ParameterList),
    "torch.nn.modules.loss": (loss.MSELoss, loss.L1Loss, loss.BCELoss, loss.BCEWithLogitsLoss,
                              loss.NLLLoss, loss.CrossEntropyLoss, loss.KLDivLoss),
    "torch.optim.optimizer": (optimizer.Optimizer,),
    "torch.optim.sgd": (sgd.SGD,),
    "torch.optim.adagrad": (adagrad.Adagrad,),
    "torch.optim.adam": (adam.Adam,),
    "torch.optim.adamw": (adam.AdamW,),
    "torch.optim.rmsprop": (rmsprop.RMSprop,),
    "torch.optim.lr_scheduler": (lr_scheduler.LRScheduler, lr_scheduler.StepLR,
                                 lr_scheduler.MultiStepLR, lr_scheduler.ExponentialLR,
                                 lr_scheduler.LambdaLR, lr_scheduler.CosineAnnealingLR),
    "torch.utils.data.dataloader": (data.DataLoader,),
    "torch.utils.data.dataset": (data.TensorDataset,),
}

#: Every class named here: its `__module__` no longer says it is the engine's.
CLASSES = frozenset(cls for classes in PYTORCH_MODULES.values() for cls in classes)


def name_classes_as_pytorch() -> None:
    for module_name, classes in PYTORCH_MODULES.items():
        for cls in classes:
            cls.__module__ = module_name
