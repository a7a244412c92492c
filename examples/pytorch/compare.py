#!/usr/bin/env python3
"""plainnet against PyTorch float64, shape by shape, measured in turns (`make bench-compare`).

    python3 examples/pytorch/compare.py [--rounds 3] [--seconds 2] [--jar target/plainnet.jar]

For every shape (SIZES/BATCH) and every round, three runs one after the other: `plainnet bench`
on 1 thread, bench.py (PyTorch, 1 thread), `plainnet bench` on 2 threads. Each run warms up for
--seconds and reports its median slice (SPEC.md §24). A shared machine's speed drifts, so the runs
take turns and the table shows the median over the rounds of each; the ratios are of those medians
(plainnet / PyTorch: above 1 means plainnet is faster). plainnet runs in a new JVM per run, bench.py
in one process that serves every PyTorch run (torch is imported once). Exits 0 with a message where
torch is not installed.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

SHAPES = "64-32-10/32,64-128-128-10/64,784-256-256-10/64,784-1024-1024-10/256"
HERE = os.path.dirname(os.path.abspath(__file__))


def plainnet(jar, case, seconds):
    """examples/s of `plainnet bench` for one case, and its last line (the JVM)."""
    p = subprocess.run(["java", "-jar", jar, "bench", "--cases", case, "--seconds", str(seconds)], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"compare.py: plainnet bench --cases {case} failed: {(p.stderr or p.stdout).strip()}")
    lines = p.stdout.splitlines()
    result = next(json.loads(l) for l in lines if l.startswith("{"))
    return result["examples_per_s"], next(l for l in lines if l.startswith("JVM: "))


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


def main(argv=None):
    ap = argparse.ArgumentParser(description="plainnet against PyTorch float64, measured in turns; see the module doc.")
    ap.add_argument("--shapes", default=SHAPES, help="comma-separated SIZES/BATCH (default: %(default)s)")
    ap.add_argument("--rounds", type=int, default=3, help="turns per shape (default: %(default)s)")
    ap.add_argument("--seconds", type=float, default=2.0, help="timed seconds per run, after a warm-up as long (default: %(default)s)")
    ap.add_argument("--jar", default="target/plainnet.jar", help="plainnet's jar (default: %(default)s)")
    args = ap.parse_args(argv)
    try:
        import torch  # noqa: F401  (only to know whether bench.py can run)
    except ImportError:
        print("compare.py: skipped: PyTorch is not installed (pip install torch), so there is nothing to compare with")
        return 0
    server = subprocess.Popen([sys.executable, os.path.join(HERE, "bench.py"), "--serve", "--seconds", str(args.seconds), "--threads", "1"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    torch_line = json.loads(server.stdout.readline())["ready"]
    shapes = [s.strip() for s in args.shapes.split(",")]
    runs = {s: {"p1": [], "t1": [], "p2": []} for s in shapes}
    jvm = ""
    try:
        for r in range(args.rounds):
            for s in shapes:
                runs[s]["p1"].append(plainnet(args.jar, s + "/threads1", args.seconds)[0])
                server.stdin.write(s + "/threads1\n")
                server.stdin.flush()
                runs[s]["t1"].append(json.loads(server.stdout.readline())["examples_per_s"])
                v, jvm = plainnet(args.jar, s + "/threads2", args.seconds)
                runs[s]["p2"].append(v)
                print(f"round {r + 1}/{args.rounds} {s}: plainnet {runs[s]['p1'][-1]:.0f}, PyTorch {runs[s]['t1'][-1]:.0f}, "
                      f"plainnet 2 threads {runs[s]['p2'][-1]:.0f} examples/s", flush=True)
    finally:
        server.stdin.close()
        server.wait()
    print()
    print("| shape / batch | plainnet 1 thread | PyTorch f64 1 thread | ratio | plainnet 2 threads | ratio (2 threads vs PyTorch 1) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for s in shapes:
        p1, t1, p2 = (statistics.median(runs[s][k]) for k in ("p1", "t1", "p2"))
        print(f"| {s} | {p1:,.0f} | {t1:,.0f} | {p1 / t1:.2f} | {p2:,.0f} | {p2 / t1:.2f} |")
    print()
    print(f"examples/s, median of {args.rounds} rounds of {args.seconds:g} s runs taken in turns; "
          f"{datetime.date.today().isoformat()}, {cpu()}, {os.cpu_count()} processors")
    print(jvm)
    print(torch_line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
