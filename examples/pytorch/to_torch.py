#!/usr/bin/env python3
"""A plainnet model file as a PyTorch nn.Sequential (or a TaskNet of a trunk and heads, for several
output groups), float64, and a check of it against plainnet.

    python3 examples/pytorch/to_torch.py M.json                      # print the Sequential
    python3 examples/pytorch/to_torch.py M.json --save NET.pt        # its state dict and layout, for from_torch.py
    python3 examples/pytorch/to_torch.py M.json --check              # forward and gradients vs plainnet compute (any version)
    python3 examples/pytorch/to_torch.py M.json --predict DATA.csv   # like plainnet predict, in PyTorch

In Python:

    from to_torch import load_model, to_sequential, to_module, loss_torch, load_saved
    model = load_model("M.json")        # checked as plainnet checks it
    net = to_sequential(model)          # Standardize (if the model has it), Linear, ReLU, ..., Linear
    net = to_module(model)              # the same, or a TaskNet for a model of several groups
    net = load_saved("NET.pt")          # the Sequential again from a --save file (no pickled code runs)

The Sequential (SPEC.md §22.5):
  * layer l of the file is nn.Linear(I, O) with weight = W (O, I) (PyTorch stores it (O, I) too)
    and bias = b (O), followed by its activation module: relu nn.ReLU, leaky_relu
    nn.LeakyReLU(slope), sigmoid nn.Sigmoid, tanh nn.Tanh, and none for identity;
  * a frozen layer (trainable false, SPEC §6) has requires_grad=False on its weight and bias;
  * the model's "standardize" field (SPEC §17.1) becomes a first module Standardize(mean, std),
    x' = (x − mean) / std (one subtraction, one division: the same bits as plainnet), whose mean
    and std are buffers, not parameters;
  * the rest of the file (loss, features, tasks, lr_scale per layer) rides along as the plain
    dict net.plainnet, which --save keeps and from_torch.py reads back.

A model file of several output groups (version 2, SPEC §16.1, §27) becomes a TaskNet instead:
net.trunk is the Sequential of the trunk's layers (with the first Standardize), net.heads an
nn.ModuleList of one Sequential per group (its tower), net.names the groups' names; net(x) runs the
trunk once and returns a dict {group name: heads[g](trunk(x)) (N, K_g)} in group order (the group's
columns of plainnet's z). net.plainnet holds "groups" (name, loss, weight, the tower's lr_scale per
group), the trunk's "lr_scale", "features" and "tasks". task_loss_torch(out, y, labeled, groups) is
J = Σ_g w_g·J_g (SPEC §27.1). --save writes version 2 of the saved format: layout
{"trunk": [...], "heads": [[...], ...], "names": [...], "plainnet": ...}, state dict keys
"trunk.N.NAME" and "heads.G.N.NAME". --check and --predict work for it as below.

The model file is read and checked as plainnet reads it (model_file.py, a port of plainnet's
reader): a file plainnet refuses (a transposed W, NaN, a std of 0, a leaky slope outside (0, 1),
no layers, a key twice, ...) is refused with plainnet's one-line message, exit 2.

--save writes no pickled module (loading one runs whatever code the pickle names): it writes a
dict that torch.load(..., weights_only=True) reads, holding only strings, an int and tensors:

    {"format": "plainnet-torch", "version": 1, "state_dict": net.state_dict(),
     "layout": '{"modules": [{"type": "Standardize"}, {"type": "Linear", "requires_grad": true},
                             {"type": "Tanh"}, {"type": "LeakyReLU", "negative_slope": 0.2}, ...],
                 "plainnet": net.plainnet}'}

(the layout as JSON text, because the safe loader of torch 1.13 reads no floats).

load_saved(path) builds the Sequential from it; from_torch.py reads it as well.

The loss of the file is loss_torch(z, y, labeled, model["loss"]): binary cross-entropy with the
mask, task weights and pos_weight, softmax cross-entropy over labeled rows, squared error, with
plainnet's reductions (SPEC §8, §9, §9.3).

--check draws inputs and labels (some unlabeled) from --seed, writes them with the model's layers
and loss as a plainnet vector file (SPEC §22.1), runs `plainnet compute` on it (the jar), and
compares every array of the result (forward z and a per layer, J, dout, dW, db, dx) with autograd's.
For a model of several groups the vector has the trunk and each group's tower (SPEC §22.1, task
towers) and every array of the result with towers is compared, named as plainnet verify names it:
z and a of every trunk and tower layer (forward.towers.NAME.z[l]), J, each J_g (group_losses.NAME),
each group's dout, dW and db of every tower layer, dh (the trunk's output gradient), dW and db of
every trunk layer, dx. It checks the network after standardization (a vector has no standardize
field); --predict checks the whole model, standardization included, against `plainnet predict`.
Exit 0 when every array agrees, 1 when one does not, 2 for bad input.

--predict writes plainnet predict's columns: line, then each group's outputs under its task names
(sigmoid for binary cross-entropy, softmax probabilities, squared error's values); a model of
several groups adds, after a softmax group's columns, a column named by the group holding the
predicted class (the first index of the largest output). Numbers are written as Java's
Double.toString writes them.

--predict reads DATA.csv by plainnet's rules (SPEC §17: a header, every feature field a finite
decimal number; an empty field or ? is an error, as features cannot be unlabeled) and reports a
bad file as plainnet predict does, in one line naming the file, line and column. --save follows
plainnet's rule for an output file (SPEC §16, §21): it is checked before any work (a file name in an
existing folder; not a folder, a device, a FIFO, a link to nothing, or the model file itself), and
written whole to a temporary file .NAME.N.tmp in the target's folder that is then renamed over it,
so an error (a full disk included) leaves every file as it was and is one line, exit 2.
"""
import argparse
import io
import json
import math
import os
import re
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_file import BadInput, java_double, read_model, utf8_error  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError:
    torch = None

