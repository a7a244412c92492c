"""A float64 autograd check of the vectors with output groups or task towers (SPEC.md 22, 27).

Independent of plainnet and of plainnet_numpy.py: the forward pass in PyTorch, each group's loss
from SPEC.md sections 8 and 9 element by element (softmax through log_softmax, the binary
cross-entropy through softplus), every gradient (dout per group, dW, db, dh, dx) by autograd, and
the optimizer steps by torch.optim (coupled decay as a 0.5*lambda*sum(W^2) term, lr_scale as a
parameter group, SPEC.md 22.5). Compares with each vector's expected values within its
tolerances (22.3). Needs torch.

    python3 examples/numpy/autograd_check.py test-data/vectors/groups_*.json test-data/vectors/towers_*.json

Prints one line per failing array and a summary; exit 0 when everything agrees, 1 otherwise.
Vectors without "groups" are skipped (run_vectors.py covers them).
"""
import json
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
ACT = {"identity": lambda z, l: z, "relu": lambda z, l: torch.relu(z), "tanh": lambda z, l: torch.tanh(z),
       "sigmoid": lambda z, l: torch.sigmoid(z), "leaky_relu": lambda z, l: F.leaky_relu(z, l["slope"])}


def params(layers_json):
    out = []
    for l in layers_json:
        W = torch.tensor(l["W"], requires_grad=l["trainable"])
        b = torch.tensor(l["b"], requires_grad=l["trainable"])
        out.append((l, W, b))
    return out


def run(layers, a):
    zs, acts = [], []
    for l, W, b in layers:
        z = a @ W.T + b
        a = ACT[l["activation"]](z, l)
        zs.append(z); acts.append(a)
    return zs, acts


def group_loss(loss, z, y, m):
    """J_g: section 8's terms over the labeled units, divided by the reduction's D (0 when D = 0)."""
    n, k = z.shape
    y0 = torch.where(m, y, torch.zeros_like(y))
    kind, red = loss["kind"], loss["reduction"]
    if kind == "softmax_cross_entropy":
        rows = m.all(dim=1)
        terms = -(y0 * F.log_softmax(z, dim=1)).sum(dim=1)[rows]
        units, all_units = int(rows.sum()), n
    else:
        if kind == "binary_cross_entropy":
            w = torch.tensor(loss["task_weight"]) if loss.get("task_weight") else torch.ones(k)
            p = torch.tensor(loss["pos_weight"]) if loss.get("pos_weight") else torch.ones(k)
            ell = w * (p * y0 * F.softplus(-z) + (1 - y0) * F.softplus(z))
        else:
            w = torch.tensor(loss["weight"]) if loss.get("weight") else torch.ones(k)
            ell = w * (z - y0) ** 2
        terms = ell[m]
        units, all_units = int(m.sum()), n * k
    D = {"per_example": n, "mean_labeled": units, "mean_all": all_units, "sum": 1}[red]
    return terms.sum() * 0.0 if D == 0 else terms.sum() / D


