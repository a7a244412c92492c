package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static plainnet.Assert.assertClose;

import org.junit.jupiter.api.Test;

/**
 * SplitMix64 and its transforms against a reference written independently in Python 3
 * (integers masked to 64 bits, floats from Python's own math module):
 * <pre>
 *   M = 2**64 - 1; G = 0x9E3779B97F4A7C15
 *   def next_long(s):  s.state = (s.state + G) &amp; M; z = s.state
 *       z = ((z ^ (z &gt;&gt; 30)) * 0xBF58476D1CE4E5B9) &amp; M
 *       z = ((z ^ (z &gt;&gt; 27)) * 0x94D049BB133111EB) &amp; M
 *       return z ^ (z &gt;&gt; 31)
 *   next_double = (next_long() &gt;&gt; 11) * 2.0**-53
 *   next_gaussian: u1 = 1.0 - next_double(); u2 = next_double()
 *                  math.sqrt(-2.0*math.log(u1)) * math.cos(2.0*math.pi*u2)
 *   next_int(n): rem = 2**63 % n; lim = 2**63 - rem; r = next_long() &gt;&gt; 1 until r &lt; lim; r % n
 * </pre>
 */
class RngTest {

    /**
     * Gaussian draws go through log and cos. plainnet uses StrictMath (fdlibm); the Python
     * reference used the platform libm, so bit equality across the two is not guaranteed: allow
     * a relative difference of about 1 ulp.
     */
    private static final double GAUSSIAN_REL_TOL = 1e-15;

    @Test
    void nextLong_seed0_matchesSplitMix64Reference() {
        Rng rng = new Rng(0);
        assertThat(rng.nextLong()).isEqualTo(0xe220a8397b1dcdafL);
        assertThat(rng.nextLong()).isEqualTo(0x6e789e6aa1b965f4L);
        assertThat(rng.nextLong()).isEqualTo(0x06c45d188009454fL);
        assertThat(rng.nextLong()).isEqualTo(0xf88bb8a8724c81ecL);
    }

    @Test
    void nextLong_seed1_matchesSplitMix64Reference() {
        Rng rng = new Rng(1);
        assertThat(rng.nextLong()).isEqualTo(0x910a2dec89025cc1L);
        assertThat(rng.nextLong()).isEqualTo(0xbeeb8da1658eec67L);
        assertThat(rng.nextLong()).isEqualTo(0xf893a2eefb32555eL);
        assertThat(rng.nextLong()).isEqualTo(0x71c18690ee42c90bL);
    }

    @Test
    void nextLong_seed42_matchesSplitMix64Reference() {
        Rng rng = new Rng(42);
        assertThat(rng.nextLong()).isEqualTo(0xbdd732262feb6e95L);
        assertThat(rng.nextLong()).isEqualTo(0x28efe333b266f103L);
        assertThat(rng.nextLong()).isEqualTo(0x47526757130f9f52L);
        assertThat(rng.nextLong()).isEqualTo(0x581ce1ff0e4ae394L);
    }

    @Test
    void nextLong_negativeSeed_isTheSeedModulo2To64() {
        // seed −1 is state 0xFFFFFFFFFFFFFFFF in the reference
        assertThat(new Rng(-1).nextLong()).isEqualTo(0xe4d971771b652c20L);
    }

    @Test
    void nextDouble_seeds0And42_top53BitsTimes2ToMinus53() {
        Rng r0 = new Rng(0);
        assertThat(r0.nextDouble()).isEqualTo(0.8833108082136426);
        assertThat(r0.nextDouble()).isEqualTo(0.43152799704850997);
        assertThat(r0.nextDouble()).isEqualTo(0.026433771592597743);
        Rng r42 = new Rng(42);
        assertThat(r42.nextDouble()).isEqualTo(0.7415648787718233);
        assertThat(r42.nextDouble()).isEqualTo(0.1599103928769201);
        assertThat(r42.nextDouble()).isEqualTo(0.27860113025513866);
    }

    @Test
    void nextDouble_sameStateAsNextLong_isExactlyTheShiftedBits() {
        Rng a = new Rng(123), b = new Rng(123);
        for (int j = 0; j < 1000; j++) {
            double u = a.nextDouble();
            assertThat(u).isEqualTo((b.nextLong() >>> 11) / 9007199254740992.0); // 2^53
            assertThat(u).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
        }
    }