SAVED_FORMAT = "plainnet-torch"


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
    """The model file as parsed JSON (a dict), read and checked as plainnet reads it (model_file.py):
    BadInput with plainnet's one-line message for any file plainnet refuses. Counts (version,
    inputs, outputs) are ints, every other number a float."""
    model = read_model(path)
    model["version"] = int(model["version"])
    for layer in all_layers(model):
        layer["inputs"], layer["outputs"] = int(layer["inputs"]), int(layer["outputs"])
    return model


def all_layers(model):
    """Every layer object of the model: version 1's layers; version 2's trunk, then each group's tower."""
    if "layers" in model:
        return list(model["layers"])
    return list(model["trunk"]) + [layer for g in model["groups"] for layer in g["tower"]]


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


def layer_modules(layers, modules):
    """Appends Linear (+ activation) per layer object to the list modules."""
    for layer in layers:
        lin = nn.Linear(layer["inputs"], layer["outputs"], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(layer["W"], dtype=torch.float64))  # (O, I), shape checked by load_model
            lin.bias.copy_(torch.tensor(layer["b"], dtype=torch.float64))                                               # (O)
        # frozen layer: no gradient and no update (SPEC §6)
        lin.weight.requires_grad_(layer["trainable"])
        lin.bias.requires_grad_(layer["trainable"])
        modules.append(lin)
        act = activation_module(layer)
        if act is not None:
            modules.append(act)
    return modules


def _standardize_modules(model, standardize):
    st = model.get("standardize")
    return [Standardize(st["mean"], st["std"])] if standardize and st is not None else []


def to_sequential(model, standardize=True):
    """nn.Sequential (float64) of a version-1 model: [Standardize], then Linear (+ activation) per layer."""
    net = nn.Sequential(*layer_modules(model["layers"], _standardize_modules(model, standardize)))
    net.plainnet = {"loss": model["loss"], "features": model["features"], "tasks": model["tasks"],
                    "lr_scale": [layer["lr_scale"] for layer in model["layers"]]}
    return net


if torch is not None:
    class TaskNet(nn.Module):
        """A trunk and one head (tower) per output group (SPEC §27.2): h = trunk(x) once, then
        z_g = heads[g](h). forward(x) returns a dict {group name: z_g (N, K_g)} in group order;
        torch.cat(list(out.values()), dim=1) is plainnet's z (N, K), group g in its columns.
        trunk and each head are nn.Sequential as to_sequential makes (a first Standardize in the
        trunk only); names are the groups' names."""

        def __init__(self, trunk, heads, names):
            super().__init__()
            if len(names) != len(heads):
                raise ValueError(f"TaskNet: expected one name per head ({len(heads)}), found {len(names)}")
            self.trunk = trunk
            self.heads = nn.ModuleList(heads)
            self.names = list(names)

        def forward(self, x):
            h = self.trunk(x)                                     # (N, H) the trunk runs once
            return {name: head(h) for name, head in zip(self.names, self.heads)}


def to_tasknet(model, standardize=True):
    """TaskNet (float64) of a version-2 model: the trunk ([Standardize], Linear + activation per
    layer) and one head per group. net.plainnet holds the groups' names, losses, weights and
    towers' lr_scale, and the trunk's lr_scale, features and tasks."""
    trunk = nn.Sequential(*layer_modules(model["trunk"], _standardize_modules(model, standardize)))
    heads = [nn.Sequential(*layer_modules(g["tower"], [])) for g in model["groups"]]
    net = TaskNet(trunk, heads, [g["name"] for g in model["groups"]])
    net.plainnet = {"groups": [{"name": g["name"], "loss": g["loss"], "weight": g["weight"],
                                "lr_scale": [layer["lr_scale"] for layer in g["tower"]]} for g in model["groups"]],
                    "features": model["features"], "tasks": model["tasks"],
                    "lr_scale": [layer["lr_scale"] for layer in model["trunk"]]}
    return net


