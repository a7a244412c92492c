"""plainnet's model file in Python: read and checked as plainnet reads it, written as plainnet writes it.

A port of plainnet.io.Json, Fields, ModelFile.parse and TextFiles.read (SPEC.md §15, §16) for
to_torch.py and from_torch.py, so that both refuse exactly what plainnet refuses, with plainnet's
one-line message (`m.json:3:8: expected ...`, `m.json: field layers[0].W: expected 32 rows, found
64`), and so that from_torch.py never writes a file plainnet would refuse: it checks its own text
with check_model before writing. PyTorchExampleTest compares every message with `plainnet info`.

    from model_file import read_model, check_model, model_json
    model = read_model("M.json")        # the parsed, checked model (dicts, lists, floats); BadInput if plainnet would refuse it
                                        # version 1: model["layers"], model["loss"]; version 2 (several output groups):
                                        # model["trunk"], model["groups"][g] = {"name", "loss", "weight", "tower"}
    check_model(text, "M.json")         # the same for text in memory
    text = model_json(model)            # plainnet's own layout and number format (Double.toString)

Column numbers count UTF-16 code units, as Java's strings do (a character beyond U+FFFF is two).
"""
import math
import os
import re
import struct
import unicodedata
from decimal import Decimal, InvalidOperation

FORMAT = "plainnet-model"
VERSION = 1          # a model of one output group
VERSION_GROUPS = 2   # a model of several groups: a trunk and one tower per group (SPEC.md §16.1)
MAX_DEPTH = 64
ACTIVATIONS = ("identity", "relu", "leaky_relu", "sigmoid", "tanh")
REDUCTIONS = ("per_example", "mean_labeled", "mean_all", "sum")
LOSS_KINDS = ("binary_cross_entropy", "softmax_cross_entropy", "squared_error")


class BadInput(Exception):
    """A one-line message naming the file and field; the command exits 2."""


# ------------------------------------------------------------------------------------------------
# Numbers as Java writes them (Double.toString of JDK 17), for the file and for messages

# FloatingDecimal's table of decimal digits that carry no information below 2^p (JDK 17).
_INSIGNIFICANT = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 8,
                  9, 9, 9, 9, 10, 10, 10, 11, 11, 11, 12, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15, 15,
                  16, 16, 16, 17, 17, 17, 18, 18, 18, 19]


def _digits(x):
    """(digits, point) with x = ±0.d1d2… × 10^point: the shortest digits that round-trip (Python's repr),
    except for whole numbers below 2^63, which Java 17 writes from the exact integer (FloatingDecimal's
    long path, which keeps digits down to the last significant power of ten)."""
    a = abs(x)
    if a == int(a) and a < 2.0 ** 63:
        bits = struct.unpack(">Q", struct.pack(">d", a))[0]
        p2 = ((bits >> 52) & 0x7FF) - 1023 - 53 - 1
        insignificant = _INSIGNIFICANT[p2] if 1 < p2 < len(_INSIGNIFICANT) else 0
        v = int(a)
        if insignificant:
            v, residue = divmod(v, 10 ** insignificant)
            v += residue >= 10 ** insignificant // 2
        s = str(v)
        return s.rstrip("0"), len(s) + insignificant
    r = repr(a)
    mantissa, _, exp = r.partition("e")
    ip, _, fp = mantissa.partition(".")
    e = int(exp or 0)
    if ip.strip("0"):
        point = len(ip) + e
    else:
        point = e - (len(fp) - len(fp.lstrip("0")))
    return (ip + fp).lstrip("0").rstrip("0"), point


