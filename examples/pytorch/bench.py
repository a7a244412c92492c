#!/usr/bin/env python3
"""plainnet bench's training steps in PyTorch float64 (SPEC.md §24), for a side-by-side comparison.

    python3 examples/pytorch/bench.py [--cases 64-32-10/32,784-256-256-10/64] [--seconds 3] [--threads 1]

A case is SIZES/BATCH[/frozenF][/threadsT] as in `plainnet bench`: nn.Linear layers of those sizes
(float64), ReLU after every hidden layer, an identity output, random inputs in [0, 1) and random
classes, F.cross_entropy (the mean over the batch: plainnet's softmax per_example), Adam(lr=1e-4)
over the trainable parameters (F frozen bottom layers have requires_grad=False). One step =
forward, loss, zero_grad, backward, optimizer step. torch.set_num_threads(T), default 1.

Timing as plainnet's: warm up for --warmup (default --seconds), then 10 slices of --seconds/10 (at least one step
each); examples_per_s from the median slice, examples_per_s_best from the fastest. One JSON line
per case with the keys of plainnet bench's lines that apply. --serve reads one case per line on
standard input and answers each with its JSON line (compare.py keeps one such process, so that
torch is imported once). Exits 0 with a message where torch is not installed.

--describe prints the set-up as one JSON object (the configuration that compare.py prints above its
table): Python, torch version, the BLAS that torch multiplies with (found among the libraries loaded
after a float64 product) and its kernel set, the BLAS, OpenMP and torch threads, the allocator
(jemalloc through LD_PRELOAD, glibc's MALLOC_* settings, or glibc's defaults), torch's CPU capability
and the processor's vector width. A reference BLAS (Netlib's libblas, e.g. Debian's libblas3 without
OpenBLAS) is marked "reference": true, and the one-line summary says that it is no fair peer.
"""
import argparse
import ctypes
import json
import os
import re
import subprocess
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


def run_case(torch, sizes, batch, frozen, threads, seconds, warmup=None):
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

    end = time.perf_counter() + (seconds if warmup is None else warmup)
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


def loaded_libraries():
    """The shared libraries mapped into this process (Linux; empty elsewhere)."""
    try:
        with open("/proc/self/maps") as f:
            return sorted({line.split()[-1] for line in f if ".so" in line and "/" in line})
    except OSError:
        return []


def blas_of(libraries, mkl):
    """(name, library) of the BLAS that torch multiplies with, from the libraries loaded after a product.

    MKL is linked into PyTorch's own wheels (torch.backends.mkl says so); a distribution's torch loads
    libblas.so.3, which is OpenBLAS, BLIS or MKL where one is installed as the system BLAS and else
    Netlib's reference BLAS ("reference": slow, no peer). The name says which."""
    if mkl:
        return "MKL", "linked into torch"
    for key, name in (("openblas", "OpenBLAS"), ("blis", "BLIS"), ("mkl_rt", "MKL"), ("mkl_core", "MKL"), ("armpl", "Arm PL")):
        for lib in libraries:
            if key in os.path.basename(lib).lower():
                return name, lib
    for lib in libraries:
        if re.match(r"lib(c)?blas\.so", os.path.basename(lib)):
            real = os.path.realpath(lib)
            for key, name in (("openblas", "OpenBLAS"), ("blis", "BLIS"), ("mkl", "MKL")):
                if key in real.lower():
                    return name, real
            return "reference", real
    return "unknown", ""


def vector_width(flags):
    """The widest vector of the processor's flags (/proc/cpuinfo), in bits, with the flag that gives it."""
    for flag, bits in (("avx512f", 512), ("avx2", 256), ("avx", 256), ("sse2", 128), ("asimd", 128)):
        if flag in flags:
            return f"{bits}-bit ({flag})"
    return "unknown"


