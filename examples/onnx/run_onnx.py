#!/usr/bin/env python3
"""Runs a model exported by `plainnet export --format onnx` in onnxruntime on a CSV file.

    python3 examples/onnx/run_onnx.py MODEL.onnx DATA.csv OUT_PREFIX [MODEL.onnx DATA.csv OUT_PREFIX ...]

For each triple it reads the model's feature columns (named in its metadata "features") from
DATA.csv, in the input's precision (float64, or float32 for an --float32 export), runs every
output and writes OUT_PREFIX.NAME.csv per output NAME (logits, probabilities; for a model of
several groups NAME_logits and NAME per group NAME): a header with the output's column names (the
model's tasks, or group NAME's tasks for its two outputs), then one line per data row, each number written with repr (it reads back to
the same bits). Several triples run in one process, which imports onnxruntime once. Each model
is checked with onnx.checker first where the onnx package is installed.
Used by plainnet's ExportCommandTest; SPEC.md, section "ONNX export".
"""
import csv
import json
import sys

import numpy as np
import onnxruntime as ort


def main(model_path, data_path, prefix):
    try:
        import onnx
    except ImportError:
        onnx = None
    if onnx is not None:
        onnx.checker.check_model(onnx.load(model_path), full_check=True)
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    features, tasks = json.loads(meta["features"]), json.loads(meta["tasks"])
    columns_of = {}
    if "groups" in meta:
        for name, group_tasks in zip(json.loads(meta["groups"]), json.loads(meta["group_tasks"])):
            columns_of[name] = columns_of[name + "_logits"] = group_tasks
    dtype = np.float32 if session.get_inputs()[0].type == "tensor(float)" else np.float64
    with open(data_path, newline="") as f:
        rows = list(csv.reader(f))
    header = [name.strip() for name in rows[0]]
    columns = [header.index(name) for name in features]
    x = np.array([[float(r[j]) for j in columns] for r in rows[1:]], dtype=dtype)
    names = [o.name for o in session.get_outputs()]
    for name, value in zip(names, session.run(names, {session.get_inputs()[0].name: x})):
        with open(prefix + "." + name + ".csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(columns_of.get(name, tasks))
            for row in value:
                w.writerow([repr(float(v)) for v in row])
    print("ran", model_path, "on", len(x), "rows:", ", ".join(names), "(" + np.dtype(dtype).name + ")")


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or len(args) % 3 != 0:
        sys.exit("usage: run_onnx.py MODEL.onnx DATA.csv OUT_PREFIX [MODEL.onnx DATA.csv OUT_PREFIX ...]")
    for j in range(0, len(args), 3):
        main(*args[j:j + 3])