def java_double(x):
    """Double.toString(x) of Java 17: plain decimals with at least one fraction digit for
    1e-3 ≤ |x| < 1e7, else d.dddE±n; NaN and Infinity as Java writes them. Tested against the JVM
    on 2.4 million doubles: identical for every |x| < 1e18 (FloatingDecimal writes some larger ones
    with a digit more than needed; they still read back to the same double)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0.0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    if abs(x) == 5e-324:  # the smallest subnormal: JDK 17 writes two digits where one reads back
        return "-4.9E-324" if x < 0 else "4.9E-324"
    digits, point = _digits(x)
    sign = "-" if x < 0 else ""
    if 1e-3 <= abs(x) < 1e7:
        if point <= 0:
            s = "0." + "0" * -point + digits
        elif point >= len(digits):
            s = digits + "0" * (point - len(digits)) + ".0"
        else:
            s = digits[:point] + "." + digits[point:]
    else:
        s = digits[0] + "." + (digits[1:] or "0") + "E" + str(point - 1)
    return sign + s


# ------------------------------------------------------------------------------------------------
# Reading text: TextFiles.read (strict UTF-8) and Json.parse (strict JSON, errors at line:column)

def _utf16_units(s):
    """The length of s in UTF-16 code units (Java's String.length)."""
    return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


def utf8_error(path, raw, e):
    """plainnet's message for the first byte of raw that is not UTF-8 (e a UnicodeDecodeError):
    its line and its column counted in characters (UTF-16 units), as TextFiles.notUtf8."""
    line_start = raw.rfind(b"\n", 0, e.start) + 1
    line = raw.count(b"\n", 0, e.start) + 1
    column = _utf16_units(raw[line_start:e.start].decode("utf-8")) + 1
    return BadInput(f"{path}:{line}:{column}: expected UTF-8 text, found the byte 0x{raw[e.start]:02x}, which is not UTF-8 here")


def read_text(path, what):
    """The whole file as text, or BadInput with plainnet's message for a folder, a missing or
    unreadable file, or bytes that are not UTF-8 (TextFiles.read)."""
    if os.path.isdir(path):
        raise BadInput(f"{path}: expected {what}, found a folder")
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise BadInput(f"{path}: expected {what}, found no such file")
    except OSError as e:
        reason = "permission denied" if isinstance(e, PermissionError) else (e.strerror or str(e))
        raise BadInput(f"{path}: expected {what}, found a file that cannot be read ({reason})")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise utf8_error(path, raw, e)


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _to_utf16(text):
    """text with every character beyond U+FFFF as its two surrogates, so that indices are Java's."""
    return _ASTRAL.sub(lambda m: "".join(chr(u) for u in struct.unpack("<2H", m.group().encode("utf-16-le"))), text)


def _from_utf16(s):
    """s with surrogate pairs joined again (a lone surrogate stays, as in Java)."""
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass") if any(0xD800 <= ord(c) <= 0xDFFF for c in s) else s


def _java_whitespace(c):
    """Character.isWhitespace."""
    if c in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f":
        return True
    return unicodedata.category(c) in ("Zs", "Zl", "Zp") and c not in "\xa0\u2007\u202f"


class _Json:
    """Json.parse of plainnet (SPEC §15), message for message."""

    def __init__(self, text, file):
        self.text, self.file, self.pos, self.line, self.line_start = text, file, 0, 1, 0

    def parse(self):
        self.skip_space()
        value = self.value(0)
        self.skip_space()
        if self.pos < len(self.text):
            raise self.error("expected the end of the file after the top-level value", self.found())
        return value

    def value(self, depth):
        if self.pos >= len(self.text):
            raise self.error("expected a value", "the end of the file")
        c = self.text[self.pos]
        if c == "{":
            return self.object(depth + 1)
        if c == "[":
            return self.array(depth + 1)
        if c == '"':
            return self.string()
        if c == "t":
            return self.literal("true", True)
        if c == "f":
            return self.literal("false", False)
        if c == "n":
            return self.literal("null", None)
        if c == "-" or "0" <= c <= "9":
            return self.number()
        raise self.error("expected a value (object, array, string, number, true, false or null)", self.found())

    def object(self, depth):
        self.check_depth(depth)
        m = {}
        self.pos += 1
        self.skip_space()
        if self.peek() == "}":
            self.pos += 1
            return m
        while True:
            self.skip_space()
            if self.peek() != '"':
                raise self.error("expected a string key", self.found())
            key_line, key_column = self.line, self.pos - self.line_start + 1
            key = self.string()
            if key in m:
                raise BadInput(f"{self.file}:{key_line}:{key_column}: expected each key once in an object, found the key \"{_from_utf16(key)}\" again")
            self.skip_space()
            if self.peek() != ":":
                raise self.error(f"expected ':' after the key \"{_from_utf16(key)}\"", self.found())
            self.pos += 1
            self.skip_space()
            m[key] = self.value(depth)
            self.skip_space()
            c = self.peek()
            self.pos += 1
            if c == "}":
                return m
            if c != ",":
                self.pos -= 1
                raise self.error("expected ',' or '}' in an object", self.found())

    def array(self, depth):
        self.check_depth(depth)
        a = []
        self.pos += 1
        self.skip_space()
        if self.peek() == "]":
            self.pos += 1
            return a
        while True:
            self.skip_space()
            a.append(self.value(depth))
            self.skip_space()
            c = self.peek()
            self.pos += 1
            if c == "]":
                return a
            if c != ",":
                self.pos -= 1
                raise self.error("expected ',' or ']' in an array", self.found())

    _ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}

    def string(self):
        text, n = self.text, len(self.text)
        self.pos += 1
        s = []
        while True:
            if self.pos >= n:
                raise self.error("expected '\"' to close the string", "the end of the file")
            c = text[self.pos]
            if c == '"':
                self.pos += 1
                return "".join(s)
            if c < " ":
                raise self.error("expected a character or an escape in a string", self.describe(c))
            if c != "\\":
                s.append(c)
                self.pos += 1
                continue
            self.pos += 1
            if self.pos >= n:
                raise self.error("expected an escape after '\\'", "the end of the file")
            e = text[self.pos]
            if e in self._ESCAPES:
                s.append(self._ESCAPES[e])
            elif e == "u":
                if self.pos + 4 >= n:
                    raise self.error("expected 4 hex digits after \\u", "the end of the file")
                code = 0
                for j in range(1, 5):
                    h = text[self.pos + j]
                    if h not in "0123456789abcdefABCDEF":
                        self.pos += j
                        raise self.error("expected 4 hex digits after \\u", self.found())
                    code = code * 16 + int(h, 16)
                s.append(chr(code))
                self.pos += 4
            else:
                self.pos -= 1
                raise self.error("expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", "\\" + e)
            self.pos += 1

    def number(self):
        text, start = self.text, self.pos
        start_column = self.pos - self.line_start + 1
        if self.peek() == "-":
            self.pos += 1
        if self.peek() == "0":
            self.pos += 1
            if self.digit():
                raise self.error("expected no leading zero in a number", text[start:self.pos + 1])
        elif self.digit():
            while self.digit():
                self.pos += 1
        else:
            raise self.error("expected a digit in a number", self.found())
        if self.peek() == ".":
            self.pos += 1
            if not self.digit():
                raise self.error("expected a digit after '.'", self.found())
            while self.digit():
                self.pos += 1
        if self.peek() in ("e", "E"):
            self.pos += 1
            if self.peek() in ("+", "-"):
                self.pos += 1
            if not self.digit():
                raise self.error("expected a digit in the exponent", self.found())
            while self.digit():
                self.pos += 1
        literal = text[start:self.pos]
        v = float(literal)
        if math.isinf(v):
            raise BadInput(f"{self.file}:{self.line}:{start_column}: expected a number within the double range (|x| <= 1.7976931348623157E308), found {_shown(literal)}")
        # An underflow is refused as an overflow is (SPEC §15): a nonzero literal must not read as 0
        # without a word (1e-400). A zero reads as 0 whatever its exponent (0.0e4999999523447794).
        if v == 0.0 and not _exact(literal, v):
            raise BadInput(f"{self.file}:{self.line}:{start_column}: expected 0 or a number that rounds to a nonzero double (|x| > 2.4703282292062328E-324, half the smallest"
                           f" double 4.9E-324), found {_shown(literal)}, which would read as 0")
        # An integer must not be replaced by a neighbour without a word (SPEC §15): 9007199254740993
        # would read as 2^53.
        integer_literal = not any(c in literal for c in ".eE")
        whole_up_to_2p53 = v == math.floor(v) and abs(v) <= 2.0 ** 53
        if len(literal) > 15 and (integer_literal or whole_up_to_2p53) and not _exact(literal, v):
            raise BadInput(f"{self.file}:{self.line}:{start_column}: expected a number that a double holds exactly (whole numbers up to 2^53 = 9007199254740992), found "
                           f"{_shown(literal)}, which would read as {format(Decimal(v), 'f')}")
        return v

    def digit(self):
        c = self.peek()
        return c != "" and c in "0123456789"

    def literal(self, word, value):
        if not self.text.startswith(word, self.pos):
            raise self.error("expected a value (object, array, string, number, true, false or null)", self.found())
        self.pos += len(word)
        return value

    def check_depth(self, depth):
        if depth > MAX_DEPTH:
            raise self.error(f"expected nesting of at most {MAX_DEPTH} arrays and objects", "deeper nesting")

    def skip_space(self):
        text, n = self.text, len(self.text)
        while self.pos < n:
            c = text[self.pos]
            if c == "\n":
                self.line += 1
                self.line_start = self.pos + 1
            elif c not in " \t\r":
                return
            self.pos += 1

    def peek(self):
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def found(self):
        text, pos = self.text, self.pos
        if pos >= len(text):
            return "the end of the file"
        end = pos
        while end < len(text) and end - pos < 20 and not _java_whitespace(text[end]) and text[end] not in ",:[]{}":
            end += 1
        if end == pos:
            end = pos + 1
        token = text[pos:end]
        return self.describe(token) if len(token) == 1 else "'" + _from_utf16(token) + "'"

    @staticmethod
    def describe(c):
        return "the control character U+%04X" % ord(c) if c < " " else "'" + c + "'"

    def error(self, expected, found):
        return BadInput(f"{self.file}:{self.line}:{self.pos - self.line_start + 1}: {expected}, found {found}")


