#!/usr/bin/env python3
"""A PyTorch nn.Sequential of Linear and activation layers (or a to_torch.TaskNet of a trunk and one
head per output group) as a plainnet model file (SPEC.md §16).

    python3 examples/pytorch/from_torch.py NET.pt --out M.json [--loss bce|softmax|mse] [--reduction R]
                     [--features a,b,...] [--tasks t1,t2,...] [--activations relu,tanh,identity] [--trust-pickle]

NET.pt is read with torch.load(weights_only=True), which runs no code from the file. It is either
  * a file of to_torch.py --save (the state dict, the module list, net.plainnet), or
  * the state dict of an nn.Sequential (torch.save(net.state_dict(), "NET.pt")): tensors
    "N.weight" (O, I) and "N.bias" (O) of each Linear at index N (and "0.mean", "0.std" of a first
    Standardize). A state dict holds no activations, so --activations names one per Linear, in
    plainnet's words: identity, relu, leaky_relu(SLOPE), sigmoid, tanh. It holds no requires_grad
    either: every layer is written trainable.
A whole pickled module (torch.save(net, ...)) needs code to load, and a pickle can name any code
(`os.system` included): it is refused in one line that names --trust-pickle, the flag that loads
it with weights_only=False. Give it only for a file you trust. In Python, no file is involved:

    from from_torch import save_model
    save_model(net, "M.json", loss="bce")

Accepted modules, in order: an optional first to_torch.Standardize (the model's "standardize",
SPEC §17.1), then per layer an nn.Linear followed by at most one of nn.ReLU, nn.LeakyReLU
(0 < slope < 1), nn.Sigmoid, nn.Tanh, nn.Identity (no activation module, or Identity, is plainnet's
identity). Weights are converted to float64 exactly (a float32 number is a double). A layer whose
weight and bias both have requires_grad=False is written frozen (trainable false); a Linear
without bias gets b = 0.

A to_torch.TaskNet (a --save file of version 2, or a pickled TaskNet with --trust-pickle: a trunk
Sequential and one head Sequential per group, SPEC §22.5) becomes a model file of version 2 (SPEC
§16.1): the trunk's layers, then per head the group's name, loss and weight from
net.plainnet["groups"] (--reduction replaces every group's reduction; --loss is refused, each group
has its own) and its tower. At least 2 heads; each head's first Linear reads the trunk's outputs.

The loss, reduction, feature and task names and each layer's lr_scale come from the options, else
from net.plainnet (set by to_torch.py, so plainnet → PyTorch → plainnet gives back the same file),
else: no default loss (say --loss), reduction per_example, features x0 … x(I−1), tasks y0 … y(K−1),
lr_scale 1.0.

No file is written that plainnet would refuse: a Linear with 0 inputs or outputs, an unknown loss
kind, an lr_scale ≤ 0, a negative task weight, names of the wrong count in net.plainnet, ... are
refused by name, and the text is then read back by plainnet's own checks (model_file.check_model)
before it is written. The file is byte for byte what plainnet writes for the same network (its JSON
layout, and numbers as Java 17's Double.toString writes them: see model_file.java_double).

--out follows plainnet's rule for an output file (SPEC §16, §21): checked before NET.pt is read (a
file name in an existing folder; not a folder, a device, a FIFO, a link to nothing, or NET.pt
itself), and written to a temporary file in the target's folder renamed over the target, so an
error never leaves a half-written or lost file. Bad input is one line naming the file and what was
expected and found, exit 2; never a traceback.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_file import BadInput, _Fields, _loss as check_loss, check_model, java_double, model_json  # noqa: E402,F401 (java_double: from_torch.java_double as before)
from to_torch import SAVED_FORMAT, check_output, from_saved, one_line, sequential, torch, torch_load, write_atomically  # noqa: E402

if torch is not None:
    from to_torch import TaskNet  # noqa: E402

if torch is not None:
    from torch import nn

LOSSES = {"bce": "binary_cross_entropy", "softmax": "softmax_cross_entropy", "mse": "squared_error"}
REDUCTIONS = ("per_example", "mean_labeled", "mean_all", "sum")

# ------------------------------------------------------------------------------------------------
# nn.Sequential → model dict

def _numbers(t, what):
    """t as float64 nested lists; refuses NaN and infinity naming what and the first bad index."""
    t = t.detach().to(torch.float64).cpu()
    bad = (~torch.isfinite(t)).nonzero()
    if len(bad):
        index = "".join(f"[{i}]" for i in bad[0].tolist())
        raise BadInput(f"{what}{index}: expected a finite number, found {t[tuple(bad[0].tolist())].item()}")
    return t.tolist()


def _plain(v):
    """v with Python ints (not bools) as floats, as a JSON reader would give them."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, (list, tuple)):
        return [_plain(e) for e in v]
    if isinstance(v, dict):
        return {k: _plain(e) for k, e in v.items()}
    return v