    @Test
    void nextGaussian_seeds0And42And7_boxMullerCosineBranch() {
        double[][] expected = {
            {-1.8839083333524405, 0.22760793546360525, -0.22143788059715477, 0.08341854419566393},   // seed 0
            {0.8822489062222688, -0.4508498757188601, 0.1883526341159315, 0.219586379190761},        // seed 42
            // seed 7, draw 2: Python (glibc log, correctly rounded) gives 0.00392020721518934, StrictMath
            // 0.0039202072151893405, 1 ulp apart: fdlibm's log(0.5475581049885316) is off by 0.52 ulp
            // (mpmath: −0.60228669508970672256). This is the case the tolerance is for.
            {0.9884743323187353, -1.8642558067312274, 0.00392020721518934, -0.5292707004741914}};    // seed 7
        long[] seeds = {0, 42, 7};
        for (int s = 0; s < seeds.length; s++) {
            Rng rng = new Rng(seeds[s]);
            for (int j = 0; j < expected[s].length; j++) {
                double e = expected[s][j];
                assertClose("seed " + seeds[s] + " draw " + j, e, rng.nextGaussian(), GAUSSIAN_REL_TOL * Math.abs(e));
            }
        }
    }

    @Test
    void nextDoubleAndGaussian_seed1_matchReference() {
        Rng u = new Rng(1);
        assertThat(u.nextDouble()).isEqualTo(0.5665615751722809);
        assertThat(u.nextDouble()).isEqualTo(0.7457817572627011);
        Rng g = new Rng(1);
        assertClose("seed 1 draw 0", -0.034267321791851144, g.nextGaussian(), GAUSSIAN_REL_TOL * 0.034267321791851144);
        assertClose("seed 1 draw 1", -2.5000674933698677, g.nextGaussian(), GAUSSIAN_REL_TOL * 2.5000674933698677);
    }

    @Test
    void nextGaussian_consumesExactlyTwoUniforms() {
        Rng a = new Rng(99), b = new Rng(99);
        a.nextGaussian();
        b.nextLong();
        b.nextLong();
        assertThat(a.nextLong()).isEqualTo(b.nextLong());
    }

    @Test
    void nextGaussian_manyDraws_meanZeroVarianceOne() {
        Rng rng = new Rng(2024);
        int M = 200_000;
        double s = 0, s2 = 0;
        for (int j = 0; j < M; j++) {
            double g = rng.nextGaussian();
            assertThat(g).isFinite();
            s += g;
            s2 += g * g;
        }
        double mean = s / M, var = s2 / M - mean * mean;
        // standard errors: mean 1/sqrt(M) ≈ 0.0022, variance sqrt(2/M) ≈ 0.0032; allow 5 of them
        assertClose("mean", 0.0, mean, 5 / Math.sqrt(M));
        assertClose("variance", 1.0, var, 5 * Math.sqrt(2.0 / M));
    }

    @Test
    void nextInt_seed42Bound10_matchesReference() {
        Rng rng = new Rng(42);
        int[] expected = {6, 5, 9, 2, 5, 1, 2, 4, 2, 7};
        for (int j = 0; j < expected.length; j++) assertThat(rng.nextInt(10)).as("draw " + j).isEqualTo(expected[j]);
    }

    @Test
    void nextInt_seeds0And1Bound10_matchesReference() {
        Rng r0 = new Rng(0), r1 = new Rng(1);
        int[] e0 = {7, 0, 9, 2, 3}, e1 = {2, 9, 5, 7, 0};
        for (int j = 0; j < 5; j++) {
            assertThat(r0.nextInt(10)).as("seed 0 draw " + j).isEqualTo(e0[j]);
            assertThat(r1.nextInt(10)).as("seed 1 draw " + j).isEqualTo(e1[j]);
        }
    }

    @Test
    void nextInt_variousBounds_staysInRange() {
        Rng rng = new Rng(5);
        int[] bounds = {1, 2, 3, 7, 10, 1000, 1 << 30, Integer.MAX_VALUE};
        for (int n : bounds) {
            for (int j = 0; j < 2000; j++) {
                assertThat(rng.nextInt(n)).as("nextInt(" + n + ")").isBetween(0, n - 1);
            }
        }
    }

    @Test
    void nextInt_bound10_roughlyUniform() {
        Rng rng = new Rng(31337);
        int n = 10, M = 100_000;
        int[] count = new int[n];
        for (int j = 0; j < M; j++) count[rng.nextInt(n)]++;
        double chi2 = 0;
        for (int c : count) chi2 += (c - M / (double) n) * (c - M / (double) n) / (M / (double) n);
        // χ² with 9 degrees of freedom: P(χ² > 27.88) = 0.001
        assertThat(chi2).as("chi-square of " + java.util.Arrays.toString(count)).isLessThan(27.88);
    }