def _shown(literal):
    """A literal for a message, as Json.shown: as it is up to 40 characters, else its first 20 and its length."""
    return literal if len(literal) <= 40 else f"{literal[:20]}… (a number of {len(literal)} characters)"


def _exact(literal, v):
    """Whether the decimal literal denotes exactly the double v (BigDecimal.compareTo == 0)."""
    try:
        return Decimal(literal) == Decimal(v)
    except InvalidOperation:  # an exponent beyond Decimal's range: the value is 0 only if every digit is
        mantissa = re.split("[eE]", literal)[0]
        return v == 0.0 and not mantissa.strip("-+.0")


def parse_json(text, file):
    """The JSON value of text (objects as dicts in file order, numbers as floats), or BadInput
    with plainnet's message naming file, line and column."""
    if _ASTRAL.search(text):
        return _join(_Json(_to_utf16(text), file).parse())
    return _Json(text, file).parse()


def _join(v):
    """Strings of a parsed value with their surrogate pairs joined again."""
    if isinstance(v, str):
        return _from_utf16(v)
    if isinstance(v, list):
        return [_join(e) for e in v]
    if isinstance(v, dict):
        return {_from_utf16(k): _join(e) for k, e in v.items()}
    return v


# ------------------------------------------------------------------------------------------------
# Checking the model: Fields and ModelFile.parse of plainnet, in the same order

