package plainnet;

/**
 * The one random-number generator of plainnet: SplitMix64 (Steele, Lea and Flood, 2014), with
 * the uniform, normal and integer transforms written out so that another language can reproduce
 * every draw bit for bit. See SPEC.md, section "Random numbers".
 *
 * <pre>
 *   state ← state + 0x9E3779B97F4A7C15          (mod 2^64)
 *   z ← state
 *   z ← (z ^ (z >>> 30)) · 0xBF58476D1CE4E5B9   (mod 2^64)
 *   z ← (z ^ (z >>> 27)) · 0x94D049BB133111EB   (mod 2^64)
 *   nextLong = z ^ (z >>> 31)
 * </pre>
 *
 * Not thread-safe: give each thread its own generator.
 */
public final class Rng {

    private long state;

    /**
     * A generator whose first {@link #nextLong()} is SplitMix64's first output for {@code seed}
     * (SPEC.md §11).
     *
     * @param seed the initial state; every long is a valid seed, 0 included
     */
    public Rng(long seed) {
        this.state = seed;
    }

    /**
     * The next 64 raw bits (SplitMix64, the steps in the class comment).
     *
     * @return 64 bits, every value equally likely
     */
    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Uniform on [0, 1): the top 53 bits of {@link #nextLong()} times 2^-53. Exact, no rounding.
     *
     * @return a multiple of 2^-53 in [0, 1)
     */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Standard normal by the Box–Muller cosine branch. Consumes exactly two uniforms and keeps no
     * cached second value, so every call is a pure function of the state:
     * u1 = 1 − nextDouble() ∈ (0, 1], u2 = nextDouble(), result = sqrt(−2·ln u1) · cos(2π·u2),
     * with {@code StrictMath} log, sqrt and cos and 2π = 2 · {@code Math.PI}.
     *
     * @return a draw of N(0, 1), finite (|result| &lt; 8.6, as u1 ≥ 2^-53)
     */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        return r * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /**
     * Uniform integer in [0, n) without bias: r = nextLong() >>> 1 (63 bits) is drawn until
     * r &lt; 2^63 − (2^63 mod n), and the result is r mod n.
     *
     * @param n the number of possible results, ≥ 1
     * @return an integer in [0, n)
     * @throws IllegalArgumentException if n &lt; 1
     */
    public int nextInt(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("nextInt bound: expected at least 1, found " + n);
        }
        long rem = Long.remainderUnsigned(Long.MIN_VALUE, n); // 2^63 mod n
        long limit = Long.MIN_VALUE - rem;                   // 2^63 − rem; wraps to a positive long when rem > 0
        while (true) {
            long r = nextLong() >>> 1;
            if (rem == 0 || r < limit) {
                return (int) (r % n);
            }
        }
    }

    /**
     * Fisher–Yates shuffle of {@code a} in place: for j = len−1 down to 1, swap a[j] with
     * a[nextInt(j + 1)] (SPEC.md §11; the training loop shuffles row indices this way, §19).
     *
     * @param a the array (len), permuted in place
     */
    public void shuffle(int[] a) {
        for (int j = a.length - 1; j >= 1; j--) {
            int r = nextInt(j + 1);
            int t = a[j];
            a[j] = a[r];
            a[r] = t;
        }
    }
}
