#!/usr/bin/env python3
"""plainnet against PyTorch float64 at its best, shape by shape, measured in turns (`make bench-compare`).

    python3 examples/pytorch/compare.py [--rounds 3] [--seconds 2] [--warmup 10] [--jar target/plainnet.jar]
                                        [--pythons PY,PY] [--allocators tuned,jemalloc] [--threads 1,2]

PyTorch runs as an informed user would run it (SPEC.md §24). Every PyTorch set-up found is tried: each
Python interpreter that imports torch (this one, `python3` on the PATH, /usr/bin/python3 — e.g. the
pip wheel with MKL, and Debian's python3-torch on the system BLAS) with each allocator (glibc with its
MALLOC_* thresholds raised, and jemalloc through LD_PRELOAD where installed), and on several threads also
with OMP_WAIT_POLICY=PASSIVE (label -passive: OpenMP's waiting threads sleep instead of spinning, far
better on busy cores). Every PyTorch run has
the environment's forced OpenBLAS settings (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE) removed, so that
OpenBLAS uses the processor's own kernels, and OpenMP, MKL and OpenBLAS on as many threads as torch.
The configuration of every set-up (bench.py --describe: torch, BLAS and kernel set, threads, allocator,
vector width) is printed above the table. A set-up whose torch would multiply with a reference BLAS
(Netlib's libblas) is reported and left out: it is no peer, and no ratio is printed against it.

For every shape and round, one after the other: `plainnet bench` on 1 thread, every PyTorch set-up on 1
thread, `plainnet bench` on 2 threads, every set-up on 2 threads. Each run warms up for --warmup (10 s:
the JIT compiles plainnet's Vector API kernels in the first seconds) and reports its median slice of --seconds. The table shows per shape the median over the rounds of plainnet and of the
fastest set-up on that shape (the peer), and plainnet / peer (above 1: plainnet is faster); the medians of
every set-up follow. plainnet runs as a user runs it (`java -jar`, its default kernels; the "kernels:" line
says which), in a new JVM per run; each set-up's bench.py serves all its runs (torch is imported once).
Exits 0 with a message where no Python here imports torch.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (the shared environment rules: bench.torch_env, bench.allocator_env)

SHAPES = "64-32-10/32,64-128-128-10/64,784-256-256-10/64,784-1024-1024-10/256,784-256-256-10/64/frozen2"


def pythons(listed=None):
    """The Python interpreters to try, each once (by its real path): --pythons, else this one, python3 on the PATH, /usr/bin/python3."""
    candidates = listed.split(",") if listed else [sys.executable, shutil.which("python3") or "", "/usr/bin/python3"]
    seen, out = set(), []
    for p in candidates:
        p = p.strip()
        if not p or not os.path.exists(p):
            continue
        real = os.path.realpath(p)
        if real not in seen:
            seen.add(real)
            out.append(p)
    return out


def parse_plainnet(stdout):
    """(examples_per_s of the first case, its JVM line, its kernels line) of `plainnet bench` output."""
    lines = stdout.splitlines()
    result = next(json.loads(l) for l in lines if l.startswith("{"))
    jvm = next((l for l in lines if l.startswith("JVM: ")), "JVM: unknown")
    kernels = next((l for l in lines if l.startswith("kernels: ")), "kernels: unknown")
    return result["examples_per_s"], jvm, kernels


def choose_peer(medians, configs):
    """The set-up with the most examples/s among those not on a reference BLAS, as (label, examples/s); None if there is none."""
    fair = {label: v for label, v in medians.items() if not configs[label]["reference"]}
    if not fair:
        return None
    label = max(sorted(fair), key=lambda k: fair[k])
    return label, fair[label]


def ratio(plainnet, peer):
    """plainnet / the peer, formatted; a dash where there is no peer."""
    return "—" if peer is None else f"{plainnet / peer[1]:.2f}"


def cpu():
    """The processor's model name (Linux), else what platform knows."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