def _loss(kind, reduction):
    if reduction not in REDUCTIONS:
        raise BadInput(f"reduction: expected one of {', '.join(REDUCTIONS)}, found \"{reduction}\"")
    if kind == "binary_cross_entropy":
        return {"kind": kind, "reduction": reduction, "task_weight": None, "pos_weight": None}
    if kind == "squared_error":
        return {"kind": kind, "reduction": reduction, "weight": None}
    return {"kind": kind, "reduction": reduction}


def _meta_loss(spec, reduction, K, source, field="plainnet.loss"):
    """The loss object of net.plainnet["loss"] (with --reduction over its reduction), checked as
    plainnet checks a file's loss for K outputs; errors name the field (plainnet.loss)."""
    if not isinstance(spec, dict):
        raise BadInput(f"{source}: field {field}: expected an object, found {type(spec).__name__}")
    spec = _plain(dict(spec))
    if reduction is not None:
        spec["reduction"] = reduction
    check_loss(_Fields(spec, source, field), K)
    loss_obj = _loss(spec["kind"], spec["reduction"])
    loss_obj.update({k: spec[k] for k in loss_obj})
    return loss_obj


def _names(given, meta, key, count, default, source, what):
    """Feature or task names: the option, else net.plainnet[key], else default; count of them."""
    if given is not None:
        names, where = list(given), f"--{key}"
    elif meta.get(key) is not None:
        names, where = meta[key], f"{source}: field plainnet.{key}"
        if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
            raise BadInput(f"{where}: expected a list of names, found {names!r}")
        names = list(names)
    else:
        return list(default)
    if len(names) != count:
        raise BadInput(f"{where}: expected {count} names (one per {what}), found {len(names)}")
    return names


def _standardize(modules, source, where=""):
    """The "standardize" object of a first Standardize module, removed from the list modules; None without one."""
    if not modules or type(modules[0]).__name__ != "Standardize":
        return None
    st = modules.pop(0)
    mean, std = _numbers(st.mean, f"{source}: {where}module 0 (Standardize) mean"), _numbers(st.std, f"{source}: {where}module 0 (Standardize) std")
    if len(mean) != len(std):
        raise BadInput(f"{source}: {where}module 0 (Standardize): expected a mean and a std of the same length, found {len(mean)} and {len(std)}")
    for i, s in enumerate(std):
        if not s > 0:
            raise BadInput(f"{source}: {where}module 0 (Standardize) std[{i}]: expected a number > 0, found {s}")
    return {"mean": mean, "std": std}


