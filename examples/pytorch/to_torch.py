#!/usr/bin/env python3
"""A plainnet model file as a PyTorch nn.Sequential (float64), and a check of it against plainnet.

    python3 examples/pytorch/to_torch.py M.json                      # print the Sequential
    python3 examples/pytorch/to_torch.py M.json --save M.pt          # torch.save it
    python3 examples/pytorch/to_torch.py M.json --check              # forward and gradients vs plainnet compute
    python3 examples/pytorch/to_torch.py M.json --predict DATA.csv   # like plainnet predict, in PyTorch

In Python:

    from to_torch import load_model, to_sequential, loss_torch
    model = load_model("M.json")
    net = to_sequential(model)          # Standardize (if the model has it), Linear, ReLU, ..., Linear

The Sequential (SPEC.md §22.5):
  * layer l of the file is nn.Linear(I, O) with weight = W (O, I) (PyTorch stores it (O, I) too)
    and bias = b (O), followed by its activation module: relu nn.ReLU, leaky_relu
    nn.LeakyReLU(slope), sigmoid nn.Sigmoid, tanh nn.Tanh, and none for identity;
  * a frozen layer (trainable false, SPEC §6) has requires_grad=False on its weight and bias;
  * the model's "standardize" field (SPEC §17.1) becomes a first module Standardize(mean, std),
    x' = (x − mean) / std (one subtraction, one division: the same bits as plainnet), whose mean
    and std are buffers, not parameters;
  * the rest of the file (loss, features, tasks, lr_scale per layer) rides along as the plain
    dict net.plainnet, which torch.save keeps and from_torch.py reads back.

The loss of the file is loss_torch(z, y, labeled, model["loss"]): binary cross-entropy with the
mask, task weights and pos_weight, softmax cross-entropy over labeled rows, squared error, with
plainnet's reductions (SPEC §8, §9, §9.3).

--check draws inputs and labels (some unlabeled) from --seed, writes them with the model's layers
and loss as a plainnet vector file (SPEC §22.1), runs `plainnet compute` on it (the jar), and
compares every array of the result (forward z and a per layer, J, dout, dW, db, dx) with autograd's.
It checks the network after standardization (a vector has no standardize field); --predict checks
the whole model, standardization included, against `plainnet predict`. Exit 0 when every array
agrees, 1 when one does not, 2 for bad input.

--predict reads DATA.csv by plainnet's rules (SPEC §17: a header, every feature field a finite
decimal number; an empty field or ? is an error, as features cannot be unlabeled) and reports a
bad file as plainnet predict does, in one line naming the file, line and column. --save writes
through a temporary file .NAME.N.tmp in the target's folder renamed over it, and refuses to write
over the model file itself or into a folder: an error leaves every file as it was.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile

try:
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError:
    torch = None

ACTIVATIONS = ("identity", "relu", "leaky_relu", "sigmoid", "tanh")


class BadInput(Exception):
    """A one-line message naming the file and field; the command exits 2."""


if torch is not None:
    class Standardize(nn.Module):
        """x' = (x − mean) / std per feature (SPEC §17.1), before layer 0. mean, std (I) are buffers."""

        def __init__(self, mean, std):
            super().__init__()
            self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float64))
            self.register_buffer("std", torch.as_tensor(std, dtype=torch.float64))

        def forward(self, x):
            return (x - self.mean) / self.std


def load_model(path):
    """The model file as parsed JSON (a dict), with the few checks this script relies on."""
    try:
        with open(path, encoding="utf-8") as f:
            model = json.load(f)
    except OSError as e:
        raise BadInput(f"{path}: cannot read the model file: {e.strerror}")
    except ValueError as e:
        raise BadInput(f"{path}: expected a plainnet model file (JSON), found invalid JSON: {e}")
    if not isinstance(model, dict) or model.get("format") != "plainnet-model":
        raise BadInput(f"{path}: field format: expected \"plainnet-model\", found {json.dumps(model.get('format') if isinstance(model, dict) else model)}")
    for l, layer in enumerate(model["layers"]):
        if layer["activation"] not in ACTIVATIONS:
            raise BadInput(f"{path}: field layers[{l}].activation: expected one of {', '.join(ACTIVATIONS)}, found \"{layer['activation']}\"")
    return model