def to_module(model, standardize=True):
    """The model as a module: an nn.Sequential for one group (version 1), a TaskNet for several (version 2)."""
    return to_sequential(model, standardize) if model["version"] == 1 else to_tasknet(model, standardize)


# ------------------------------------------------------------------------------------------------
# --save: a state dict and the module list, which torch.load(weights_only=True) reads without code

_ACTIVATION_TYPES = {"ReLU": lambda m: nn.ReLU(), "Sigmoid": lambda m: nn.Sigmoid(), "Tanh": lambda m: nn.Tanh(),
                     "Identity": lambda m: nn.Identity(), "LeakyReLU": lambda m: nn.LeakyReLU(m["negative_slope"])}


def saved_dict(net):
    """What --save writes for a Sequential of to_sequential (or any of Standardize, Linear and the
    activation modules), version 1, or a TaskNet, version 2: a dict of strings, an int and tensors
    (module doc)."""
    if isinstance(net, TaskNet):
        layout = json.dumps({"trunk": _module_list(net.trunk), "heads": [_module_list(h) for h in net.heads], "names": net.names,
                             "plainnet": getattr(net, "plainnet", None)}, allow_nan=False)
        return {"format": SAVED_FORMAT, "version": 2, "layout": layout, "state_dict": net.state_dict()}
    # The layout is JSON text: the safe unpickler of torch 1.13 (Debian's python3-torch) reads no floats.
    layout = json.dumps({"modules": _module_list(net), "plainnet": getattr(net, "plainnet", None)}, allow_nan=False)
    return {"format": SAVED_FORMAT, "version": 1, "layout": layout, "state_dict": net.state_dict()}


def _module_list(net):
    """The layout's list of module dicts of a Sequential of Standardize, Linear and activation modules."""
    modules = []
    for m in net:
        kind = type(m).__name__
        if isinstance(m, nn.Linear):
            modules.append({"type": "Linear", "requires_grad": bool(m.weight.requires_grad)})
        elif isinstance(m, nn.LeakyReLU):
            modules.append({"type": "LeakyReLU", "negative_slope": float(m.negative_slope)})
        elif kind == "Standardize" or kind in _ACTIVATION_TYPES:
            modules.append({"type": kind})
        else:
            raise BadInput(f"module {len(modules)} ({kind}): expected Standardize, Linear or one of {', '.join(_ACTIVATION_TYPES)}")
    return modules


def sequential(modules, state, source):
    """An nn.Sequential of the module list (dicts with "type", as saved_dict writes) and the state
    dict state (tensors under "INDEX.weight", "INDEX.bias", "INDEX.mean", "INDEX.std"), checking
    both; source names the file in the one-line errors."""
    if not isinstance(modules, list) or not all(isinstance(m, dict) for m in modules):
        raise BadInput(f"{source}: field modules: expected a list of objects with a \"type\", found {type(modules).__name__}")
    if not isinstance(state, dict) or not all(isinstance(k, str) and torch.is_tensor(v) for k, v in state.items()):
        raise BadInput(f"{source}: field state_dict: expected a dict of names to tensors (net.state_dict()), found {type(state).__name__}")
    used, built = set(), []

    def tensor(i, name, dims):
        key = f"{i}.{name}"
        if key not in state:
            raise BadInput(f"{source}: state_dict: expected a tensor {key} for module {i} ({modules[i].get('type')}), found none")
        t = state[key]
        if t.dim() != dims or not t.is_floating_point():
            raise BadInput(f"{source}: state_dict[{key}]: expected a {dims}-dimensional floating-point tensor, found {t.dim()} dimensions of {t.dtype}")
        used.add(key)
        return t

    for i, m in enumerate(modules):
        kind = m.get("type")
        if kind == "Linear":
            W = tensor(i, "weight", 2)                                        # (O, I)
            b = tensor(i, "bias", 1) if f"{i}.bias" in state else None        # (O)
            if b is not None and b.shape[0] != W.shape[0]:
                raise BadInput(f"{source}: state_dict[{i}.bias]: expected {W.shape[0]} numbers (the rows of {i}.weight), found {b.shape[0]}")
            if W.numel() == 0:
                raise BadInput(f"{source}: state_dict[{i}.weight]: expected at least 1 input and 1 output (plainnet has no empty layer), found Linear({W.shape[1]}, {W.shape[0]})")
            lin = nn.Linear(W.shape[1], W.shape[0], bias=b is not None, dtype=W.dtype)
            with torch.no_grad():
                lin.weight.copy_(W)
                if b is not None:
                    lin.bias.copy_(b)
            flag = m.get("requires_grad", True)
            if not isinstance(flag, bool):
                raise BadInput(f"{source}: field modules[{i}].requires_grad: expected true or false, found {flag!r}")
            for q in lin.parameters():
                q.requires_grad_(flag)
            built.append(lin)
        elif kind == "Standardize":
            built.append(Standardize(tensor(i, "mean", 1), tensor(i, "std", 1)))
        elif kind in _ACTIVATION_TYPES:
            slope = m.get("negative_slope")
            if kind == "LeakyReLU" and (isinstance(slope, bool) or not isinstance(slope, (int, float))):
                raise BadInput(f"{source}: field modules[{i}].negative_slope: expected a number, found {slope!r}")
            built.append(_ACTIVATION_TYPES[kind](m))
        else:
            raise BadInput(f"{source}: field modules[{i}].type: expected Standardize, Linear or one of {', '.join(_ACTIVATION_TYPES)}, found {kind!r}")
    extra = sorted(set(state) - used)
    if extra:
        raise BadInput(f"{source}: state_dict: expected only the tensors of the listed modules, found {extra[0]} as well")
    return nn.Sequential(*built)


