# the lines tutorials pick their device with, each giving the CPU here as on a machine
# without an accelerator: torch.cuda (older tutorials), torch.backends.mps (the quickstart's
# three-way choice), torch.accelerator (today's pytorch/tutorials)
import torch

device = (
    "cuda"
    if torch.cuda.is_available()
    else "mps"
    if torch.backends.mps.is_available()
    else "cpu"
)
print(f"Using {device} device")
device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device", torch.accelerator.device_count(), torch.cuda.device_count())

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True, device=device)
w = torch.ones(3).to(device)
loss = (x * w).pow(2).sum()
loss.backward()
