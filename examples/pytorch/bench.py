#!/usr/bin/env python3
"""plainnet bench's training steps in PyTorch float64 (SPEC.md §24), for a side-by-side comparison.

    python3 examples/pytorch/bench.py [--cases 64-32-10/32,784-256-256-10/64] [--seconds 3] [--threads 1]

A case is SIZES/BATCH[/frozenF][/threadsT] as in `plainnet bench`: nn.Linear layers of those sizes
(float64), ReLU after every hidden layer, an identity output, random inputs in [0, 1) and random
classes, F.cross_entropy (the mean over the batch: plainnet's softmax per_example), Adam(lr=1e-4)
over the trainable parameters (F frozen bottom layers have requires_grad=False). One step =
forward, loss, zero_grad, backward, optimizer step. torch.set_num_threads(T), default 1.

Timing as plainnet's: warm up for --seconds, then 10 slices of --seconds/10 (at least one step
each); examples_per_s from the median slice, examples_per_s_best from the fastest. One JSON line
per case with the keys of plainnet bench's lines that apply. --serve reads one case per line on
standard input and answers each with its JSON line (compare.py keeps one such process, so that
torch is imported once). Exits 0 with a message where torch is not installed.
"""
import argparse
import json
import sys
import time

SLICES = 10
DEFAULT_CASES = "64-32-10/32,64-128-128-10/64,784-256-256-10/64,784-1024-1024-10/256,784-256-256-10/64/frozen2"


def parse_case(text, threads):
    """(sizes, batch, frozen, threads) of SIZES/BATCH[/frozenF][/threadsT]."""
    parts = text.strip().split("/")
    sizes, batch, frozen = [int(s) for s in parts[0].split("-")], int(parts[1]), 0
    for p in parts[2:]:
        if p.startswith("frozen"):
            frozen = int(p[6:])
        elif p.startswith("threads"):
            threads = int(p[7:])
        else:
            raise ValueError(f"expected SIZES/BATCH[/frozenF][/threadsT], found '{text}'")
    if len(sizes) < 2 or batch < 1 or not 0 <= frozen < len(sizes) - 1 or threads < 1:
        raise ValueError(f"expected SIZES/BATCH[/frozenF][/threadsT] with 2 or more sizes, fewer frozen layers than layers, found '{text}'")
    return sizes, batch, frozen, threads


def run_case(torch, sizes, batch, frozen, threads, seconds):
    """Times the case; returns its JSON object."""
    from torch import nn
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    modules = []
    for l in range(len(sizes) - 1):
        lin = nn.Linear(sizes[l], sizes[l + 1], dtype=torch.float64)
        if l < frozen:
            lin.requires_grad_(False)
        modules.append(lin)
        if l + 2 < len(sizes):
            modules.append(nn.ReLU())
    net = nn.Sequential(*modules)
    x = torch.rand(batch, sizes[0], dtype=torch.float64)   # (N, I)
    c = torch.randint(0, sizes[-1], (batch,))              # (N) classes
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=1e-4)

    def step():
        loss = F.cross_entropy(net(x), c)
        opt.zero_grad()
        loss.backward()
        opt.step()

    end = time.perf_counter() + seconds
    step()
    while time.perf_counter() < end:
        step()
    per_step, steps = [], 0
    for _ in range(SLICES):
        start = time.perf_counter()
        stop, n = start + seconds / SLICES, 0
        while True:
            step()
            n += 1
            now = time.perf_counter()
            if now >= stop:
                break
        per_step.append((now - start) / n)
        steps += n
    s = sorted(per_step)
    median = (s[(SLICES - 1) // 2] + s[SLICES // 2]) / 2
    flops = 0.0
    for l in range(len(sizes) - 1):
        p = 2.0 * batch * sizes[l] * sizes[l + 1]
        flops += p + (p if l >= frozen else 0) + (p if l > frozen else 0)  # forward, dW, dx (as plainnet counts)
    return {"sizes": "-".join(map(str, sizes)), "batch": batch, "threads": threads, "frozen": frozen, "loss": "softmax",
            "steps": steps, "examples_per_s": round(batch / median, 1), "examples_per_s_best": round(batch / s[0], 1),
            "gflops": round(flops / median / 1e9, 3), "torch": torch.__version__}


def machine(torch):
    """One line: PyTorch's version, BLAS and the CPU capability it uses."""
    blas = "MKL" if torch.backends.mkl.is_available() else "its default BLAS"
    return f"PyTorch {torch.__version__}, float64, {blas}, CPU capability {torch.backends.cpu.get_cpu_capability()}"


def main(argv=None):
    ap = argparse.ArgumentParser(description="plainnet bench's training steps in PyTorch float64; see the module doc.")
    ap.add_argument("--cases", default=DEFAULT_CASES, help="comma-separated SIZES/BATCH[/frozenF][/threadsT] (default: %(default)s)")
    ap.add_argument("--seconds", type=float, default=3.0, help="timed seconds per case, after a warm-up as long (default: %(default)s)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads of the cases that do not name their own (default: %(default)s)")
    ap.add_argument("--serve", action="store_true", help="read cases from standard input, one per line, and answer each with its JSON line")
    args = ap.parse_args(argv)
    try:
        import torch
    except ImportError:
        print("bench.py: skipped: PyTorch is not installed (pip install torch)")
        return 0
    try:
        if args.serve:
            print(json.dumps({"ready": machine(torch)}), flush=True)
            for line in sys.stdin:
                if line.strip():
                    print(json.dumps(run_case(torch, *parse_case(line, args.threads), args.seconds)), flush=True)
            return 0
        cases = [parse_case(c, args.threads) for c in args.cases.split(",")]
    except ValueError as e:
        print(f"bench.py: option --cases {e}", file=sys.stderr)
        return 2
    results = [run_case(torch, *c, args.seconds) for c in cases]
    print(f"{'sizes':22s} {'batch':>6s} {'threads':>7s} {'frozen':>7s} {'examples/s':>14s} {'GFLOP/s':>9s} {'best slice':>14s}")
    for r in results:
        print(f"{r['sizes']:22s} {r['batch']:6d} {r['threads']:7d} {r['frozen']:7d} {r['examples_per_s']:14.0f} {r['gflops']:9.2f} {r['examples_per_s_best']:14.0f}")
    for r in results:
        print(json.dumps(r))
    print(machine(torch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