def cpu_flags():
    """The processor's flags (Linux), else an empty set."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def allocator(env):
    """The allocator a process with this environment runs on: jemalloc (LD_PRELOAD) or glibc, with the MALLOC_* settings."""
    for lib in env.get("LD_PRELOAD", "").replace(":", " ").split():
        if "jemalloc" in os.path.basename(lib):
            return f"jemalloc ({lib})"
    tuned = [f"{k}={env[k]}" for k in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_") if k in env]
    return "glibc, " + (" ".join(tuned) if tuned else "default settings")


def blas_kernels(torch, name, lib):
    """The BLAS's kernel set and thread count, as the library reports them."""
    if name == "OpenBLAS":
        try:
            ob = ctypes.CDLL(lib)
            ob.openblas_get_corename.restype = ctypes.c_char_p
            return f"{ob.openblas_get_corename().decode()} kernels, {ob.openblas_get_num_threads()} thread(s)"
        except (OSError, AttributeError):
            return "kernels not reported"
    if name == "MKL":
        # MKL names its code path in its verbose line; ask a second interpreter, so this one stays quiet.
        env = dict(os.environ, MKL_VERBOSE="1")
        code = "import torch; a = torch.ones(8, 8, dtype=torch.float64); a @ a"
        try:
            out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        line = next((l for l in out.splitlines() if l.startswith("MKL_VERBOSE") and " for " in l), "")
        return (line.split(" for ", 1)[1].split(", Lnx")[0] if line else "kernels not reported") + f", {os.environ.get('MKL_NUM_THREADS', 'default')} thread(s) (MKL_NUM_THREADS)"
    return "kernels not reported"


def cpu_capability(torch):
    """torch's CPU capability (its own vectorised kernels): AVX512, AVX2, ..."""
    cpu = getattr(torch.backends, "cpu", None)
    if cpu is not None and hasattr(cpu, "get_cpu_capability"):
        return cpu.get_cpu_capability()
    m = re.search(r"CPU capability usage: (\w+)", torch.__config__.show())
    return m.group(1) if m else "unknown"


def describe(torch):
    """This set-up as a dict (see the module doc); a float64 product first, so that the BLAS is loaded."""
    a = torch.ones(64, 64, dtype=torch.float64)
    (a @ a).sum().item()
    name, lib = blas_of(loaded_libraries(), torch.backends.mkl.is_available())
    return {"python": sys.executable, "torch": torch.__version__, "blas": name, "blas_library": lib,
            "blas_kernels": blas_kernels(torch, name, lib), "reference": name == "reference",
            "torch_threads": torch.get_num_threads(), "omp_threads": os.environ.get("OMP_NUM_THREADS", "default"),
            "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"),
            "allocator": allocator(os.environ), "cpu_capability": cpu_capability(torch), "vector_width": vector_width(cpu_flags()),
            "openblas_env": {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}}


def summary(d):
    """One line of describe()'s dict."""
    blas = ("reference BLAS (Netlib) " + d["blas_library"] + ": about 10x slower than an optimised BLAS, no fair peer"
            if d["reference"] else f"{d['blas']} ({d['blas_library']}; {d['blas_kernels']})")
    forced = "".join(f", {k}={v} forced" for k, v in d["openblas_env"].items())
    return (f"PyTorch {d['torch']} ({d['python']}), float64, {blas}{forced}, torch threads {d['torch_threads']}, "
            f"OMP_NUM_THREADS {d['omp_threads']}, OMP_WAIT_POLICY {d.get('omp_wait_policy', 'default')}, allocator {d['allocator']}, CPU capability {d['cpu_capability']}, "
            f"vector width {d['vector_width']}")


def machine(torch):
    """One line: this set-up (describe, summary)."""
    return summary(describe(torch))


TUNED_GLIBC = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "1073741824", "MALLOC_TOP_PAD_": "67108864"}
"""glibc kept from returning memory to the system after every step: the mmap threshold at its largest (32 MiB,
above every tensor here), no trimming below 1 GiB, 64 MiB more on each growth of the heap."""

FORCED = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
"""Environment settings that force OpenBLAS's kernel choice (this project's machines set them): removed for PyTorch."""


def find_jemalloc():
    """The path of libjemalloc.so.2 where it is installed, else None."""
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"):
        path = os.path.join(d, "libjemalloc.so.2")
        if os.path.exists(path):
            return path
    return None