def activation_module(layer):
    """The module after layer's Linear, or None for identity."""
    f = layer["activation"]
    if f == "identity":
        return None
    if f == "relu":
        return nn.ReLU()
    if f == "leaky_relu":
        return nn.LeakyReLU(layer["slope"])
    return nn.Sigmoid() if f == "sigmoid" else nn.Tanh()


def to_sequential(model, standardize=True):
    """nn.Sequential (float64) of the model: [Standardize], then Linear (+ activation) per layer."""
    modules = []
    st = model.get("standardize")
    if standardize and st is not None:
        modules.append(Standardize(st["mean"], st["std"]))
    for layer in model["layers"]:
        lin = nn.Linear(layer["inputs"], layer["outputs"], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(layer["W"], dtype=torch.float64).reshape(layer["outputs"], layer["inputs"]))  # (O, I)
            lin.bias.copy_(torch.tensor(layer["b"], dtype=torch.float64))                                               # (O)
        # frozen layer: no gradient and no update (SPEC §6)
        lin.weight.requires_grad_(layer["trainable"])
        lin.bias.requires_grad_(layer["trainable"])
        modules.append(lin)
        act = activation_module(layer)
        if act is not None:
            modules.append(act)
    net = nn.Sequential(*modules)
    net.plainnet = {"loss": model["loss"], "features": model["features"], "tasks": model["tasks"],
                    "lr_scale": [layer["lr_scale"] for layer in model["layers"]]}
    return net


def forward_layers(net, x):
    """Runs net on x (N, I) and returns (z, a): lists of z_l and a_l (N, O_l) per Linear layer (SPEC §5)."""
    z, a = [], []
    h = x
    for m in net:
        h = m(h)
        if isinstance(m, nn.Linear):
            z.append(h)
            a.append(h)
        elif z:
            a[-1] = h  # the activation of the layer just before
    return z, a


def loss_torch(z, y, labeled, spec):
    """J of plainnet's loss (SPEC §8, §9) for logits z (N, K), labels y (N, K) (any value where
    unlabeled), mask labeled (N, K) bool, and the model file's loss object spec."""
    N, K = z.shape
    M = labeled.to(torch.float64)                    # (N, K) 1 labeled, 0 not
    Y = torch.where(labeled, y, torch.zeros_like(y))  # a NaN label would make the product NaN (SPEC §9.3)
    kind, reduction = spec["kind"], spec["reduction"]
    if kind == "softmax_cross_entropy":
        rows = labeled.all(dim=1)                    # units are rows
        S = F.cross_entropy(z[rows], Y[rows], reduction="sum") if rows.any() else z.sum() * 0.0
        units, all_units = rows.sum().item(), N
    elif kind == "binary_cross_entropy":
        w = torch.tensor(spec["task_weight"], dtype=torch.float64) if spec["task_weight"] is not None else torch.ones(K, dtype=torch.float64)
        p = torch.tensor(spec["pos_weight"], dtype=torch.float64) if spec["pos_weight"] is not None else torch.ones(K, dtype=torch.float64)
        S = F.binary_cross_entropy_with_logits(z, Y, weight=M * w, pos_weight=p, reduction="sum")
        units, all_units = M.sum().item(), N * K
    else:  # squared_error
        w = torch.tensor(spec["weight"], dtype=torch.float64) if spec["weight"] is not None else torch.ones(K, dtype=torch.float64)
        S = (M * w * (z - Y) ** 2).sum()
        units, all_units = M.sum().item(), N * K
    D = {"per_example": N, "mean_labeled": units, "mean_all": all_units, "sum": 1}[reduction]
    return S / D if D > 0 else z.sum() * 0.0  # nothing labeled: J = 0 and every gradient 0 (SPEC §8)