def torch_load(path, trust_pickle=False):
    """torch.load of path: with weights_only=True (no code from the file runs) unless trust_pickle.
    A pickle that needs code to load is refused in one line that names --trust-pickle."""
    try:
        return torch.load(path, weights_only=not trust_pickle, map_location="cpu")
    except FileNotFoundError:
        raise BadInput(f"{path}: expected a file written by torch.save, found no such file")
    except IsADirectoryError:
        raise BadInput(f"{path}: expected a file written by torch.save, found a folder")
    except Exception as e:  # torch raises many kinds for a file that is not its own
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        if not trust_pickle and "Weights only load failed" in str(e):
            named = re.search(r"(?:GLOBAL|Unsupported class) ([A-Za-z0-9_.]*[A-Za-z0-9_])", str(e))
            if not named:  # not a pickle that names code: a damaged file, or an operation the safe loader lacks
                operand = re.search(r"Unsupported operand [0-9A-Za-z_]+", str(e))
                raise BadInput(f"{path}: expected a file written by torch.save, found a file torch.load(weights_only=True) cannot read "
                               f"({operand.group(0) if operand else first}); if it is a pickle you trust, give --trust-pickle")
            detail = f"it names {named.group(1)}"
            raise BadInput(f"{path}: expected a state dict or a file of to_torch.py --save, which load without running code, found a pickle "
                           f"that runs code to load ({detail}); give --trust-pickle to load it anyway, only if you trust the file and everyone who could have changed it")
        raise BadInput(f"{path}: expected a file written by torch.save, found a file torch cannot load ({type(e).__name__}: {first})")


def from_saved(saved, path):
    """The nn.Sequential (with net.plainnet) of the dict a --save file holds; errors name path."""
    version = saved.get("version")
    if version not in (1, 2) or isinstance(version, bool):
        raise BadInput(f"{path}: field version: expected 1 (an nn.Sequential) or 2 (a TaskNet), found {version!r}")
    try:
        layout = json.loads(saved.get("layout"))
    except (TypeError, ValueError) as e:
        raise BadInput(f"{path}: field layout: expected JSON text of the modules and net.plainnet, found {type(saved.get('layout')).__name__} ({e})")
    if not isinstance(layout, dict):
        raise BadInput(f"{path}: field layout: expected a JSON object, found {type(layout).__name__}")
    if version == 1:
        net = sequential(layout.get("modules"), saved.get("state_dict"), path)
    else:
        net = _tasknet(layout, saved.get("state_dict"), path)
    net.plainnet = layout.get("plainnet")
    return net


def _tasknet(layout, state, path):
    """The TaskNet of a version-2 layout (trunk, heads, names) and its state dict, whose keys are
    "trunk.INDEX.NAME" and "heads.G.INDEX.NAME"; each part is checked as sequential checks it."""
    heads, names = layout.get("heads"), layout.get("names")
    if not isinstance(heads, list) or not heads:
        raise BadInput(f"{path}: field heads: expected a list of module lists, one per group, found {heads!r}")
    if not isinstance(names, list) or len(names) != len(heads) or not all(isinstance(n, str) and n for n in names):
        raise BadInput(f"{path}: field names: expected {len(heads)} non-empty group names (one per head), found {names!r}")
    if not isinstance(state, dict):
        raise BadInput(f"{path}: field state_dict: expected a dict of names to tensors (net.state_dict()), found {type(state).__name__}")
    prefixes = ["trunk."] + [f"heads.{g}." for g in range(len(heads))]
    for key in state:
        if not isinstance(key, str) or not any(key.startswith(p) for p in prefixes):
            raise BadInput(f"{path}: state_dict: expected only tensors of the trunk and the {len(heads)} heads (trunk.N.NAME, heads.G.N.NAME), found {key!r}")

    def part(prefix, modules, what):
        sub = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
        return sequential(modules, sub, f"{path} ({what})")

    trunk = part("trunk.", layout.get("trunk"), "trunk")
    return TaskNet(trunk, [part(f"heads.{g}.", h, f"head {g}") for g, h in enumerate(heads)], names)