def _layers(modules, first, scales, source, where, scale_field):
    """The layer objects of modules (Linear, each followed by at most one activation module), the
    first at module index first; where ("", "trunk ", "head 1 (even) ") begins each layer's name in
    messages; scales: the lr_scale list of net.plainnet at scale_field, or None."""
    scales = scales or []
    if not isinstance(scales, (list, tuple)):
        raise BadInput(f"{source}: field {scale_field}: expected a list of numbers, one per Linear, found {scales!r}")
    layers, m = [], 0
    while m < len(modules):
        mod, index = modules[m], first + m
        if not isinstance(mod, nn.Linear):
            what = "an activation must follow a Linear" if isinstance(mod, (nn.ReLU, nn.LeakyReLU, nn.Sigmoid, nn.Tanh, nn.Identity)) else "unsupported module"
            raise BadInput(f"{source}: {where}module {index} ({type(mod).__name__}): {what}; expected Linear, optionally followed by one of ReLU, LeakyReLU, Sigmoid, Tanh, Identity")
        l = len(layers)
        name = f"{source}: {where}layer {l} (module {index}, Linear)"
        O, I = mod.weight.shape
        if I < 1 or O < 1:
            raise BadInput(f"{name}: expected at least 1 input and 1 output (plainnet has no empty layer), found Linear({I}, {O})")
        if layers and I != layers[-1]["outputs"]:
            raise BadInput(f"{name}: expected {layers[-1]['outputs']} inputs (the outputs of layer {l - 1}), found {I}")
        layer = {"inputs": I, "outputs": O, "activation": "identity"}
        act = modules[m + 1] if m + 1 < len(modules) else None
        if isinstance(act, nn.ReLU):
            layer["activation"] = "relu"
        elif isinstance(act, nn.LeakyReLU):
            s = float(act.negative_slope)
            if not 0 < s < 1:
                raise BadInput(f"{source}: {where}module {index + 1} (LeakyReLU): expected a slope with 0 < slope < 1, found {s}")
            layer["activation"], layer["slope"] = "leaky_relu", s
        elif isinstance(act, nn.Sigmoid):
            layer["activation"] = "sigmoid"
        elif isinstance(act, nn.Tanh):
            layer["activation"] = "tanh"
        elif not isinstance(act, (nn.Identity, nn.Linear, type(None))):
            raise BadInput(f"{source}: {where}module {index + 1} ({type(act).__name__}): unsupported module; expected Linear, optionally followed by one of ReLU, LeakyReLU, Sigmoid, Tanh, Identity")
        m += 1 if act is None or isinstance(act, nn.Linear) else 2
        params = [mod.weight] + ([mod.bias] if mod.bias is not None else [])
        flags = {p.requires_grad for p in params}
        if len(flags) > 1:
            raise BadInput(f"{name}: expected weight and bias both trainable or both frozen (plainnet freezes whole layers), found requires_grad {mod.weight.requires_grad} and {mod.bias.requires_grad}")
        layer["trainable"] = flags.pop()
        scale = scales[l] if l < len(scales) else 1.0
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0 or scale == float("inf"):
            raise BadInput(f"{source}: field {scale_field}[{l}]: expected a finite number > 0, found {scale!r}")
        layer["lr_scale"] = float(scale)
        layer["W"] = _numbers(mod.weight, f"{name} weight")                          # (O, I)
        layer["b"] = _numbers(mod.bias, f"{name} bias") if mod.bias is not None else [0.0] * O  # (O)
        layers.append(layer)
    if not layers:
        raise BadInput(f"{source}: {where}expected at least one Linear layer, found none")
    if len(scales) > len(layers):
        raise BadInput(f"{source}: field {scale_field}: expected {len(layers)} numbers (one per Linear), found {len(scales)}")
    return layers