def probabilities(model, out):
    """What plainnet predict writes for the network output out (N, K): sigmoid for bce, softmax, values for mse."""
    kind = model["loss"]["kind"]
    if kind == "binary_cross_entropy":
        return torch.sigmoid(out)
    if kind == "softmax_cross_entropy":
        return torch.softmax(out, dim=1)
    return out


# ------------------------------------------------------------------------------------------------
# --check: the same case in plainnet compute and in autograd

def check_case(model, rows, seed):
    """Inputs x (N, I) and labels y (N, K) as lists, with None for unlabeled entries (some in every case)."""
    import numpy as np
    rng = np.random.default_rng(seed)
    I, K = model["layers"][0]["inputs"], model["layers"][-1]["outputs"]
    x = np.round(rng.normal(size=(rows, I)), 3).tolist()
    kind = model["loss"]["kind"]
    if kind == "softmax_cross_entropy":
        y = [[1.0 if k == c else 0.0 for k in range(K)] for c in rng.integers(0, K, size=rows)]
        if rows > 1:
            y[1] = [None] * K                        # an unlabeled row
    else:
        y = (rng.integers(0, 2, size=(rows, K)).astype(float) if kind == "binary_cross_entropy"
             else np.round(rng.normal(size=(rows, K)), 3)).tolist()
        for n in range(rows):
            for k in range(K):
                if rng.random() < 0.25 and (n, k) != (0, 0):
                    y[n][k] = None                   # unlabeled; entry (0, 0) stays labeled
    return x, y


def plainnet_compute(jar, model, x, y):
    """plainnet's results for the case (SPEC §22.2), from `java -jar JAR compute`."""
    vector = {"format": "plainnet-vector", "version": 1, "name": "to_torch_check",
              "description": "to_torch.py --check", "tolerance": {"abs": 0, "rel": 0},
              "layers": model["layers"], "x": x, "y": y, "loss": model["loss"], "optimizer": None, "expected": {}}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "to_torch_check.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(vector, f)
        p = subprocess.run(["java", "-jar", jar, "compute", "--vector", path], capture_output=True, text=True)
    if p.returncode != 0:
        raise BadInput(f"{jar}: plainnet compute failed: {(p.stderr or p.stdout).strip()}")
    return json.loads(p.stdout)


def torch_results(net, model, x, y):
    """The same keys as plainnet compute's result, from PyTorch's forward and autograd."""
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)                        # (N, I)
    labeled = torch.tensor([[v is not None for v in row] for row in y])                  # (N, K)
    yt = torch.tensor([[0.0 if v is None else v for v in row] for row in y], dtype=torch.float64)
    z, a = forward_layers(net, xt)
    out = a[-1]
    out.retain_grad()
    J = loss_torch(out, yt, labeled, model["loss"])
    J.backward()
    lins = [m for m in net if isinstance(m, nn.Linear)]
    grad = lambda t: None if t.grad is None else t.grad.tolist()  # a frozen layer has no gradient
    return {"forward": {"z": [t.tolist() for t in z], "a": [t.tolist() for t in a]},
            "loss": J.item(),
            "backward": {"dout": out.grad.tolist(),
                         "dW": [grad(m.weight) for m in lins], "db": [grad(m.bias) for m in lins],
                         "dx": xt.grad.tolist()}}


def flat(v):
    if isinstance(v, list):
        return [e for item in v for e in flat(item)]
    return [v]