def load_saved(path, trust_pickle=False):
    """The nn.Sequential of a to_torch.py --save file (with net.plainnet), loaded with
    weights_only=True: no code from the file runs."""
    saved = torch_load(path, trust_pickle)
    if not isinstance(saved, dict) or saved.get("format") != SAVED_FORMAT:
        raise BadInput(f"{path}: expected a file of to_torch.py --save (a dict with format \"{SAVED_FORMAT}\"), found {type(saved).__name__}")
    return from_saved(saved, path)


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


def task_loss_torch(outputs, y, labeled, groups):
    """J = +0.0 + w_0·J_0 + w_1·J_1 + … of a TaskNet's outputs (a dict of z_g, in group order),
    each J_g = loss_torch over the group's columns c_g … c_g + K_g − 1 of y (N, K) and labeled
    (N, K) with its own loss; groups: the model file's (or net.plainnet's) groups (SPEC §27.1).
    Returns J and the list of J_g (before their weights)."""
    J, Jg, c = torch.zeros((), dtype=torch.float64), [], 0
    for g, z in zip(groups, outputs.values()):
        K = z.shape[1]
        Jg.append(loss_torch(z, y[:, c:c + K], labeled[:, c:c + K], g["loss"]))
        J = J + g["weight"] * Jg[-1]
        c += K
    return J, Jg


def kind_predictions(kind, out):
    """What plainnet predict writes for the outputs out (N, K_g) of a loss of this kind (SPEC §27.7's table)."""
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


def _vector(network, x, y):
    """A vector file (SPEC §22.1) of the case without expected results: network holds its layers
    and loss ("layers" and "loss", or with groups "groups" as well)."""
    vector = {"format": "plainnet-vector", "version": 1, "name": "to_torch_check",
              "description": "to_torch.py --check", "tolerance": {"abs": 0, "rel": 0}}
    vector.update(network)
    vector.update({"x": x, "y": y, "optimizer": None, "expected": {}})
    return vector


def _run_compute(jar, vector):
    """(exit code, output, error text) of `java -jar JAR compute --vector V` on the vector file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "to_torch_check.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(vector, f)
        p = subprocess.run(["java", "-jar", jar, "compute", "--vector", path], capture_output=True, text=True)
    return p.returncode, p.stdout, (p.stderr or p.stdout).strip()


def plainnet_compute(jar, model, x, y):
    """plainnet's results for the case (SPEC §22.2), from `java -jar JAR compute`."""
    rc, out, err = _run_compute(jar, _vector({"layers": model["layers"], "loss": model["loss"]}, x, y))
    if rc != 0:
        raise BadInput(f"{jar}: plainnet compute failed: {err}")
    return json.loads(out)


def task_vector_networks(model):
    """The trunk and towers of a version-2 model as a vector file's network keys (SPEC §22.1, task
    towers), in the two spellings a plainnet may read: the model file's words "trunk" and each
    group's "tower" (SPEC §22.1), and those of a plainnet from before them, "layers" for both."""
    def groups(tower_key):
        return [{"name": g["name"], "loss": g["loss"], "weight": g["weight"], tower_key: g["tower"]} for g in model["groups"]]
    return [{"trunk": model["trunk"], "groups": groups("tower")}, {"layers": model["trunk"], "groups": groups("layers")}]


def plainnet_compute_task(jar, model, x, y):
    """plainnet's results for a case of a version-2 model (SPEC §22.2 with towers), from `java -jar
    JAR compute` on a vector of the model's trunk and towers. A plainnet that refuses one spelling of
    the keys (task_vector_networks) is asked with the other; if both fail, both messages are shown
    (once when they are the same)."""
    errors = []
    for network in task_vector_networks(model):
        rc, out, err = _run_compute(jar, _vector(network, x, y))
        if rc == 0:
            return json.loads(out)
        errors.append(err)
    shown = errors[0] if errors[0] == errors[1] else f"{errors[0]} (with \"layers\" for the trunk and towers: {errors[1]})"
    raise BadInput(f"{jar}: plainnet compute failed: {shown}")


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


def task_results(net, model, x, y):
    """For a TaskNet: each group's output z_g, J, each J_g, and the gradients of J (dW, db per
    layer of the trunk and of each tower, None for a frozen layer; dx), from autograd, as lists."""
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)                        # (N, I)
    labeled = torch.tensor([[v is not None for v in row] for row in y])                  # (N, K)
    yt = torch.tensor([[0.0 if v is None else v for v in row] for row in y], dtype=torch.float64)
    out = net(xt)
    J, Jg = task_loss_torch(out, yt, labeled, model["groups"])
    J.backward()
    grad = lambda t: None if t.grad is None else t.grad.tolist()  # a frozen layer has no gradient
    lins = lambda seq: [m for m in seq if isinstance(m, nn.Linear)]
    return {"outputs": [z.tolist() for z in out.values()], "loss": J.item(), "group_losses": [j.item() for j in Jg],
            "trunk": {"dW": [grad(m.weight) for m in lins(net.trunk)], "db": [grad(m.bias) for m in lins(net.trunk)]},
            "towers": [{"dW": [grad(m.weight) for m in lins(h)], "db": [grad(m.bias) for m in lins(h)]} for h in net.heads],
            "dx": xt.grad.tolist()}