    // Seed whose first output is 0xFFFFFFFFFFFFFFFF, found by inverting SplitMix64's mixer in Python
    // (xorshifts undone, multipliers inverted mod 2^64, minus the golden gamma): 0x31628af67b2131ab.
    // Its second output is 0xc0986a9c933f53d1, its third 0xcdfa10a2e2ff33d6.
    private static final long ALL_ONES_SEED = 0x31628af67b2131abL;

    @Test
    void nextLong_craftedSeed_firstOutputAllOnes() {
        Rng rng = new Rng(ALL_ONES_SEED);
        assertThat(rng.nextLong()).isEqualTo(-1L);
        assertThat(rng.nextLong()).isEqualTo(0xc0986a9c933f53d1L);
    }

    @Test
    void nextInt_bound3FirstDrawInRejectionZone_rejectsAndDrawsAgain() {
        // 2^63 mod 3 = 2, so r = 2^63 − 1 (the first draw >>> 1) is ≥ 2^63 − 2 and must be rejected.
        // Without rejection the result would be (2^63 − 1) mod 3 = 1; with it, (0xc0986a9c933f53d1 >>> 1) mod 3 = 0.
        Rng rng = new Rng(ALL_ONES_SEED);
        assertThat(rng.nextInt(3)).isEqualTo(0);
        assertThat(rng.nextLong()).as("two draws consumed").isEqualTo(0xcdfa10a2e2ff33d6L);
    }

    @Test
    void nextInt_boundMaxIntFirstDrawInRejectionZone_rejectsAndDrawsAgain() {
        // 2^63 mod (2^31 − 1) = 2 (since 2^31 ≡ 1); without rejection the result would be 1
        Rng rng = new Rng(ALL_ONES_SEED);
        assertThat(rng.nextInt(Integer.MAX_VALUE)).isEqualTo(171447430);
    }

    @Test
    void nextInt_bound1_returnsZeroAfterExactlyOneDraw() {
        // 2^63 mod 1 = 0: no rejection zone, even for the all-ones draw
        Rng rng = new Rng(ALL_ONES_SEED);
        assertThat(rng.nextInt(1)).isEqualTo(0);
        assertThat(rng.nextLong()).isEqualTo(0xc0986a9c933f53d1L);
    }

    @Test
    void nextInt_powerOfTwoBound_neverRejects() {
        // 2^63 mod 4 = 0: the all-ones draw is accepted, (2^63 − 1) mod 4 = 3
        Rng rng = new Rng(ALL_ONES_SEED);
        assertThat(rng.nextInt(4)).isEqualTo(3);
        assertThat(rng.nextLong()).isEqualTo(0xc0986a9c933f53d1L);
    }

    @Test
    void nextInt_boundBelowOne_throwsNamingTheBound() {
        assertThatThrownBy(() -> new Rng(1).nextInt(0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected at least 1").hasMessageContaining("found 0");
        assertThatThrownBy(() -> new Rng(1).nextInt(-5))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found -5");
    }

    @Test
    void shuffle_seed42_matchesFisherYatesReference() {
        // Python: for j in 9..1: swap a[j], a[next_int(j + 1)]
        int[] a = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        new Rng(42).shuffle(a);
        assertThat(a).containsExactly(3, 8, 4, 2, 9, 5, 7, 1, 0, 6);
    }

    @Test
    void shuffle_anyLength_isAPermutationAndDeterministic() {
        for (int len : new int[] {0, 1, 2, 17, 1000}) {
            int[] a = new int[len], b = new int[len];
            for (int j = 0; j < len; j++) a[j] = b[j] = 3 * j + 1;
            new Rng(len + 11).shuffle(a);
            new Rng(len + 11).shuffle(b);
            assertThat(a).as("same seed, same order").isEqualTo(b);
            int[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            for (int j = 0; j < len; j++) assertThat(sorted[j]).isEqualTo(3 * j + 1);
        }
    }

    @Test
    void shuffle_differentSeeds_differentOrders() {
        int[] a = new int[50], b = new int[50];
        for (int j = 0; j < 50; j++) a[j] = b[j] = j;
        new Rng(1).shuffle(a);
        new Rng(2).shuffle(b);
        assertThat(a).isNotEqualTo(b);
    }
}