def compare(name, expected, actual, rel):
    """Prints one line and returns whether |actual − expected| ≤ rel·max(1, max|expected|) entry by entry.

    The bound is relative to the array's largest entry, not to each entry: an entry is a sum of
    terms, and summing in another order (PyTorch's matmul, with FMA) changes it by at most a few
    ulp of the sum of the terms' magnitudes, which is of the order of the array's scale even where
    the entry itself cancels to nearly 0. It is never below rel itself (an absolute 1e-12 by
    default): the case's inputs are of order 1, so terms of order 1 can cancel to an array that is
    all (nearly) 0, such as the dW of a layer behind dead ReLUs, which would otherwise have to
    agree bit for bit."""
    if expected is None or actual is None:
        ok = expected is None and actual is None
        print(f"{name:18s} {'null' if expected is None else 'array'} in plainnet, {'null' if actual is None else 'array'} in PyTorch  {'PASS' if ok else 'FAIL'}")
        return ok
    e, t = flat(expected), flat(actual)
    if len(e) != len(t):
        print(f"{name:18s} {len(e)} numbers in plainnet, {len(t)} in PyTorch  FAIL")
        return False
    scale = max(abs(v) for v in e)
    err = max(abs(a - b) for a, b in zip(e, t))
    bound = rel * max(scale, 1.0)
    ok = err <= bound
    print(f"{name:18s} max |diff| {err:.2e}  max |value| {scale:.2e}  bound {bound:.2e}  {'PASS' if ok else 'FAIL'}")
    return ok


def check(model, jar, rows, seed, rel):
    net = to_sequential(model, standardize=False)
    x, y = check_case(model, rows, seed)
    expected = plainnet_compute(jar, model, x, y)
    actual = torch_results(net, model, x, y)
    ok = True
    for stage in ("z", "a"):
        for l, (e, t) in enumerate(zip(expected["forward"][stage], actual["forward"][stage])):
            ok &= compare(f"forward.{stage}[{l}]", e, t, rel)
    ok &= compare("loss", expected["loss"], actual["loss"], rel)
    ok &= compare("backward.dout", expected["backward"]["dout"], actual["backward"]["dout"], rel)
    for key in ("dW", "db"):
        for l, (e, t) in enumerate(zip(expected["backward"][key], actual["backward"][key])):
            ok &= compare(f"backward.{key}[{l}]", e, t, rel)
    ok &= compare("backward.dx", expected["backward"]["dx"], actual["backward"]["dx"], rel)
    print(("PASS" if ok else "FAIL") + f": PyTorch {torch.__version__} against plainnet compute, {rows} rows, seed {seed}")
    return 0 if ok else 1


# ------------------------------------------------------------------------------------------------
# --predict: plainnet's data file rules (SPEC §17) and plainnet predict's output

_TRIM = "".join(chr(c) for c in range(33))                  # String.trim: every char ≤ ' '
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_UNQUOTED = re.compile(r'(?:[^,"\r\n]|\r(?!\n))*')          # a lone CR is text; lines end in LF or CRLF


