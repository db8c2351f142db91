"""The reference for training throughput: the same model, data, batch size and optimizer in a
bare PyTorch loop (pre-shuffled index slices, no evaluation, no bookkeeping, no window)."""

from __future__ import annotations

import sys
import time

from common import report


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    import torch
    import torch.nn.functional as F  # noqa: N812

    from model.config import TrainingConfig
    from model.datasets import make_dataset
    from model.network import ActivationNet
    from model.training import OPTIMIZERS

    torch.set_num_threads(1)  # as in the model process
    config = TrainingConfig()
    data = make_dataset(config.task, config.seed)
    network = ActivationNet()
    optimizer = OPTIMIZERS[config.optimizer](network.parameters(), lr=config.learning_rate)
    generator = torch.Generator().manual_seed(config.seed)
    x, y, batch = data.train_x, data.train_y, config.batch_size

    def epoch() -> int:
        order = torch.randperm(len(x), generator=generator)
        steps = 0
        for start in range(0, len(x), batch):
            indices = order[start : start + batch]
            optimizer.zero_grad(set_to_none=True)
            F.cross_entropy(network(x[indices]), y[indices]).backward()
            optimizer.step()
            steps += 1
        return steps

    for _ in range(20):  # warm-up, as the model process does before "ready"
        epoch()
    steps = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        steps += epoch()
    report({"steps_per_s": steps / (time.perf_counter() - started)})


if __name__ == "__main__":
    main()
