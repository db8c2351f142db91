"""The direct fused-Adam step is bit for bit ``torch.optim.Adam.step``, through resets too."""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: N812

from model.datasets import make_dataset
from model.fused_step import FusedAdamStep, fast_step
from model.network import ActivationNet
from model.training import OPTIMIZERS


def train(step_with_direct_kernel: bool, steps: int, clear_at: int) -> torch.Tensor:
    torch.manual_seed(0)
    network = ActivationNet()
    with torch.no_grad():
        for parameter in network.parameters():
            parameter.add_(0.1 * torch.randn_like(parameter))
    optimizer = OPTIMIZERS["Adam"](network.parameters(), lr=0.05)
    step = fast_step(optimizer) if step_with_direct_kernel else optimizer.step
    data = make_dataset(seed=4)
    for index in range(steps):
        if index == clear_at:
            optimizer.state.clear()  # as after Reset or divergence
        rows = slice((index * 32) % 384, (index * 32) % 384 + 32)
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(network(data.train_x[rows]), data.train_y[rows]).backward()
        step()
    return network.flat_weights()


def test_direct_kernel_matches_optimizer_step_exactly() -> None:
    """Same weights, to the last bit, after 60 steps with the state cleared half-way."""
    assert isinstance(fast_step(OPTIMIZERS["Adam"](ActivationNet().parameters())), FusedAdamStep)
    direct = train(True, steps=60, clear_at=30)
    reference = train(False, steps=60, clear_at=30)
    assert torch.equal(direct, reference)


def test_other_optimizers_keep_their_own_step() -> None:
    """SGD (and anything not plain fused Adam) steps through torch.optim as usual."""
    sgd = OPTIMIZERS["SGD"](ActivationNet().parameters(), lr=0.1)
    assert fast_step(sgd) == sgd.step
    adam_amsgrad = torch.optim.Adam(ActivationNet().parameters(), fused=True, amsgrad=True)
    assert not isinstance(fast_step(adam_amsgrad), FusedAdamStep)