def csv_records(path):
    """(line, fields) for every record of the CSV file at path (RFC 4180, SPEC §17), line being the
    record's first line; a byte-order mark is skipped. Bad input raises BadInput naming the file and line."""
    if os.path.isdir(path):
        raise BadInput(f"{path}: expected a data file, found a folder")
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise BadInput(f"{path}: expected a data file, found no such file")
    except OSError as e:
        raise BadInput(f"{path}: cannot read the data file: {e.strerror}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line, column = raw.count(b"\n", 0, e.start) + 1, e.start - raw.rfind(b"\n", 0, e.start)
        raise BadInput(f"{path}:{line}:{column}: expected UTF-8 text, found the byte 0x{raw[e.start]:02x}, which is not UTF-8 here")
    i, n, line = 1 if text.startswith("\ufeff") else 0, len(text), 1
    while i < n:
        first, fields = line, []
        while True:
            if text[i:i + 1] == '"':
                parts, i = [], i + 1
                while True:
                    j = text.find('"', i)
                    if j < 0:
                        raise BadInput(f"{path}:{first}: expected a closing '\"' for the quoted field, found the end of the file")
                    parts.append(text[i:j])
                    line += text.count("\n", i, j)
                    i = j + 1
                    if text[i:i + 1] != '"':
                        break
                    parts.append('"')                       # "" inside quotes is one "
                    i += 1
                fields.append("".join(parts))
                if i < n and text[i] != "," and text[i] != "\n" and not text.startswith("\r\n", i):
                    raise BadInput(f"{path}:{line}: expected ',' or the end of the line after a closing '\"', found '{text[i]}'")
            else:
                j = _UNQUOTED.match(text, i).end()
                if text[j:j + 1] == '"':
                    raise BadInput(f"{path}:{line}: expected no '\"' inside an unquoted field (quote the whole field and double the quote), found one in \"{text[i:j]}\"")
                fields.append(text[i:j])
                i = j
            if text[i:i + 1] == ",":
                i += 1
                continue
            i += 2 if text.startswith("\r\n", i) else 1     # the line break, or past the end
            line += 1
            break
        yield first, fields, i >= n


def _abbreviate(names):
    """Up to 8 names, else the first and last three (as plainnet's Dataset.abbreviate)."""
    return ", ".join(names) if len(names) <= 8 else ", ".join(names[:3]) + ", …, " + ", ".join(names[-3:])


def _closest(name, names):
    """The name in names with the same letters in other case, else within min(2, len/2) edits of
    name (the first of the fewest), else None (as plainnet's Csv.closest)."""
    best, best_d = None, min(2, len(name) // 2) + 1
    for h in names:
        if h.lower() == name.lower():
            return h
        if abs(len(h) - len(name)) >= best_d:
            continue
        prev = list(range(len(h) + 1))                        # Levenshtein, row by row
        for i, c in enumerate(name, 1):
            cur = [i]
            for j, e in enumerate(h, 1):
                cur.append(min(cur[j - 1] + 1, prev[j] + 1, prev[j - 1] + (c != e)))
            prev = cur
        if prev[-1] < best_d:
            best, best_d = h, prev[-1]
    return best


def read_features(path, features, model_path):
    """x (N, I) of the named feature columns of the data file at path, and each row's line."""
    records = csv_records(path)
    header = next(records, None)
    if header is None:
        raise BadInput(f"{path}:1: expected a header line, found an empty file")
    names = [h.strip(_TRIM) for h in header[1]]
    for j, name in enumerate(names):
        if not name:
            raise BadInput(f"{path}:1: expected a name for column {j + 1} in the header, found an empty field")
        if name in names[:j]:
            raise BadInput(f"{path}:1: expected each column name once in the header, found \"{name}\" again")
    cols = []
    for name in features:
        if name not in names:
            near = _closest(name, names)
            hint = f"; did you mean \"{near}\"?" if near is not None else ""
            raise BadInput(f"{path}:1: expected a column \"{name}\" in the header, as the model {model_path} reads {len(features)} feature columns "
                           f"({_abbreviate(features)}), found none{hint} (columns: {_abbreviate(names)}); give data with the model's columns")
        cols.append(names.index(name))
    x, lines = [], []
    for line, fields, last in records:
        if fields == [""]:
            if last:
                break                                       # one empty last line is ignored
            if len(names) > 1:
                raise BadInput(f"{path}:{line}: expected {len(names)} fields, found an empty line")
        if len(fields) != len(names):
            raise BadInput(f"{path}:{line}: expected {len(names)} fields (as the header), found {len(fields)}")
        row = []
        for c in cols:
            v = fields[c].strip(_TRIM)
            # features cannot be unlabeled: an empty field or ? is an error here, not a missing value
            if not _NUMBER.fullmatch(v) or not math.isfinite(float(v)):
                raise BadInput(f"{path}:{line}: column {names[c]}: expected a finite number (features cannot be unlabeled), found \"{v}\"")
            row.append(float(v))
        x.append(row)
        lines.append(line)
    if not x:
        raise BadInput(f"{path}:{header[0] + 1}: expected at least one data row after the header, found none")
    return x, lines


def predict(model, data, out, model_path):
    """Writes line,TASK... rows of probabilities for every row of data, as plainnet predict does."""
    x, lines = read_features(data, model["features"], model_path)
    with torch.no_grad():
        p = probabilities(model, to_sequential(model)(torch.tensor(x, dtype=torch.float64)))  # (N, K)
    rows = ["line," + ",".join(model["tasks"])]
    for line, row in zip(lines, p.tolist()):
        rows.append(str(line) + "," + ",".join(repr(v) for v in row))
    out.write("\n".join(rows) + "\n")


# ------------------------------------------------------------------------------------------------
# --save: never over the model, never half a file

def same_file(a, b):
    """True when paths a and b name one file (the same path after links, or hard links of one file)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)


def write_atomically(out, write, option):
    """Calls write(f) on a new file .NAME.N.tmp (binary) in out's folder, then renames it over out
    (SPEC §16), so an error never leaves half a file or loses the old one. option (--out, --save)
    names out in the one-line errors."""
    if os.path.isdir(out):
        raise BadInput(f"{option} {out}: expected a file to write, found a folder")
    target = os.path.realpath(out)
    folder, name = os.path.split(target)
    if not os.path.isdir(folder):
        raise BadInput(f"{option} {out}: expected a file in an existing folder, found no folder {folder}")
    n = 0
    while os.path.lexists(os.path.join(folder, f".{name}.{n}.tmp")):
        n += 1
    tmp = os.path.join(folder, f".{name}.{n}.tmp")
    created = False  # remove only our own temp file, never one another process made meanwhile
    try:
        with open(tmp, "xb") as f:
            created = True
            write(f)
        os.replace(tmp, target)
        created = False
    except BadInput:
        raise
    except OSError as e:
        raise BadInput(f"{option} {out}: cannot write: {e.strerror}")
    except Exception as e:  # e.g. torch.save failing to pickle: one line, not a stack trace
        raise BadInput(f"{option} {out}: cannot write: {type(e).__name__}: {e}")
    finally:
        if created and os.path.lexists(tmp):
            os.remove(tmp)


def main(argv=None):
    ap = argparse.ArgumentParser(description="A plainnet model file as a PyTorch nn.Sequential (float64); see the module doc.")
    ap.add_argument("model", help="the plainnet model file")
    ap.add_argument("--save", metavar="FILE", help="torch.save the Sequential to FILE")
    ap.add_argument("--check", action="store_true", help="compare forward and gradients with plainnet compute")
    ap.add_argument("--jar", default="target/plainnet.jar", help="plainnet's jar for --check (default: %(default)s)")
    ap.add_argument("--rows", type=int, default=6, help="rows of the --check case (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the --check case (default: %(default)s)")
    ap.add_argument("--rel", type=float, default=1e-12, help="--check tolerance relative to each array's largest entry, or absolute below 1 (default: %(default)s)")
    ap.add_argument("--predict", metavar="DATA.csv", help="write the model's predictions for DATA.csv, as plainnet predict does")
    args = ap.parse_args(argv)
    if torch is None:
        print("to_torch.py: PyTorch is not installed (pip install torch)", file=sys.stderr)
        return 2
    try:
        if args.save and same_file(args.save, args.model):
            raise BadInput(f"--save {args.save}: expected a file other than the model file {args.model}, found the model file itself")
        if args.save and os.path.isdir(args.save):
            raise BadInput(f"--save {args.save}: expected a file to write, found a folder")
        model = load_model(args.model)
        if args.check:
            return check(model, args.jar, args.rows, args.seed, args.rel)
        if args.predict:
            predict(model, args.predict, sys.stdout, args.model)
            return 0
        net = to_sequential(model)
        if args.save:
            write_atomically(args.save, lambda f: torch.save(net, f), "--save")
            print(f"saved {args.save}")
        else:
            print(net)
        return 0
    except BadInput as e:
        print(f"to_torch.py: {e}", file=sys.stderr)
        return 2
    except KeyError as e:
        print(f"to_torch.py: {args.model}: expected the field \"{e.args[0]}\" (SPEC.md §16), found none", file=sys.stderr)
        return 2
    except (TypeError, ValueError, IndexError) as e:
        print(f"to_torch.py: {args.model}: expected a plainnet model file (SPEC.md §16), found a problem with {e!r}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    # Run through the module named to_torch, so that a torch.save'd Standardize is to_torch.Standardize
    # (which from_torch.py can load), not __main__.Standardize.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import to_torch
    sys.exit(to_torch.main())