def compute(vec):
    towers_case = "trunk" in vec                      # task towers: "trunk" and each group's "tower" (SPEC.md 22.1)
    x = torch.tensor(vec["x"], requires_grad=True)
    y = torch.tensor([[0.0 if v is None else v for v in r] for r in vec["y"]])
    m = torch.tensor([[v is not None for v in r] for r in vec["y"]])
    base = params(vec["trunk"] if towers_case else vec["layers"])
    towers = [params(g["tower"]) for g in vec["groups"]] if towers_case else []
    widths = [g["tower"][-1]["outputs"] if towers_case else g["outputs"] for g in vec["groups"]]

    def objective():
        zs, acts = run(base, x)
        h = acts[-1]
        if towers_case:
            if h.requires_grad:
                h.retain_grad()
            parts = [run(t, h) for t in towers]
            outs = [acts_g[-1] for _, acts_g in parts]
        else:
            parts, c, outs = None, 0, []
            for k in widths:
                outs.append(h[:, c:c + k]); c += k
        for o in outs:
            if o.requires_grad:
                o.retain_grad()
        J, Jg, c = 0.0, [], 0
        for g, o, k in zip(vec["groups"], outs, widths):
            j = group_loss(g["loss"], o, y[:, c:c + k], m[:, c:c + k])
            J = J + g["weight"] * j
            Jg.append(j.item()); c += k
        return J, Jg, zs, acts, h, parts, outs

    J, Jg, zs, acts, h, parts, outs = objective()
    J.backward()
    g = lambda t: None if t.grad is None else t.grad.tolist()
    names = [gr["name"] for gr in vec["groups"]]
    res = {"loss": J.item(), "group_losses": dict(zip(names, Jg)),
           "dout": {n: o.grad.tolist() for n, o in zip(names, outs)}, "dx": x.grad.tolist()}
    if towers_case:
        res["trunk"] = {"z": [t.tolist() for t in zs], "a": [t.tolist() for t in acts],
                        "dW": [g(W) for _, W, _ in base], "db": [g(b) for _, _, b in base]}
        res["towers"] = {n: {"z": [t.tolist() for t in p[0]], "a": [t.tolist() for t in p[1]],
                             "dW": [g(W) for _, W, _ in t], "db": [g(b) for _, _, b in t]}
                         for n, p, t in zip(names, parts, towers)}
        res["dh"] = h.grad.tolist()
    else:
        res["chain"] = {"z": [t.tolist() for t in zs], "a": [t.tolist() for t in acts],
                        "dW": [g(W) for _, W, _ in base], "db": [g(b) for _, _, b in base]}
    cfg = vec.get("optimizer")
    if cfg:
        every = base + [l for t in towers for l in t]
        groups = [{"params": [W, b], "lr": cfg["lr"] * l["lr_scale"]} for l, W, b in every if l["trainable"]]
        if cfg["kind"] == "sgd":
            opt = torch.optim.SGD(groups, lr=cfg["lr"])
        elif cfg["kind"] == "adam":
            opt = torch.optim.Adam(groups, lr=cfg["lr"], betas=(cfg["beta1"], cfg["beta2"]), eps=cfg["eps"])
        else:
            raise ValueError(cfg["kind"])
        assert not cfg["decoupled"]
        for _ in range(cfg["steps"]):
            opt.zero_grad()
            J = objective()[0]
            J = J + 0.5 * cfg["weight_decay"] * sum((W ** 2).sum() for l, W, _ in every if l["trainable"])
            J.backward()
            opt.step()
        with torch.no_grad():
            _, _, _, _, _, parts, outs = objective()
        res["update"] = {"trunk": {"W": [W.tolist() for _, W, _ in base], "b": [b.tolist() for _, _, b in base]},
                         "towers": {n: {"W": [W.tolist() for _, W, _ in t], "b": [b.tolist() for _, _, b in t]} for n, t in zip(names, towers)},
                         "outputs": {n: o.tolist() for n, o in zip(names, outs)}}
    return res


def flat(v):
    return [e for item in v for e in flat(item)] if isinstance(v, list) else [v]


failures, compared = [], 0


def check(name, e, r, tol):
    global compared
    if isinstance(e, dict):
        for k in e:
            check(name + "." + k, e[k], r[k], tol)
        return
    if isinstance(e, list) and e and isinstance(e[0], list) and e[0] and isinstance(e[0][0], list):
        for l, (ev, rv) in enumerate(zip(e, r)):
            check(f"{name}[{l}]", ev, rv, tol)
        return
    if e is None or r is None:
        if not (e is None and r is None):
            failures.append(f"{name}: null in one, an array in the other")
        return
    fe, fr = flat(e), flat(r)
    if len(fe) != len(fr):
        failures.append(f"{name}: {len(fe)} numbers expected, {len(fr)} found"); return
    for j, (a, b) in enumerate(zip(fe, fr)):
        compared += 1
        if abs(a - b) > tol["abs"] + tol["rel"] * abs(a):
            failures.append(f"{name}[{j}]: expected {a}, autograd {b}"); return


checked = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        vec = json.load(f)
    if "groups" not in vec:
        continue
    checked += 1
    e, r, tol = vec["expected"], compute(vec), vec["tolerance"]
    n = vec["name"]
    check(n + " loss", e["loss"], r["loss"], tol)
    for k in e["group_losses"]:
        check(n + " group_losses." + k, e["group_losses"][k], r["group_losses"][k], tol)
        check(n + " dout." + k, e["backward"]["dout"][k], r["dout"][k], tol)
    check(n + " dx", e["backward"]["dx"], r["dx"], tol)
    if "chain" in r:
        for key, stage in (("z", "forward"), ("a", "forward"), ("dW", "backward"), ("db", "backward")):
            for l, (ev, rv) in enumerate(zip(e[stage][key], r["chain"][key])):
                check(f"{n} {stage}.{key}[{l}]", ev, rv, tol)
    else:
        check(n + " dh", e["backward"]["dh"], r["dh"], tol)
        for part, ex_f, ex_b, got in [("trunk", e["forward"]["trunk"], e["backward"]["trunk"], r["trunk"])] + [
                ("towers." + k, e["forward"]["towers"][k], e["backward"]["towers"][k], r["towers"][k]) for k in r["towers"]]:
            for key, src in (("z", ex_f), ("a", ex_f), ("dW", ex_b), ("db", ex_b)):
                for l, (ev, rv) in enumerate(zip(src[key], got[key])):
                    check(f"{n} {part}.{key}[{l}]", ev, rv, tol)
        if "update" in e:
            check(n + " update", e["update"], r["update"], tol)
print(f"autograd: {checked} vectors, {compared} numbers compared, {len(failures)} failures")
for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)
