"""Compute plainnet result files (SPEC.md section 22.2) with the numpy implementation, then verify.

Run from the repository root:  python3 examples/numpy/run_vectors.py [--help]
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plainnet_numpy as pn  # noqa: E402


def generator_case(seeds):
    """generator.* and init.* of section 22.2, each from a fresh Rng per seed."""
    def per_seed(fn):
        return [fn(pn.Rng(s)) for s in seeds]
    gen = {
        "next_long": per_seed(lambda r: [format(r.next_long(), "016x") for _ in range(3)]),
        "next_double": per_seed(lambda r: [r.next_double() for _ in range(3)]),
        "next_gaussian": per_seed(lambda r: [r.next_gaussian() for _ in range(3)]),
        "next_int_10": per_seed(lambda r: [r.next_int(10) for _ in range(5)]),
        "shuffle_10": per_seed(lambda r: r.shuffle(list(range(10)))),
    }
    init = {name: pn.init_weights(name, 3, 4, pn.Rng(seeds[0])).tolist()
            for name in ("he_normal", "he_uniform", "xavier_normal", "xavier_uniform")}
    return {"generator": gen, "init": init}


def network_case(vec):
    """forward, loss, backward and (with an optimizer) update of section 22.2."""
    layers = pn.layers_from_json(vec["layers"])
    x = np.array(vec["x"], dtype=float)
    y, mask = pn.labels(vec["y"])
    zs, acts = pn.forward(layers, x)
    J, dout = pn.loss_and_grad(vec["loss"], zs[-1], y, mask)
    dW, db, dx = pn.backward(layers, x, zs, acts, dout)
    out = {
        "forward": {"z": [z.tolist() for z in zs], "a": [a.tolist() for a in acts]},
        "loss": J,
        "backward": {
            "dout": dout.tolist(),
            "dW": [None if g is None else g.tolist() for g in dW],
            "db": [None if g is None else g.tolist() for g in db],
            "dx": dx.tolist(),
        },
    }
    cfg = vec.get("optimizer")
    if cfg is not None:
        opt = pn.Optimizer(cfg)                      # fresh optimizer before the first step
        for _ in range(cfg["steps"]):
            zs, acts = pn.forward(layers, x)
            _, dout = pn.loss_and_grad(vec["loss"], zs[-1], y, mask)
            dW, db, _ = pn.backward(layers, x, zs, acts, dout)
            opt.step(layers, dW, db)
        out["update"] = {"W": [l["W"].tolist() for l in layers],
                         "b": [l["b"].tolist() for l in layers]}
    return out


def compute(vec):
    result = {"format": "plainnet-result", "version": 1, "vector": vec["name"]}
    result.update(generator_case(vec["seeds"]) if "seeds" in vec else network_case(vec))
    return result


def main():
    ap = argparse.ArgumentParser(
        description="Write a result file (SPEC.md 22.2) for every vector in a folder using the "
                    "numpy implementation, then run plainnet's verify on them and exit with its "
                    "exit code (0 all pass, 1 a failure, 2 a malformed file).")
    ap.add_argument("--vectors", default="test-data/vectors",
                    help="folder of vector files (default: %(default)s)")
    ap.add_argument("--out", default="target/numpy-results",
                    help="folder for the result files (default: %(default)s)")
    ap.add_argument("--jar", default="target/plainnet.jar",
                    help="plainnet jar that runs verify; build it with 'make jar' "
                         "(default: %(default)s)")
    ap.add_argument("--no-verify", action="store_true",
                    help="only write the result files")
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    names = sorted(f for f in os.listdir(args.vectors) if f.endswith(".json"))
    for name in names:
        with open(os.path.join(args.vectors, name)) as f:
            vec = json.load(f)
        with open(os.path.join(args.out, name), "w") as f:
            json.dump(compute(vec), f, indent=1, allow_nan=False)
    print(f"wrote {len(names)} result files to {args.out}")
    if args.no_verify:
        return 0
    cmd = ["java", "-jar", args.jar, "verify", "--vector", args.vectors, "--result", args.out]
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
