"""`torch.nn`: the functional API, parameters, and the built-in layers and losses."""

from engine.nn import functional, init, utils
from engine.nn.activation import (
    CELU,
    ELU,
    GELU,
    SELU,
    Flatten,
    Hardshrink,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Softmin,
    Softplus,
    Softshrink,
    Softsign,
    Tanh,
    Tanhshrink,
    Threshold,
    Unflatten,
)
from engine.nn.batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d
from engine.nn.container import ModuleDict, ModuleList, ParameterList, Sequential
from engine.nn.distance import CosineSimilarity, PairwiseDistance
from engine.nn.dropout import Dropout
from engine.nn.embedding import Embedding
from engine.nn.linear import Identity, Linear
from engine.nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
)
from engine.nn.module import Module
from engine.nn.normalization import LayerNorm
from engine.nn.parameter import Parameter
from engine.nn.rnn import GRU, RNN, GRUCell, LSTMCell, RNNCell

__all__ = [
    "GELU", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "Dropout", "Embedding",
    "Flatten", "Identity", "L1Loss", "LeakyReLU", "Linear", "LogSigmoid", "LogSoftmax",
    "MSELoss", "Module", "ModuleList", "NLLLoss", "Parameter", "ReLU", "Sequential", "SiLU",
    "Sigmoid", "Softmax", "Tanh", "functional", "init", "utils", "Hardshrink", "Hardtanh", "ReLU6",
    "ModuleDict", "ParameterList", "Softmin", "Softplus", "Softshrink", "Softsign",
    "Tanhshrink", "Threshold", "Unflatten", "KLDivLoss", "CELU", "ELU", "SELU", "LayerNorm",
    "RNN", "RNNCell", "GRU", "GRUCell", "LSTMCell", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d",
    "CosineSimilarity", "PairwiseDistance",
]