def task_check_case(model, rows, seed):
    """Inputs x (N, I) and labels y (N, K) as lists for a version-2 model, group by group in column
    order, with None for unlabeled entries: a softmax group one-hot rows (row 1 unlabeled), a binary
    cross-entropy or squared-error group about a quarter of its entries unlabeled (row 0 labeled)."""
    import numpy as np
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(size=(rows, model["trunk"][0]["inputs"])), 3).tolist()
    y = [[] for _ in range(rows)]
    for g in model["groups"]:
        K, kind = g["tower"][-1]["outputs"], g["loss"]["kind"]
        for n in range(rows):
            if kind == "softmax_cross_entropy":
                c = int(rng.integers(0, K))
                y[n] += [None] * K if n == 1 else [1.0 if k == c else 0.0 for k in range(K)]
                continue
            for k in range(K):
                v = float(rng.integers(0, 2)) if kind == "binary_cross_entropy" else round(float(rng.normal()), 3)
                y[n].append(None if n > 0 and rng.random() < 0.25 else v)
    return x, y


def task_torch_results(net, model, x, y):
    """The keys of plainnet compute's result for a case with towers (SPEC §22.2), from a TaskNet's
    forward and autograd: z and a per layer of the trunk and of each tower, J, each J_g, each
    group's dout = ∂J/∂z_g (w_g included), dW and db per tower layer (None when frozen), dh = ∂J/∂h
    at the trunk's output, dW and db per trunk layer, dx."""
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)                        # (N, I)
    labeled = torch.tensor([[v is not None for v in row] for row in y])                  # (N, K)
    yt = torch.tensor([[0.0 if v is None else v for v in row] for row in y], dtype=torch.float64)
    tz, ta = forward_layers(net.trunk, xt)
    h = ta[-1]                                                                            # (N, H)
    h.retain_grad()
    towers, out = {}, {}
    for name, head in zip(net.names, net.heads):
        z, a = forward_layers(head, h)
        a[-1].retain_grad()
        towers[name], out[name] = (z, a), a[-1]                                          # (N, K_g)
    J, Jg = task_loss_torch(out, yt, labeled, model["groups"])
    J.backward()
    grad = lambda t: None if t.grad is None else t.grad.tolist()  # a frozen layer has no gradient
    lins = lambda seq: [m for m in seq if isinstance(m, nn.Linear)]
    lists = lambda ts: [t.tolist() for t in ts]
    return {"forward": {"trunk": {"z": lists(tz), "a": lists(ta)},
                        "towers": {name: {"z": lists(z), "a": lists(a)} for name, (z, a) in towers.items()}},
            "loss": J.item(),
            "group_losses": {name: j.item() for name, j in zip(net.names, Jg)},
            "backward": {"dout": {name: o.grad.tolist() for name, o in out.items()},
                         "towers": {name: {"dW": [grad(m.weight) for m in lins(head)], "db": [grad(m.bias) for m in lins(head)]}
                                    for name, head in zip(net.names, net.heads)},
                         "dh": h.grad.tolist(),
                         "trunk": {"dW": [grad(m.weight) for m in lins(net.trunk)], "db": [grad(m.bias) for m in lins(net.trunk)]},
                         "dx": xt.grad.tolist()}}


def flat(v):
    if isinstance(v, list):
        return [e for item in v for e in flat(item)]
    return [v]


def compare(name, expected, actual, rel, width=18):
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
        print(f"{name:{width}s} {'null' if expected is None else 'array'} in plainnet, {'null' if actual is None else 'array'} in PyTorch  {'PASS' if ok else 'FAIL'}")
        return ok
    e, t = flat(expected), flat(actual)
    if len(e) != len(t):
        print(f"{name:{width}s} {len(e)} numbers in plainnet, {len(t)} in PyTorch  FAIL")
        return False
    scale = max(abs(v) for v in e)
    err = max(abs(a - b) for a, b in zip(e, t))
    bound = rel * max(scale, 1.0)
    ok = err <= bound
    print(f"{name:{width}s} max |diff| {err:.2e}  max |value| {scale:.2e}  bound {bound:.2e}  {'PASS' if ok else 'FAIL'}")
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