def kind(v):
    """Fields.kind: a parsed value as a message says it."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f"the string \"{v}\""
    if isinstance(v, float):
        return "the number " + java_double(v)
    if isinstance(v, list):
        return "an array"
    if isinstance(v, dict):
        return "an object"
    return type(v).__name__


class _Fields:
    """One JSON object with typed access; every error names the file and the field's path (Fields)."""

    def __init__(self, m, file, path):
        self.m, self.file, self.path = m, file, path

    def name(self, key):
        return f"{self.path}.{key}" if self.path else key

    def error(self, key, message):
        return BadInput(f"{self.file}: field {self.name(key)}: {message}")

    def get(self, key):
        if key not in self.m:
            raise BadInput(f"{self.file}: expected a field {self.name(key)}, found none")
        return self.m[key]

    def string(self, key):
        v = self.get(key)
        if not isinstance(v, str):
            raise self.error(key, "expected a string, found " + kind(v))
        return v

    def bool(self, key):
        v = self.get(key)
        if not isinstance(v, bool):
            raise self.error(key, "expected true or false, found " + kind(v))
        return v

    def number(self, key):
        v = self.get(key)
        if not isinstance(v, float):
            raise self.error(key, "expected a number, found " + kind(v))
        return v

    def integer(self, key):
        d = self.number(key)
        if d != math.floor(d) or abs(d) > 2147483647:
            raise self.error(key, "expected a whole number, found " + java_double(d))
        return int(d)

    def object(self, key):
        v = self.get(key)
        if not isinstance(v, dict):
            raise self.error(key, "expected an object, found " + kind(v))
        return _Fields(v, self.file, self.name(key))

    def list(self, key):
        v = self.get(key)
        if not isinstance(v, list):
            raise self.error(key, "expected an array, found " + kind(v))
        return v

    def objects(self, key):
        out = []
        for j, v in enumerate(self.list(key)):
            if not isinstance(v, dict):
                raise self.error(key, f"expected an object at index {j}, found {kind(v)}")
            out.append(_Fields(v, self.file, f"{self.name(key)}[{j}]"))
        return out

    def strings(self, key):
        out = self.list(key)
        for j, v in enumerate(out):
            if not isinstance(v, str):
                raise self.error(key, f"expected a string at index {j}, found {kind(v)}")
        return out

    def _vector(self, items, n, full_name):
        if len(items) != n:
            raise BadInput(f"{self.file}: field {full_name}: expected {n} numbers, found {len(items)}")
        for j, v in enumerate(items):
            if not isinstance(v, float):
                raise BadInput(f"{self.file}: field {full_name}[{j}]: expected a number, found {kind(v)}")
        return items

    def vector(self, key, n):
        return self._vector(self.list(key), n, self.name(key))

    def optional_vector(self, key, n):
        if key not in self.m:
            raise BadInput(f"{self.file}: expected a field {self.name(key)} (null for none), found none")
        return None if self.m[key] is None else self.vector(key, n)

    def matrix(self, key, rows, cols):
        items = self.list(key)
        if len(items) != rows:
            raise self.error(key, f"expected {rows} rows, found {len(items)}")
        for r, row in enumerate(items):
            row_name = f"{self.name(key)}[{r}]"
            if not isinstance(row, list):
                raise BadInput(f"{self.file}: field {row_name}: expected an array of {cols} numbers, found {kind(row)}")
            self._vector(row, cols, row_name)
        return items

    def no_other_keys(self, *allowed):
        for key in self.m:
            if key not in allowed:
                raise BadInput(f"{self.file}: unexpected field {self.name(key)}; expected only [{', '.join(allowed)}]")


