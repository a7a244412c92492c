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


def arrays(values):
    return [None if v is None else v.tolist() for v in values]


def loss_of(vec, z, y, mask):
    """J, the result's loss sections, and dout: with "groups" (section 27.1), group_losses and dout per group."""
    if "groups" not in vec:
        J, dout = pn.loss_and_grad(vec["loss"], z, y, mask)
        return J, {"loss": J}, dout, dout.tolist()
    J, Jg, dout = pn.group_loss_and_grad(vec["groups"], z, y, mask)
    sections = {"loss": J, "group_losses": {g["name"]: j for g, j in zip(vec["groups"], Jg)}}
    per_group, c = {}, 0
    for g in vec["groups"]:
        k = pn.group_columns(g)
        per_group[g["name"]] = dout[:, c:c + k].tolist()
        c += k
    return J, sections, dout, per_group


def network_case(vec):
    """forward, loss, backward and (with an optimizer) update of section 22.2."""
    if "trunk" in vec:
        return task_case(vec)
    layers = pn.layers_from_json(vec["layers"])
    x = np.array(vec["x"], dtype=float)
    y, mask = pn.labels(vec["y"])
    zs, acts = pn.forward(layers, x)
    _, sections, dout, dout_json = loss_of(vec, zs[-1], y, mask)
    dW, db, dx = pn.backward(layers, x, zs, acts, dout)
    out = {"forward": {"z": [z.tolist() for z in zs], "a": [a.tolist() for a in acts]}}
    out.update(sections)
    out["backward"] = {"dout": dout_json, "dW": arrays(dW), "db": arrays(db), "dx": dx.tolist()}
    cfg = vec.get("optimizer")
    if cfg is not None:
        opt = pn.Optimizer(cfg)                      # fresh optimizer before the first step
        for _ in range(cfg["steps"]):
            zs, acts = pn.forward(layers, x)
            _, _, dout, _ = loss_of(vec, zs[-1], y, mask)
            dW, db, _ = pn.backward(layers, x, zs, acts, dout)
            opt.step(layers, dW, db)
        out["update"] = {"W": [l["W"].tolist() for l in layers],
                         "b": [l["b"].tolist() for l in layers]}
    return out


def task_case(vec):
    """A "trunk" and one "tower" per group, section 27.2."""
    trunk = pn.layers_from_json(vec["trunk"])
    towers = [pn.layers_from_json(g["tower"]) for g in vec["groups"]]
    names = [g["name"] for g in vec["groups"]]
    widths = [pn.group_columns(g) for g in vec["groups"]]
    x = np.array(vec["x"], dtype=float)
    y, mask = pn.labels(vec["y"])
    trunk_fwd, parts, z = pn.task_forward(trunk, towers, x)
    _, sections, dout, dout_json = loss_of(vec, z, y, mask)
    grads, dh, dW, db, dx = pn.task_backward(trunk, towers, x, trunk_fwd, parts, dout, widths)
    out = {"forward": {"trunk": {"z": [v.tolist() for v in trunk_fwd[0]], "a": [v.tolist() for v in trunk_fwd[1]]},
                       "towers": {n: {"z": [v.tolist() for v in zs], "a": [v.tolist() for v in acts]}
                                  for n, (zs, acts) in zip(names, parts)}}}
    out.update(sections)
    out["backward"] = {"dout": dout_json,
                       "towers": {n: {"dW": arrays(gW), "db": arrays(gb)} for n, (gW, gb) in zip(names, grads)},
                       "dh": dh.tolist(), "trunk": {"dW": arrays(dW), "db": arrays(db)}, "dx": dx.tolist()}
    cfg = vec.get("optimizer")
    if cfg is not None:
        opt = pn.Optimizer(cfg)                      # one optimizer, its state per layer
        every = trunk + [layer for tower in towers for layer in tower]
        for _ in range(cfg["steps"]):
            trunk_fwd, parts, z = pn.task_forward(trunk, towers, x)
            _, _, dout, _ = loss_of(vec, z, y, mask)
            grads, _, dW, db, _ = pn.task_backward(trunk, towers, x, trunk_fwd, parts, dout, widths)
            opt.step(every, dW + [g for gW, _ in grads for g in gW], db + [g for _, gb in grads for g in gb])
        _, parts, _ = pn.task_forward(trunk, towers, x)
        params = lambda ls: {"W": [l["W"].tolist() for l in ls], "b": [l["b"].tolist() for l in ls]}
        out["update"] = {"trunk": params(trunk), "towers": {n: params(t) for n, t in zip(names, towers)},
                         "outputs": {n: acts[-1].tolist() for n, (_, acts) in zip(names, parts)}}
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