def _task_model(net, meta, loss, reduction, features, tasks, source):
    """The version-2 model file (a dict in the file's key order) of a TaskNet: its trunk, and per
    head the group's name, loss and weight from net.plainnet["groups"] (--reduction over each
    group's reduction), and its tower (SPEC §16.1)."""
    if loss is not None:
        raise BadInput(f"--loss: expected no --loss for a TaskNet (each group's loss comes from net.plainnet[\"groups\"]), found {loss}")
    G = len(net.heads)
    if G < 2:
        raise BadInput(f"{source}: expected at least 2 heads (a model of one group is an nn.Sequential: its trunk's and head's modules in one), found {G}")
    groups_meta = meta.get("groups")
    if not isinstance(groups_meta, (list, tuple)) or len(groups_meta) != G or not all(isinstance(g, dict) for g in groups_meta):
        raise BadInput(f"{source}: field plainnet.groups: expected {G} objects (name, loss, weight, lr_scale: one per head), found {groups_meta!r}")
    trunk_modules = list(net.trunk)
    standardize = _standardize(trunk_modules, source, "trunk ")
    trunk = _layers(trunk_modules, len(net.trunk) - len(trunk_modules), meta.get("lr_scale"), source, "trunk ", "plainnet.lr_scale")
    H = trunk[-1]["outputs"]
    groups, names, K = [], [], 0
    for g, (head, gm) in enumerate(zip(net.heads, groups_meta)):
        name = gm.get("name")
        field = f"plainnet.groups[{g}]"
        if not isinstance(name, str) or not name:
            raise BadInput(f"{source}: field {field}.name: expected a non-empty name, found {name!r}")
        if name in names:
            raise BadInput(f"{source}: field {field}.name: expected a name no other group has, found \"{name}\", the name of groups[{names.index(name)}]")
        if net.names[g] != name:
            raise BadInput(f"{source}: field {field}.name: expected the name of head {g}, \"{net.names[g]}\", found \"{name}\"")
        where = f"head {g} ({name}) "
        tower = _layers(list(head), 0, gm.get("lr_scale"), source, where, f"{field}.lr_scale")
        if tower[0]["inputs"] != H:
            raise BadInput(f"{source}: {where}layer 0 (module 0, Linear): expected {H} inputs (the outputs of the trunk), found {tower[0]['inputs']}")
        Kg = tower[-1]["outputs"]
        weight = gm.get("weight", 1.0)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 <= weight < float("inf"):
            raise BadInput(f"{source}: field {field}.weight: expected a finite number >= 0, found {weight!r}")
        if gm.get("loss") is None:
            raise BadInput(f"{source}: field {field}.loss: expected the group's loss object (kind, reduction, ...), found none")
        groups.append({"name": name, "loss": _meta_loss(gm["loss"], reduction, Kg, source, f"{field}.loss"), "weight": float(weight), "tower": tower})
        names.append(name)
        K += Kg
    I = trunk[0]["inputs"]
    if standardize is not None and len(standardize["mean"]) != I:
        raise BadInput(f"{source}: trunk module 0 (Standardize): expected {I} features (the inputs of trunk layer 0), found {len(standardize['mean'])}")
    features = _names(features, meta, "features", I, [f"x{i}" for i in range(I)], source, "input of trunk layer 0")
    tasks = _names(tasks, meta, "tasks", K, [f"y{k}" for k in range(K)], source, "output of the heads")
    model = {"format": "plainnet-model", "version": 2, "trunk": trunk, "groups": groups, "features": features, "tasks": tasks}
    if standardize is not None:
        model["standardize"] = standardize
    return model