class Setup:
    """One PyTorch set-up (an interpreter and an allocator) on one thread count: a bench.py --serve process."""

    def __init__(self, label, python, alloc_name, threads, seconds, warmup, extra):
        self.label, self.threads = label, threads
        env, self.removed = bench.torch_env(os.environ, threads, bench.allocator_env(alloc_name))
        env.update(extra)
        self.proc = subprocess.Popen([python, os.path.join(HERE, "bench.py"), "--serve", "--seconds", str(seconds), "--warmup", str(warmup), "--threads", str(threads)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        line = self.proc.stdout.readline()
        try:
            self.config = json.loads(line)["ready"]
        except (ValueError, KeyError):
            self.close()
            raise RuntimeError(f"{python} bench.py --serve did not start: {line.strip() or 'no output'}")

    def run(self, case):
        self.proc.stdin.write(case + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())["examples_per_s"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def plainnet(jar, case, seconds, warmup):
    """`plainnet bench` for one case, as a user runs it: (examples/s, JVM line, kernels line)."""
    p = subprocess.run(["java", "-jar", jar, "bench", "--cases", case, "--seconds", str(seconds), "--warmup", str(warmup)], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"compare.py: plainnet bench --cases {case} failed: {(p.stderr or p.stdout).strip()}")
    return parse_plainnet(p.stdout)


def main(argv=None):
    ap = argparse.ArgumentParser(description="plainnet against PyTorch float64 at its best, measured in turns; see the module doc.")
    ap.add_argument("--shapes", default=SHAPES, help="comma-separated SIZES/BATCH[/frozenF] (default: %(default)s)")
    ap.add_argument("--rounds", type=int, default=3, help="turns per shape (default: %(default)s)")
    ap.add_argument("--seconds", type=float, default=2.0, help="timed seconds per run (default: %(default)s)")
    ap.add_argument("--warmup", type=float, default=10.0, help="warm-up seconds of every run, both sides (default: %(default)s; the JIT compiles plainnet's "
                    "Vector API kernels in the first seconds, longer on a busy machine)")
    ap.add_argument("--jar", default="target/plainnet.jar", help="plainnet's jar (default: %(default)s)")
    ap.add_argument("--pythons", help="comma-separated Python interpreters to try (default: this one, python3 on the PATH, /usr/bin/python3)")
    ap.add_argument("--allocators", default="tuned,jemalloc", help="allocators to try: default, tuned, jemalloc (default: %(default)s)")
    ap.add_argument("--threads", default="1,2", help="thread counts to compare, each side on as many (default: %(default)s)")
    args = ap.parse_args(argv)
    THREADS = tuple(int(t) for t in args.threads.split(","))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a kill still closes the PyTorch processes (finally below)

    with_torch = [p for p in pythons(args.pythons) if subprocess.run([p, "-c", "import torch"], capture_output=True).returncode == 0]
    if not with_torch:
        print("compare.py: skipped: no Python here imports torch (pip install torch, or apt-get install python3-torch libopenblas0-pthread), "
              "so there is nothing to compare with")
        return 0
    allocators = []
    for a in args.allocators.split(","):
        env = bench.allocator_env(a.strip())
        if env is None:
            print(f"compare.py: allocator {a.strip()}: libjemalloc.so.2 is not installed here (apt-get install libjemalloc2); not tried")
        else:
            allocators.append(a.strip())

    setups = {t: {} for t in THREADS}   # threads -> label -> Setup
    configs, refused = {}, []
    try:
        for i, py in enumerate(with_torch):
            for a in allocators:
                label = f"{chr(ord('A') + i)}{'-' + a if len(allocators) > 1 else ''}"
                for t in THREADS:
                    # Several threads: OpenMP's threads either spin while they wait (its default,
                    # best on idle cores) or sleep (OMP_WAIT_POLICY=PASSIVE, far better on busy ones).
                    for policy in (("",) if t == 1 else ("", "passive")):
                        name = label + ("-" + policy if policy else "")
                        s = Setup(name, py, a, t, args.seconds, args.warmup, {"OMP_WAIT_POLICY": "PASSIVE"} if policy else {})
                        if s.config["reference"]:
                            s.close()
                            if name not in configs and all(name != r[0] for r in refused):
                                refused.append((name, s.config))
                            continue
                        setups[t][name] = s
                        configs.setdefault(name, s.config)
        removed = next((s.removed for t in THREADS for s in setups[t].values()), {})
        print(f"{datetime.date.today().isoformat()}, {cpu()}, {os.cpu_count()} processors, vector width {bench.vector_width(bench.cpu_flags())}")
        if removed:
            print("Removed for the PyTorch runs only: " + ", ".join(f"{k}={v}" for k, v in removed.items()) + " (OpenBLAS picks the CPU's own kernels)")
        print("PyTorch set-ups tried (OpenMP, MKL and OpenBLAS on as many threads as torch; each line shows the set-up's first run; "
              "'-passive': OMP_WAIT_POLICY=PASSIVE, tried on several threads):")
        for label, c in configs.items():
            print(f"  {label}: {bench.summary(c)}")
        for label, c in refused:
            print(f"  {label}: not a peer, not timed: {bench.summary(c)}")
        if not configs:
            print("No PyTorch set-up here multiplies with an optimised BLAS, so no ratio is printed; install one "
                  "(pip install torch, or apt-get install libopenblas0-pthread for Debian's python3-torch).")
            return 0

        shapes = [s.strip() for s in args.shapes.split(",")]
        p_runs = {(s, t): [] for s in shapes for t in THREADS}
        t_runs = {(s, t, label): [] for s in shapes for t in THREADS for label in setups[t]}
        jvm = kernels = ""
        for r in range(args.rounds):
            for s in shapes:
                for t in THREADS:
                    v, jvm, kernels = plainnet(args.jar, f"{s}/threads{t}", args.seconds, args.warmup)
                    p_runs[(s, t)].append(v)
                    for label, setup in setups[t].items():
                        t_runs[(s, t, label)].append(setup.run(f"{s}/threads{t}"))
                line = ", ".join(f"{t} thread{'s' if t > 1 else ''}: plainnet {p_runs[(s, t)][-1]:,.0f} "
                                 + " ".join(f"{label} {t_runs[(s, t, label)][-1]:,.0f}" for label in setups[t]) for t in THREADS)
                print(f"round {r + 1}/{args.rounds} {s}: {line} examples/s", flush=True)
    finally:
        for t in THREADS:
            for s in setups[t].values():
                s.close()

    print()
    def threads(t):
        return f"{t} thread{'s' if t > 1 else ''}"

    print("| shape / batch | " + " | ".join(f"plainnet {threads(t)} | PyTorch {threads(t)} (set-up) | ratio" for t in THREADS) + " |")
    print("| --- |" + " ---: | ---: | ---: |" * len(THREADS))
    for s in shapes:
        cells = []
        for t in THREADS:
            p = statistics.median(p_runs[(s, t)])
            peer = choose_peer({label: statistics.median(t_runs[(s, t, label)]) for label in setups[t]}, configs)
            cells += [f"{p:,.0f}", "—" if peer is None else f"{peer[1]:,.0f} ({peer[0]})", ratio(p, peer)]
        print(f"| {s} | " + " | ".join(cells) + " |")
    print()
    print("Every set-up, median examples/s:")
    for s in shapes:
        print(f"  {s}: " + "; ".join(threads(t) + ": " + ", ".join(f"{label} {statistics.median(t_runs[(s, t, label)]):,.0f}" for label in setups[t])
                                    for t in THREADS))
    print()
    print(f"examples/s, median of {args.rounds} rounds of {args.seconds:g} s runs (after {args.warmup:g} s of warm-up) taken in turns; the peer is the fastest set-up on each shape")
    print(jvm)
    print(kernels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