def _layers(root, key="layers", inputs=-1):
    """ModelFile.parseLayers: each layer's sizes, activation, flags and W (O, I), b (O); layer 0 has
    `inputs` inputs (a tower reads the trunk's outputs) unless inputs is -1. Returns (I, O) of the whole."""
    layers = root.objects(key)
    if not layers:
        raise root.error(key, "expected at least 1 layer, found none")
    previous = -1
    for f in layers:
        I, O = f.integer("inputs"), f.integer("outputs")
        if I < 1:
            raise f.error("inputs", f"expected at least 1, found {I}")
        if O < 1:
            raise f.error("outputs", f"expected at least 1, found {O}")
        if previous >= 0 and I != previous:
            raise f.error("inputs", f"expected {previous} (the outputs of the layer below), found {I}")
        if previous < 0 and inputs >= 0 and I != inputs:
            raise f.error("inputs", f"expected {inputs} (the outputs of the trunk), found {I}")
        previous = O
        name = f.string("activation")
        if name == "leaky_relu":
            slope = f.number("slope")
            if not 0.0 < slope < 1.0:
                raise f.error("slope", "expected a number in (0, 1), found " + java_double(slope))
            f.no_other_keys("inputs", "outputs", "activation", "slope", "trainable", "lr_scale", "W", "b")
        else:
            f.no_other_keys("inputs", "outputs", "activation", "trainable", "lr_scale", "W", "b")
            if name not in ACTIVATIONS:
                raise f.error("activation", f"expected one of {', '.join(ACTIVATIONS)}, found \"{name}\"")
        f.bool("trainable")
        lr_scale = f.number("lr_scale")
        if not lr_scale > 0.0:
            raise f.error("lr_scale", "expected a number > 0, found " + java_double(lr_scale))
        f.matrix("W", O, I)
        f.vector("b", O)
    return int(layers[0].m["inputs"]), previous