def to_model(net, loss=None, reduction=None, features=None, tasks=None, source="the Sequential"):
    """The plainnet model file (a dict in the file's key order) of net, an nn.Sequential (version 1)
    or a to_torch.TaskNet (version 2).

    loss is bce, softmax or mse (or a model file's loss object); the other arguments as the module doc says."""
    if not isinstance(net, (nn.Sequential, TaskNet)):
        raise BadInput(f"{source}: expected an nn.Sequential or a to_torch.TaskNet, found {type(net).__name__}")
    meta = getattr(net, "plainnet", None) or {}
    if not isinstance(meta, dict):
        raise BadInput(f"{source}: field plainnet: expected a dict of loss, features, tasks and lr_scale, found {type(meta).__name__}")
    if isinstance(net, TaskNet):
        return _task_model(net, meta, loss, reduction, features, tasks, source)
    modules = list(net)
    standardize = _standardize(modules, source)
    layers = _layers(modules, len(net) - len(modules), meta.get("lr_scale"), source, "", "plainnet.lr_scale")
    I, K = layers[0]["inputs"], layers[-1]["outputs"]
    if standardize is not None and len(standardize["mean"]) != I:
        raise BadInput(f"{source}: module 0 (Standardize): expected {I} features (the inputs of layer 0), found {len(standardize['mean'])}")
    if loss is None and meta.get("loss") is not None:
        loss_obj = _meta_loss(meta["loss"], reduction, K, source)
    elif loss is None:
        raise BadInput(f"{source}: expected a loss (--loss bce, softmax or mse): the Sequential carries no plainnet loss")
    elif loss not in LOSSES:
        raise BadInput(f"loss: expected bce, softmax or mse, found \"{loss}\"")
    else:
        loss_obj = _loss(LOSSES[loss], reduction or "per_example")
    features = _names(features, meta, "features", I, [f"x{i}" for i in range(I)], source, "input of layer 0")
    tasks = _names(tasks, meta, "tasks", K, [f"y{k}" for k in range(K)], source, "output of the last layer")
    model = {"format": "plainnet-model", "version": 1, "layers": layers, "loss": loss_obj, "features": features, "tasks": tasks}
    if standardize is not None:
        model["standardize"] = standardize
    return model


def model_text(net, **options):
    """The model file's text for net (options as to_model's), read back by plainnet's checks first:
    a text plainnet would refuse is never returned."""
    text = model_json(to_model(net, **options))
    try:
        check_model(text, "the model file")
    except BadInput as e:
        raise BadInput(f"{options.get('source', 'the Sequential')}: would write a model file plainnet refuses ({e})")
    return text


def save_model(net, out, **options):
    """Writes net as a plainnet model file at out (options as to_model's), checked and atomically."""
    check_output(out, "--out", [], "model.json")
    write_atomically(out, model_text(net, **options).encode("utf-8"))


# ------------------------------------------------------------------------------------------------
# NET.pt → nn.Sequential, without running code from the file unless asked

_ACTIVATION = re.compile(r"(identity|relu|sigmoid|tanh)|leaky_relu\(([^()]*)\)")
_MODULES = {"relu": "ReLU", "sigmoid": "Sigmoid", "tanh": "Tanh", "identity": None}


def _parse_activations(text):
    """--activations: plainnet names, comma-separated, as module dicts (None for identity)."""
    out = []
    for j, item in enumerate(text.split(",")):
        item = item.strip()
        m = _ACTIVATION.fullmatch(item)
        slope = None
        if m and m.group(2) is not None:
            try:
                slope = float(m.group(2))
            except ValueError:
                m = None
        if not m or (slope is not None and not 0 < slope < 1):
            raise BadInput(f"--activations: expected one of identity, relu, leaky_relu(SLOPE) with 0 < SLOPE < 1, sigmoid, tanh at item {j + 1}, found \"{item}\"")
        out.append({"type": "LeakyReLU", "negative_slope": slope} if slope is not None else ({"type": _MODULES[item]} if _MODULES[item] else None))
    return out


def _from_state_dict(state, activations, source):
    """The Sequential of an nn.Sequential's state dict: a Linear at each index N with N.weight, a
    first Standardize where 0.mean and 0.std are, and the --activations after each Linear."""
    if activations is None:
        raise BadInput(f"{source}: expected --activations for a state dict (it holds the weights, not the activations): one per Linear, e.g. --activations relu,identity")
    indices = {}
    for key in state:
        m = re.fullmatch(r"([0-9]+)\.(weight|bias|mean|std)", key)
        if not m:
            raise BadInput(f"{source}: expected the state dict of an nn.Sequential (keys N.weight, N.bias, and 0.mean, 0.std of a Standardize), found the key \"{key}\"")
        indices.setdefault(int(m.group(1)), set()).add(m.group(2))
    linears = sum(1 for parts in indices.values() if "weight" in parts)
    if linears != len(activations):
        raise BadInput(f"--activations: expected {linears} activations (one per Linear of {source}), found {len(activations)}")
    modules, state2, l = [], {}, 0
    for n in sorted(indices):
        parts = indices[n]
        if parts == {"mean", "std"} and n == 0:
            modules.append({"type": "Standardize"})
        elif "weight" in parts and parts <= {"weight", "bias"}:
            modules.append({"type": "Linear", "requires_grad": True})
        else:
            raise BadInput(f"{source}: module {n}: expected weight and bias of a Linear (or mean and std of a first Standardize), found {', '.join(sorted(parts))}")
        for part in parts:
            state2[f"{len(modules) - 1}.{part}"] = state[f"{n}.{part}"]
        if modules[-1]["type"] == "Linear":
            if activations[l] is not None:
                modules.append(activations[l])
            l += 1
    return sequential(modules, state2, source)


