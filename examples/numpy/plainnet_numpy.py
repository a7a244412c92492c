"""An independent numpy (float64) implementation of plainnet, written from SPEC.md alone.

It reproduces plainnet's dense networks, masked losses, backward pass, optimizers, random
generator and initialisers closely enough to pass the test vectors of SPEC.md section 22.
The sums are vectorised, so their order differs from plainnet's (SPEC.md section 2); the
vector tolerances (section 22.3) allow that. Section numbers below refer to SPEC.md.
"""
import math

import numpy as np

MASK64 = (1 << 64) - 1


# --- Random numbers (section 11): SplitMix64 in Python ints, masked to 64 bits ------------
class Rng:
    def __init__(self, seed):
        self.state = seed & MASK64                      # the seed is the initial state

    def next_long(self):
        """The next 64-bit output as an unsigned Python int (0 <= v < 2^64)."""
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def next_double(self):
        return (self.next_long() >> 11) * 2.0 ** -53    # uniform on [0, 1), exact

    def next_gaussian(self):
        # Box-Muller, cosine branch only, no cached value: two next_long per call.
        # math.log/cos are glibc's, not fdlibm's: about 6 % of draws differ from Java's by up
        # to 3 ulp; the vectors' generator tolerance (rel 1e-14) allows it (SPEC.md section 11).
        u1 = 1.0 - self.next_double()                   # in (0, 1]
        u2 = self.next_double()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def next_int(self, n):
        limit = (1 << 63) - ((1 << 63) % n)             # rejection keeps r mod n uniform
        while True:
            r = self.next_long() >> 1                   # 63 bits
            if r < limit:
                return r % n

    def shuffle(self, a):
        """Fisher-Yates in place: for j = len-1 down to 1, swap a[j] and a[next_int(j+1)]."""
        for j in range(len(a) - 1, 0, -1):
            k = self.next_int(j + 1)
            a[j], a[k] = a[k], a[j]
        return a


# --- Initialisation (section 12): W filled row by row, one draw per entry -------------------
def init_weights(name, inputs, outputs, rng):
    fan = float(inputs) if name.startswith("he_") else float(inputs + outputs)
    if name.endswith("_normal"):
        scale, draw = math.sqrt(2.0 / fan), rng.next_gaussian
    else:
        scale, draw = math.sqrt(6.0 / fan), (lambda: 2.0 * rng.next_double() - 1.0)
    return np.array([[draw() * scale for _ in range(inputs)] for _ in range(outputs)])


# --- Activations (section 3) ------------------------------------------------------------------
def sigmoid(z):
    """sigma(z) without overflow: 1/(1+exp(-z)) for z >= 0, e/(1+e) with e = exp(z) otherwise."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def act_forward(layer, z):
    f = layer["activation"]
    if f == "identity":
        return z.copy()
    if f == "relu":
        return np.where(z > 0, z, 0.0)
    if f == "leaky_relu":
        return np.where(z > 0, z, layer.get("slope", 0.01) * z)
    if f == "sigmoid":
        return sigmoid(z)
    if f == "tanh":
        return np.tanh(z)
    raise ValueError(f"unknown activation {f!r}")


def act_backward(layer, z, a, da):
    """dz = da * f'(z), parenthesised as in the table of section 3."""
    f = layer["activation"]
    if f == "identity":
        return da.copy()
    if f == "relu":
        return np.where(z > 0, da, 0.0)                 # the kink z = 0 takes derivative 0
    if f == "leaky_relu":
        return np.where(z > 0, da, layer.get("slope", 0.01) * da)
    if f == "sigmoid":
        return da * (a * (1.0 - a))
    if f == "tanh":
        return da * (1.0 - a * a)
    raise ValueError(f"unknown activation {f!r}")