def _loss(f, K):
    """ModelFile.loss: kind, reduction and weights for K outputs."""
    kind_ = f.string("kind")
    reduction = f.string("reduction")
    if reduction not in REDUCTIONS:
        raise f.error("reduction", f"expected one of {', '.join(REDUCTIONS)}, found \"{reduction}\"")
    if kind_ == "binary_cross_entropy":
        f.no_other_keys("kind", "reduction", "task_weight", "pos_weight")
        w, p = f.optional_vector("task_weight", K), f.optional_vector("pos_weight", K)
        for k, v in enumerate(w or []):
            if not v >= 0.0:
                raise f.error("task_weight", f"expected numbers >= 0, found {java_double(v)} at index {k}")
        for k, v in enumerate(p or []):
            if not v > 0.0:
                raise f.error("pos_weight", f"expected numbers > 0, found {java_double(v)} at index {k}")
    elif kind_ == "softmax_cross_entropy":
        f.no_other_keys("kind", "reduction")
    elif kind_ == "squared_error":
        f.no_other_keys("kind", "reduction", "weight")
        for k, v in enumerate(f.optional_vector("weight", K) or []):
            if not v >= 0.0:
                raise f.error("weight", f"expected numbers >= 0, found {java_double(v)} at index {k}")
    else:
        raise f.error("kind", f"expected one of {', '.join(LOSS_KINDS)}, found \"{kind_}\"")


def check_value(value, file):
    """Checks a parsed model file as ModelFile.parse does, in the same order, and returns it; the
    first problem is BadInput with plainnet's message. Version 1 has "layers" and "loss"; version 2
    (several output groups) "trunk" and "groups" (SPEC.md §16.1)."""
    if not isinstance(value, dict):
        raise BadInput(f"{file}: expected a JSON object at the top level, found {kind(value)}")
    root = _Fields(value, file, "")
    fmt = root.string("format")
    if fmt != FORMAT:
        raise root.error("format", f"expected \"{FORMAT}\", found \"{fmt}\"")
    version = root.integer("version")
    if version == VERSION:
        I, K = _layers(root)
        _loss(root.object("loss"), K)
        first, outputs = "one per input of the first layer", "one per output of the last layer"
        keys = ("format", "version", "layers", "loss", "features", "tasks", "standardize")
    elif version == VERSION_GROUPS:
        I, K, sizes = _groups(root)
        first, outputs = "one per input of the first trunk layer", f"one per output of the groups' towers: {sizes}"
        keys = ("format", "version", "trunk", "groups", "features", "tasks", "standardize")
    else:
        raise root.error("version", f"expected {VERSION} or {VERSION_GROUPS} (the model-file versions this plainnet reads), found {version}")
    features = root.strings("features")
    if len(features) != I:
        raise root.error("features", f"expected {I} names ({first}), found {len(features)}")
    tasks = root.strings("tasks")
    if len(tasks) != K:
        raise root.error("tasks", f"expected {K} names ({outputs}), found {len(tasks)}")
    if value.get("standardize") is not None:
        f = root.object("standardize")
        f.no_other_keys("mean", "std")
        f.vector("mean", I)
        for i, s in enumerate(f.vector("std", I)):
            if not s > 0.0:
                raise f.error("std", f"expected numbers > 0, found {java_double(s)} at index {i}")
    root.no_other_keys(*keys)
    return value


