#!/usr/bin/env python3
"""Checks of compare.py's and bench.py's logic that need no torch (run by PyTorchCompareTest):
parsing plainnet's output, finding the BLAS among loaded libraries, refusing a reference BLAS,
choosing the fastest set-up as the peer, and the PyTorch runs' environment.

    python3 examples/pytorch/test_compare.py      (prints "compare.py checks passed: N" and exits 0)
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import compare  # noqa: E402

CHECKS = []


def check(f):
    CHECKS.append(f)
    return f


@check
def parse_plainnet_readsFirstCaseJvmAndKernels():
    out = ("sizes batch ...\n64-32-10 32 1 0 800000\n"
           '{"sizes": "64-32-10", "batch": 32, "threads": 1, "frozen": 0, "examples_per_s": 812345.5, "gflops": 8.2}\n'
           "JVM start to the end of the first training step: 120 ms\n"
           "JVM: OpenJDK 64-Bit Server VM 17.0.15, 2 processors, largest vector 64 bytes (HotSpot's MaxVectorSize)\n"
           "kernels: vector (512-bit)\n")
    assert compare.parse_plainnet(out) == (812345.5, "JVM: OpenJDK 64-Bit Server VM 17.0.15, 2 processors, largest vector 64 bytes (HotSpot's MaxVectorSize)",
                                           "kernels: vector (512-bit)")


@check
def choose_peer_fastestFairSetUp():
    configs = {"A": {"reference": False}, "B": {"reference": False}, "C": {"reference": True}}
    # C is fastest but multiplies with the reference BLAS: never the peer.
    assert compare.choose_peer({"A": 100.0, "B": 250.0, "C": 900.0}, configs) == ("B", 250.0)
    assert compare.choose_peer({"A": 300.0, "B": 250.0}, configs) == ("A", 300.0)
    assert compare.choose_peer({"B": 7.0, "A": 7.0}, configs) == ("A", 7.0)   # a tie goes to the first label, every time


@check
def choose_peer_onlyReferenceBlas_noPeerNoRatio():
    configs = {"C": {"reference": True}}
    assert compare.choose_peer({"C": 900.0}, configs) is None
    assert compare.choose_peer({}, configs) is None
    assert compare.ratio(1000.0, None) == "—"
    assert compare.ratio(1000.0, ("A", 400.0)) == "2.50"


@check
def blas_of_pipWheel_mkl():
    assert bench.blas_of(["/x/numpy.libs/libscipy_openblas64_-32a4b2a6.so"], True) == ("MKL", "linked into torch")


@check
def blas_of_debianWithOpenblas_openblasLibrary():
    libs = ["/usr/lib/x86_64-linux-gnu/libgomp.so.1.0.0", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"]
    assert bench.blas_of(libs, False) == ("OpenBLAS", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so")


@check
def blas_of_debianReferenceBlas_refused():
    with tempfile.TemporaryDirectory() as d:
        # libblas.so.3 as Debian's alternatives link it: to Netlib's reference BLAS ...
        os.makedirs(os.path.join(d, "blas"))
        ref = os.path.join(d, "blas", "libblas.so.3")
        open(ref, "w").close()
        link = os.path.join(d, "libblas.so.3")
        os.symlink(ref, link)
        name, lib = bench.blas_of([os.path.join(d, "libgomp.so.1"), link], False)
        assert (name, lib) == ("reference", os.path.realpath(ref))
        config = {"python": "/usr/bin/python3", "torch": "1.13.0a0", "blas": name, "blas_library": lib, "blas_kernels": "",
                  "reference": name == "reference", "torch_threads": 1, "omp_threads": "1", "allocator": "glibc, default settings",
                  "cpu_capability": "AVX2", "vector_width": "256-bit (avx2)", "openblas_env": {}}
        assert "no fair peer" in bench.summary(config)
        assert compare.choose_peer({"B": 5000.0}, {"B": config}) is None
        # ... and to OpenBLAS once libopenblas0-pthread is installed.
        os.makedirs(os.path.join(d, "openblas-pthread"))
        fast = os.path.join(d, "openblas-pthread", "libblas.so.3")
        open(fast, "w").close()
        os.remove(link)
        os.symlink(fast, link)
        assert bench.blas_of([link], False) == ("OpenBLAS", os.path.realpath(fast))
    assert bench.blas_of(["/usr/lib/libc.so.6"], False) == ("unknown", "")


@check
def torch_env_forcedOpenblasRemovedThreadsAndAllocatorSet():
    environ = {"PATH": "/bin", "OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_L2_SIZE": "512", "OMP_NUM_THREADS": "8"}
    env, removed = bench.torch_env(environ, 2, {"LD_PRELOAD": "/usr/lib/libjemalloc.so.2"})
    assert removed == {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_L2_SIZE": "512"}
    assert "OPENBLAS_CORETYPE" not in env and "OPENBLAS_L2_SIZE" not in env
    assert env["OMP_NUM_THREADS"] == env["MKL_NUM_THREADS"] == env["OPENBLAS_NUM_THREADS"] == "2"
    assert env["LD_PRELOAD"] == "/usr/lib/libjemalloc.so.2" and env["PATH"] == "/bin"
    assert environ["OPENBLAS_CORETYPE"] == "Haswell" and environ["OMP_NUM_THREADS"] == "8"   # plainnet's runs keep theirs


@check
def allocator_namesWhatTheEnvironmentSelects():
    assert bench.allocator({}) == "glibc, default settings"
    assert bench.allocator(bench.allocator_env("tuned")).startswith("glibc, MALLOC_MMAP_THRESHOLD_=33554432 ")
    assert bench.allocator({"LD_PRELOAD": "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"}) == "jemalloc (/usr/lib/x86_64-linux-gnu/libjemalloc.so.2)"
    assert bench.allocator_env("default") == {}
    try:
        bench.allocator_env("tcmalloc")
        raise AssertionError("an unknown allocator was accepted")
    except ValueError as e:
        assert "found 'tcmalloc'" in str(e)


@check
def vector_width_widestFlag():
    assert bench.vector_width({"sse2", "avx", "avx2", "avx512f"}) == "512-bit (avx512f)"
    assert bench.vector_width({"sse2", "avx", "avx2"}) == "256-bit (avx2)"
    assert bench.vector_width(set()) == "unknown"


@check
def pythons_eachInterpreterOnce():
    with tempfile.TemporaryDirectory() as d:
        real = os.path.join(d, "python3.11")
        open(real, "w").close()
        alias = os.path.join(d, "python3")
        os.symlink(real, alias)
        assert compare.pythons(f"{real},{alias},{os.path.join(d, 'missing')}") == [real]


if __name__ == "__main__":
    for f in CHECKS:
        f()
    print(f"compare.py checks passed: {len(CHECKS)}")