def task_check(model, jar, rows, seed, rel):
    """--check of a version-2 model: every array of plainnet compute's result with towers (SPEC
    §22.2), named as plainnet verify names it (SPEC §22.3), against task_torch_results."""
    net = to_tasknet(model, standardize=False)
    x, y = task_check_case(model, rows, seed)
    expected = plainnet_compute_task(jar, model, x, y)
    actual = task_torch_results(net, model, x, y)
    names = net.names
    pairs = []                                                       # (name, plainnet's, PyTorch's) in stage order

    def layers(prefix, e, t, keys):
        for key in keys:
            if len(e[key]) != len(t[key]):
                raise BadInput(f"{jar}: plainnet compute: {prefix}.{key}: expected {len(t[key])} layers, found {len(e[key])}")
            pairs.extend((f"{prefix}.{key}[{l}]", a, b) for l, (a, b) in enumerate(zip(e[key], t[key])))

    try:
        ef, tf = expected["forward"], actual["forward"]
        layers("forward.trunk", ef["trunk"], tf["trunk"], ("z", "a"))
        for g in names:
            layers(f"forward.towers.{g}", ef["towers"][g], tf["towers"][g], ("z", "a"))
        pairs.append(("loss", expected["loss"], actual["loss"]))
        pairs.extend((f"group_losses.{g}", expected["group_losses"][g], actual["group_losses"][g]) for g in names)
        eb, tb = expected["backward"], actual["backward"]
        pairs.extend((f"backward.dout.{g}", eb["dout"][g], tb["dout"][g]) for g in names)
        for g in names:
            layers(f"backward.towers.{g}", eb["towers"][g], tb["towers"][g], ("dW", "db"))
        pairs.append(("backward.dh", eb["dh"], tb["dh"]))
        layers("backward.trunk", eb["trunk"], tb["trunk"], ("dW", "db"))
        pairs.append(("backward.dx", eb["dx"], tb["dx"]))
    except KeyError as e:  # a result of another shape than SPEC §22.2's with towers
        raise BadInput(f"{jar}: plainnet compute: expected a result with towers (SPEC §22.2), found no key {e} in it")
    width = max(18, max(len(name) for name, _, _ in pairs))
    ok = True
    for name, e, t in pairs:
        ok &= compare(name, e, t, rel, width)
    print(("PASS" if ok else "FAIL") + f": PyTorch {torch.__version__} against plainnet compute, {len(names)} groups, {rows} rows, seed {seed}")
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
        raise utf8_error(path, raw, e)
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


def _csv_field(name):
    """A header name as plainnet predict writes it: quoted, with " doubled, when it holds , or "."""
    return '"' + name.replace('"', '""') + '"' if "," in name or '"' in name else name


def predict(model, data, out, model_path):
    """Writes the rows plainnet predict writes for every row of data (SPEC §27.7): line, then each
    group's outputs under its task names, as its loss kind says (sigmoid for bce, softmax, values for
    mse); a model of several groups adds after a softmax group's columns a column named by the group
    holding its predicted class, the first index of the largest z_g. Numbers as Java's Double.toString."""
    x, lines = read_features(data, model["features"], model_path)
    xt = torch.tensor(x, dtype=torch.float64)                                            # (N, I)
    with torch.no_grad():
        if model["version"] == 1:
            parts = [(None, model["loss"]["kind"], to_sequential(model)(xt))]                # (N, K)
        else:
            z = to_tasknet(model)(xt)                                                       # {name: (N, K_g)}
            parts = [(g["name"], g["loss"]["kind"], z[g["name"]]) for g in model["groups"]]
    header, columns, c = ["line"], [], 0
    for name, kind, zg in parts:
        K = zg.shape[1]
        header += [_csv_field(t) for t in model["tasks"][c:c + K]]
        c += K
        values = kind_predictions(kind, zg).tolist()                                        # (N, K_g)
        if name is not None and kind == "softmax_cross_entropy":
            header.append(_csv_field(name))
            classes = [row.index(max(row)) for row in zg.tolist()]                          # the first of the largest
            columns.append([[java_double(v) for v in row] + [str(k)] for row, k in zip(values, classes)])
        else:
            columns.append([[java_double(v) for v in row] for row in values])
    rows = [",".join(header)]
    for n, line in enumerate(lines):
        rows.append(",".join([str(line)] + [v for part in columns for v in part[n]]))
    out.write("\n".join(rows) + "\n")


# ------------------------------------------------------------------------------------------------
# Output files: plainnet's rule (SPEC §16, §21), never over a device, a FIFO, a folder or an input