def _groups(root):
    """ModelFile.parseGroups: the trunk, then each group's name, tower (reading the trunk's outputs),
    loss (for the tower's outputs) and weight. Returns I, K = Σ K_g and "digit 10 + even 1"."""
    I, H = _layers(root, "trunk")
    groups = root.objects("groups")
    if len(groups) < 2:
        raise root.error("groups", f"expected at least 2 groups (a model of one group is version {VERSION}), found {len(groups)}")
    names, sizes, K = [], [], 0
    for f in groups:
        name = f.string("name")
        if not name:
            raise f.error("name", 'expected a non-empty name, found ""')
        if name in names:
            raise f.error("name", f'expected a name no other group has, found "{name}", the name of groups[{names.index(name)}]')
        _, Kg = _layers(f, "tower", H)
        _loss(f.object("loss"), Kg)
        weight = f.number("weight")
        if not weight >= 0.0:
            raise f.error("weight", "expected a number >= 0, found " + java_double(weight))
        f.no_other_keys("name", "loss", "weight", "tower")
        names.append(name)
        sizes.append(f"{name} {Kg}")
        K += Kg
    return I, K, " + ".join(sizes)


def check_model(text, file):
    """The model of the JSON text, checked as plainnet checks it (BadInput naming file otherwise)."""
    return check_value(parse_json(text, file), file)


def read_model(path):
    """The model file at path, read and checked as plainnet reads it (SPEC §15, §16)."""
    return check_model(read_text(path, "a model file"), path)


# ------------------------------------------------------------------------------------------------
# Writing: plainnet.io.Json.write

def _quote(s):
    out = ['"']
    for c in s:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20:
            out.append("\\u%04x" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _write(v, indent, out):
    """plainnet.io.Json.write: objects and lists of lists indented two spaces a level, flat lists on one line."""
    if v is None:
        out.append("null")
    elif isinstance(v, bool):
        out.append("true" if v else "false")
    elif isinstance(v, int):
        out.append(str(v))
    elif isinstance(v, float):
        out.append(java_double(v))
    elif isinstance(v, str):
        out.append(_quote(v))
    elif isinstance(v, dict):
        if not v:
            out.append("{}")
            return
        out.append("{\n")
        for j, (k, item) in enumerate(v.items()):
            out.append("  " * (indent + 1) + _quote(k) + ": ")
            _write(item, indent + 1, out)
            out.append(",\n" if j + 1 < len(v) else "\n")
        out.append("  " * indent + "}")
    else:
        if all(not isinstance(item, (dict, list)) for item in v):
            out.append("[")
            for j, item in enumerate(v):
                if j:
                    out.append(", ")
                _write(item, indent, out)
            out.append("]")
            return
        out.append("[\n")
        for j, item in enumerate(v):
            out.append("  " * (indent + 1))
            _write(item, indent + 1, out)
            out.append(",\n" if j + 1 < len(v) else "\n")
        out.append("  " * indent + "]")


def model_json(model):
    """The text plainnet writes for the model dict (keys in the file's order)."""
    out = []
    _write(model, 0, out)
    return "".join(out) + "\n"