def allocator_env(name):
    """The environment settings of an allocator choice: default, tuned (glibc's MALLOC_*) or jemalloc (None where not installed)."""
    if name == "default":
        return {}
    if name == "tuned":
        return dict(TUNED_GLIBC)
    if name == "jemalloc":
        path = find_jemalloc()
        return {"LD_PRELOAD": path} if path else None
    raise ValueError(f"expected an allocator default, tuned or jemalloc, found '{name}'")


def torch_env(environ, threads, alloc):
    """(environment, removed settings) for a PyTorch run on `threads` threads with the allocator settings `alloc`:
    the forced OpenBLAS settings removed, OpenMP, MKL and OpenBLAS on `threads` threads."""
    env = {k: v for k, v in environ.items() if k not in FORCED}
    removed = {k: environ[k] for k in FORCED if k in environ}
    for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[k] = str(threads)
    env.update(alloc)
    env["PLAINNET_BENCH_ENV"] = "1"
    return env, removed


def main(argv=None):
    ap = argparse.ArgumentParser(description="plainnet bench's training steps in PyTorch float64; see the module doc.")
    ap.add_argument("--cases", default=DEFAULT_CASES, help="comma-separated SIZES/BATCH[/frozenF][/threadsT] (default: %(default)s)")
    ap.add_argument("--seconds", type=float, default=3.0, help="timed seconds per case, after a warm-up as long (default: %(default)s)")
    ap.add_argument("--warmup", type=float, help="warm-up seconds per case (default: --seconds)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads of the cases that do not name their own (default: %(default)s)")
    ap.add_argument("--serve", action="store_true", help="read cases from standard input, one per line, and answer each with its JSON line")
    ap.add_argument("--describe", action="store_true", help="print this set-up (torch, BLAS, threads, allocator, vector width) as one JSON object and exit")
    ap.add_argument("--allocator", default="tuned", choices=("default", "tuned", "jemalloc"),
                    help="glibc's defaults, glibc tuned (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_) or jemalloc (default: %(default)s)")
    args = ap.parse_args(argv)
    if "PLAINNET_BENCH_ENV" not in os.environ:
        # Start again with the environment PyTorch runs best in (its libraries read it when they load).
        alloc = allocator_env(args.allocator)
        if alloc is None:
            print("bench.py: option --allocator jemalloc: libjemalloc.so.2 is not installed (apt-get install libjemalloc2)", file=sys.stderr)
            return 2
        env, removed = torch_env(os.environ, args.threads, alloc)
        if removed:
            print("bench.py: removed " + ", ".join(f"{k}={v}" for k, v in removed.items()) + " for PyTorch (OpenBLAS picks the CPU's own kernels)", file=sys.stderr)
        sys.stdout.flush()
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + (sys.argv[1:] if argv is None else list(argv)), env)
    try:
        import torch
    except ImportError:
        print("bench.py: skipped: PyTorch is not installed (pip install torch)")
        return 0
    torch.set_num_threads(args.threads)
    if args.describe:
        print(json.dumps(describe(torch)))
        return 0
    try:
        if args.serve:
            print(json.dumps({"ready": describe(torch)}), flush=True)
            for line in sys.stdin:
                if line.strip():
                    print(json.dumps(run_case(torch, *parse_case(line, args.threads), args.seconds, args.warmup)), flush=True)
            return 0
        cases = [parse_case(c, args.threads) for c in args.cases.split(",")]
    except ValueError as e:
        print(f"bench.py: option --cases {e}", file=sys.stderr)
        return 2
    results = [run_case(torch, *c, args.seconds, args.warmup) for c in cases]
    print(f"{'sizes':22s} {'batch':>6s} {'threads':>7s} {'frozen':>7s} {'examples/s':>14s} {'GFLOP/s':>9s} {'best slice':>14s}")
    for r in results:
        print(f"{r['sizes']:22s} {r['batch']:6d} {r['threads']:7d} {r['frozen']:7d} {r['examples_per_s']:14.0f} {r['gflops']:9.2f} {r['examples_per_s_best']:14.0f}")
    for r in results:
        print(json.dumps(r))
    print(machine(torch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