def same_file(a, b):
    """True when paths a and b name one file (the same path after links, or hard links of one file)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)


def _target(out):
    """The file a write to out replaces: its absolute path, or the file a symbolic link names."""
    return os.path.realpath(out) if os.path.islink(out) else os.path.abspath(out)


def _new_temporary(target):
    """Creates a new empty file .NAME.N.tmp beside target and returns (path, open binary file)."""
    folder, name = os.path.split(target)
    n = 0
    while True:
        tmp = os.path.join(folder, f".{name}.{n}.tmp")
        try:
            return tmp, open(tmp, "xb")
        except FileExistsError:
            n += 1


def check_output(out, option, inputs, example):
    """Checks an output file before any work, as plainnet's TextFiles.checkOutput, with its
    messages: a file name in an existing folder, not a folder; if it exists, a regular file (a
    link is followed; a link to nothing, a device, a FIFO or another special file is refused) that
    is none of the inputs; and a folder that accepts a new file. inputs: (name, path) pairs;
    example: a file name for the folder hint."""
    full = os.path.abspath(out)
    if os.path.isdir(full):
        raise BadInput(f"{out}: expected a file to write to, found a folder; give a file name in it, e.g. {os.path.join(out, example)}")
    if not os.path.isdir(os.path.dirname(full)):
        raise BadInput(f"{out}: expected an existing folder to write into, found no folder {os.path.dirname(full)}")
    if os.path.islink(out) and not os.path.exists(out):
        raise BadInput(f"{out}: expected a file to write to, found a symbolic link to a missing file; remove the link or give another {option}")
    if os.path.exists(out):
        if not stat.S_ISREG(os.stat(out).st_mode):
            raise BadInput(f"{out}: expected a regular file to write to, found a device, pipe or other special file; give a file name for {option}")
        for name, path in inputs:
            if path is not None and same_file(out, path):
                raise BadInput(f"{out}: expected {option} to differ from the input {name}, found the same file (writing it would replace the input); give another {option}")
    target = _target(out)
    try:
        tmp, f = _new_temporary(target)
        f.close()
        os.remove(tmp)
    except OSError as e:
        raise BadInput(f"{out}: expected a folder that accepts new files, found that {os.path.dirname(target)} does not ({e.strerror}); give an {option} in a writable folder")


def write_atomically(out, data):
    """Writes the bytes data to out atomically (SPEC §16): to a new file .NAME.N.tmp in the target's
    folder, flushed to the disk, then renamed over the target (a link is followed: the file it names
    is replaced), so an error never leaves half a file or loses the old one; then removes the
    .NAME.N.tmp files an interrupted earlier write left. Errors are BadInput naming out."""
    target = _target(out)
    if os.path.exists(target) and not stat.S_ISREG(os.stat(target).st_mode):
        raise BadInput(f"{out}: expected a regular file to write to, found a device, pipe or other special file")
    tmp = None
    try:
        tmp, f = _new_temporary(target)
        with f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as e:
        raise BadInput(f"{out}: cannot write the file: {e.strerror or e}; the previous file, if any, is unchanged")
    finally:
        if tmp is not None and os.path.lexists(tmp):
            os.remove(tmp)  # only the file this call created
    folder, name = os.path.split(target)
    leftover = re.compile(re.escape(f".{name}.") + r"[0-9]+\.tmp")
    for entry in os.scandir(folder):
        if leftover.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                os.remove(entry.path)
            except OSError:
                pass  # best effort: the file is already written


def save_bytes(net):
    """The bytes of torch.save(saved_dict(net)), made in memory, so that a full disk is an OSError
    of an ordinary write (torch's own writer aborts the process when its file fails)."""
    buffer = io.BytesIO()
    torch.save(saved_dict(net), buffer)
    return buffer.getvalue()


def one_line(message):
    """The message on one line: a line break inside (from torch's text, or a file name) becomes a space."""
    return " ".join(message.split("\n"))


def main(argv=None):
    ap = argparse.ArgumentParser(description="A plainnet model file as a PyTorch nn.Sequential, or a TaskNet for several groups (float64); see the module doc.")
    ap.add_argument("model", help="the plainnet model file")
    ap.add_argument("--save", metavar="FILE", help="write the Sequential's state dict and layout to FILE (torch.save; loads with weights_only=True)")
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
        if args.rows < 1:
            raise BadInput(f"--rows: expected a whole number >= 1, found {args.rows}")
        if not (math.isfinite(args.rel) and args.rel > 0):
            raise BadInput(f"--rel: expected a finite number > 0, found {args.rel}")
        if args.save:
            check_output(args.save, "--save", [(args.model, args.model)], "net.pt")
        model = load_model(args.model)
        if args.check:
            return (check if model["version"] == 1 else task_check)(model, args.jar, args.rows, args.seed, args.rel)
        if args.predict:
            predict(model, args.predict, sys.stdout, args.model)
            return 0
        net = to_module(model)
        if args.save:
            write_atomically(args.save, save_bytes(net))
            print(f"saved {args.save}")
        else:
            print(net)
        return 0
    except BadInput as e:
        print(one_line(f"to_torch.py: {e}"), file=sys.stderr)
        return 2
    except Exception as e:  # a defect here, or a file plainnet reads that this script cannot: one line, not a traceback
        print(one_line(f"to_torch.py: {args.model}: cannot convert ({type(e).__name__}: {e})"), file=sys.stderr)
        return 2


if __name__ == "__main__":
    # Run through the module named to_torch, so that a torch.save'd Standardize is to_torch.Standardize
    # (which from_torch.py can load), not __main__.Standardize.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import to_torch
    sys.exit(to_torch.main())