# --- Network: forward (sections 4, 5) and backward (sections 4, 5, 6) ------------------------
def forward(layers, x):
    """Returns the lists z_l and a_l for l = 0 ... L-1."""
    zs, acts, a = [], [], x
    for layer in layers:
        z = a @ layer["W"].T + layer["b"]               # z = a_prev . W^T + b
        a = act_forward(layer, z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def backward(layers, x, zs, acts, dout):
    """One backward pass from zero gradients (backwardToInput, section 5).

    Returns (dW, db, dx): dW[l], db[l] are None for a frozen layer (section 6, rule 1), and dx
    is dJ/dx through every layer, frozen or not. Gradients of trainable layers are the same as
    those of the plain backward, which stops at the lowest trainable layer (rule 4)."""
    dW, db = [None] * len(layers), [None] * len(layers)
    da = dout
    for l in range(len(layers) - 1, -1, -1):
        layer = layers[l]
        a_prev = x if l == 0 else acts[l - 1]
        dz = act_backward(layer, zs[l], acts[l], da)
        if layer["trainable"]:
            dW[l] = dz.T @ a_prev                       # dW_oi = sum_n dz_no * x_ni
            db[l] = dz.sum(axis=0)                      # db_o = sum_n dz_no
        da = dz @ layer["W"]                            # dx_ni = sum_o dz_no * W_oi
    return dW, db, da


# --- Losses (section 8) and reductions (section 9) -------------------------------------------
def labels(y_json):
    """JSON labels with null = unlabeled (section 7) -> (y with NaN placeholders, mask)."""
    mask = np.array([[v is not None for v in row] for row in y_json], dtype=bool)
    y = np.array([[np.nan if v is None else v for v in row] for row in y_json], dtype=float)
    return y, mask


def loss_and_grad(loss, z, y, mask):
    """Returns J and dz = dJ/dz (N, K); unlabeled units are skipped, their dz is +0.0."""
    kind, reduction = loss["kind"], loss.get("reduction", "per_example")
    n, k = z.shape
    y0 = np.where(mask, y, 0.0)                          # the NaN placeholders never enter a sum
    if kind == "binary_cross_entropy":                   # 8.1, units are entries
        w = np.ones(k) if loss.get("task_weight") is None else np.array(loss["task_weight"])
        p = np.ones(k) if loss.get("pos_weight") is None else np.array(loss["pos_weight"])
        c = np.log1p(np.exp(-np.abs(z)))
        sp_pos, sp_neg = np.maximum(z, 0.0) + c, np.maximum(-z, 0.0) + c   # softplus(z), softplus(-z)
        ell = p * y0 * sp_neg + (1.0 - y0) * sp_pos      # terms >= 0: no cancellation
        g = (1.0 - y0) * sigmoid(z) - p * y0 * sigmoid(-z)   # not sigma(z) - y, which cancels at y = 1, z >> 0
        unit_mask, units, all_units = mask, mask.sum(), n * k
        terms, grads = w * ell, w * g
    elif kind == "squared_error":                        # 8.3, units are entries
        w = np.ones(k) if loss.get("weight") is None else np.array(loss["weight"])
        d = z - y0
        unit_mask, units, all_units = mask, mask.sum(), n * k
        terms, grads = w * (d * d), w * (2.0 * d)
    elif kind == "softmax_cross_entropy":                # 8.2, units are rows
        rows = mask.all(axis=1)
        if np.any(rows != mask.any(axis=1)):
            raise ValueError("softmax: a row is partly labeled")
        m = z.max(axis=1, keepdims=True)
        e = np.exp(z - m)
        s = e.sum(axis=1, keepdims=True)
        lse = m + np.log(s)                              # log-sum-exp
        terms = np.where(rows[:, None], y0 * (lse - z), 0.0)   # summed over k: ell_n
        grads = e / s - y0                               # q_nk - y_nk
        unit_mask = np.repeat(rows[:, None], k, axis=1)
        units, all_units = rows.sum(), n
    else:
        raise ValueError(f"unknown loss kind {kind!r}")
    D = {"per_example": n, "mean_labeled": units, "mean_all": all_units, "sum": 1}[reduction]
    if D == 0:                                           # nothing labeled: J = 0, dz = 0
        return 0.0, np.zeros_like(z)
    S = np.where(unit_mask, terms, 0.0).sum()
    dz = np.where(unit_mask, grads / D, 0.0)
    return float(S / D), dz


# --- Optimizers (section 10) ------------------------------------------------------------------
class Optimizer:
    def __init__(self, cfg):
        self.kind = cfg["kind"]
        self.lr = cfg["lr"]
        self.mu = cfg.get("momentum", 0.0)
        self.b1, self.b2 = cfg.get("beta1", 0.9), cfg.get("beta2", 0.999)
        self.eps = cfg.get("eps", 1e-8)
        self.lam = cfg.get("weight_decay", 0.0)
        self.decoupled = cfg.get("decoupled", False)
        self.lr_decay = cfg.get("lr_decay", 1.0)         # discriminative rates, section 10.1 (absent: off)
        sp = cfg.get("l2_sp") or {"alpha": 0.0, "anchors": []}
        self.alpha = sp["alpha"]                         # L2-SP, section 10.1 (absent: off)
        self.anchors = {a["layer"]: np.array(a["W0"], dtype=float) for a in sp["anchors"]}
        self.state = {}                                  # per layer index: v; or m, v, t

    def step(self, layers, dW, db):
        for l, layer in enumerate(layers):
            if not layer["trainable"]:
                continue                                 # frozen: no update, no state (section 6)
            d = len(layers) - 1 - l                      # steps below the top
            eta = self.lr * (layer.get("lr_scale", 1.0) * self.lr_decay ** -float(d))
            st = self.state.setdefault(l, {"t": 0, "W": {}, "b": {}})
            st["t"] += 1                                 # Adam: once per layer per step
            for name, g, decay in (("W", dW[l], True), ("b", db[l], False)):
                theta = layer[name]
                if decay and self.alpha != 0.0:             # L2-SP: g = dW + alpha*(W - W0), W0 = 0 if no anchor
                    g = g + self.alpha * (theta - self.anchors.get(l, 0.0))
                if decay and self.lam != 0.0:
                    if self.decoupled:
                        theta = theta * (1.0 - eta * self.lam)   # before the update
                    else:
                        g = g + self.lam * theta                 # coupled L2
                layer[name] = self._update(st, name, theta, g, eta)

    def _update(self, st, name, theta, g, eta):
        s = st[name]
        if self.kind == "sgd":
            return theta - eta * g
        if self.kind == "momentum":
            s["v"] = self.mu * s.get("v", 0.0) + g
            return theta - eta * s["v"]
        if self.kind == "adam":
            s["m"] = self.b1 * s.get("m", 0.0) + (1.0 - self.b1) * g
            s["v"] = self.b2 * s.get("v", 0.0) + (1.0 - self.b2) * (g * g)
            m_hat = s["m"] / (1.0 - self.b1 ** st["t"])
            v_hat = s["v"] / (1.0 - self.b2 ** st["t"])
            return theta - (eta * m_hat) / (np.sqrt(v_hat) + self.eps)
        raise ValueError(f"unknown optimizer {self.kind!r}")


def layers_from_json(layers_json):
    """Layers as in the model file (section 16), with W and b as float64 arrays."""
    return [dict(lj, W=np.array(lj["W"], dtype=float), b=np.array(lj["b"], dtype=float))
            for lj in layers_json]


# --- Output groups (section 27.1) ---------------------------------------------------------------
def group_loss_and_grad(groups, z, y, mask):
    """J = sum_g w_g * J_g over the groups' columns in order, each group its own loss and reduction.

    Returns (J, [J_g], dz) with dz[:, group g's columns] = w_g * dJ_g/dz_g. A group with nothing
    labeled has J_g = 0 and dz_g = 0, so it adds nothing."""
    J, Jg, dz, c = 0.0, [], np.zeros_like(z), 0
    for g in groups:
        k = group_columns(g)
        J_g, dz_g = loss_and_grad(g["loss"], z[:, c:c + k], y[:, c:c + k], mask[:, c:c + k])
        J += g["weight"] * J_g
        dz[:, c:c + k] = g["weight"] * dz_g
        Jg.append(J_g)
        c += k
    return J, Jg, dz


def group_columns(g):
    """K_g: a group's "outputs", or the outputs of the last layer of its "tower"."""
    return g["outputs"] if "outputs" in g else g["tower"][-1]["outputs"]


# --- Task towers (section 27.2) ---------------------------------------------------------------
def task_forward(trunk, towers, x):
    """h = T(x); z_g = U_g(h); z = [z_0 | z_1 | ...]. Returns (trunk zs, acts), per tower (zs, acts), z."""
    tz, ta = forward(trunk, x)
    parts = [forward(tower, ta[-1]) for tower in towers]
    return (tz, ta), parts, np.concatenate([acts[-1] for _, acts in parts], axis=1)


def task_backward(trunk, towers, x, trunk_fwd, parts, dz, widths):
    """Each tower backward from its columns of dz down to its input; dh = the sum of the towers'
    input gradients; the trunk backward from dh to x. Returns (tower grads [(dW, db)], dh, trunk dW, db, dx)."""
    h = trunk_fwd[1][-1]
    grads, dh, c = [], np.zeros_like(h), 0
    for tower, (zs, acts), k in zip(towers, parts, widths):
        dW, db, dh_g = backward(tower, h, zs, acts, dz[:, c:c + k])
        grads.append((dW, db))
        dh = dh + dh_g
        c += k
    dW, db, dx = backward(trunk, x, trunk_fwd[0], trunk_fwd[1], dh)
    return grads, dh, dW, db, dx