def load_net(path, trust_pickle=False, activations=None):
    """The nn.Sequential in the file at path (see the module doc); no code from the file runs
    unless trust_pickle. activations: the parsed --activations, for a state dict only."""
    obj = torch_load(path, trust_pickle)
    if isinstance(obj, nn.Module):  # only with trust_pickle: weights_only never builds a module
        net = obj
    elif isinstance(obj, dict) and obj.get("format") == SAVED_FORMAT:
        net = from_saved(obj, path)
    elif isinstance(obj, dict) and obj and all(isinstance(k, str) for k in obj) and all(torch.is_tensor(v) for v in obj.values()):
        return _from_state_dict(obj, activations, path)
    else:
        raise BadInput(f"{path}: expected a state dict of an nn.Sequential or a file of to_torch.py --save, found {type(obj).__name__}"
                       + (" (empty)" if isinstance(obj, dict) and not obj else ""))
    if activations is not None:
        raise BadInput(f"--activations: expected only for a state dict, found {path}, which has its own activations")
    return net


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write a plainnet model file from a PyTorch nn.Sequential saved by to_torch.py --save or torch.save(net.state_dict()); see the module doc.")
    ap.add_argument("net", help="a file of to_torch.py --save, or the state dict of an nn.Sequential (torch.save(net.state_dict(), ...))")
    ap.add_argument("--out", required=True, help="the model file to write")
    ap.add_argument("--loss", choices=sorted(LOSSES), help="the loss (default: the one to_torch.py attached)")
    ap.add_argument("--reduction", choices=REDUCTIONS, help="the reduction (default: the attached one, else per_example)")
    ap.add_argument("--features", help="comma-separated input names (default: the attached ones, else x0, x1, ...)")
    ap.add_argument("--tasks", help="comma-separated output names (default: the attached ones, else y0, y1, ...)")
    ap.add_argument("--activations", help="for a state dict: the activation after each Linear, e.g. relu,leaky_relu(0.2),identity")
    ap.add_argument("--trust-pickle", action="store_true",
                    help="load NET.pt with weights_only=False, which runs any code its pickle names: only for a file you trust (a whole torch.save'd module needs it)")
    args = ap.parse_args(argv)
    if torch is None:
        print("from_torch.py: PyTorch is not installed (pip install torch)", file=sys.stderr)
        return 2
    try:
        activations = _parse_activations(args.activations) if args.activations is not None else None
        check_output(args.out, "--out", [(args.net, args.net)], "model.json")
        net = load_net(args.net, args.trust_pickle, activations)
        text = model_text(net, loss=args.loss, reduction=args.reduction, source=args.net,
                          features=args.features.split(",") if args.features else None,
                          tasks=args.tasks.split(",") if args.tasks else None)
        write_atomically(args.out, text.encode("utf-8"))
        print(f"wrote {args.out}")
        return 0
    except BadInput as e:
        print(one_line(f"from_torch.py: {e}"), file=sys.stderr)
        return 2
    except Exception as e:  # a file torch loads but this script did not foresee: one line, not a traceback
        print(one_line(f"from_torch.py: {args.net}: cannot convert ({type(e).__name__}: {e})"), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
