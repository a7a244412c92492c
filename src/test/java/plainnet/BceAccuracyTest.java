package plainnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The binary cross-entropy's per-entry ℓ and dℓ/dz (SPEC.md 8.1) against values computed here in
 * 80-digit decimal arithmetic, at logits where the old gradient σ(z) − y − (p − 1)·y·σ(−z) cancelled.
 *
 * <p>The reference uses only BigDecimal addition, multiplication and division, from the exact decimal
 * values of the double inputs:
 * <pre>
 *   e^x       = (Σ_{j≥0} r^j / j!)^(2^m),  r = x / 2^m with |r| &lt; 2^−10   (Taylor series, then m squarings)
 *   log(1+t)  = 2·atanh(v) = 2·Σ_{j≥0} v^(2j+1) / (2j+1),  v = t / (2 + t) ≤ 1/3   (for 0 &lt; t ≤ 1)
 *   σ(z)      = 1 / (1 + e^−z)
 *   softplus(z) = log(1 + e^z) = z + log(1 + e^−z) for z ≥ 0,  log(1 + e^z) for z &lt; 0
 *   ℓ         = p·y·softplus(−z) + (1 − y)·softplus(z)
 *   dℓ/dz     = (1 − y)·σ(z) − p·y·σ(−z)    (the derivative of ℓ: softplus' = σ, and d softplus(−z)/dz = −σ(−z))
 * </pre>
 * Every series is summed until its term is below 10^−100 of the running sum, so the reference is
 * exact far beyond double precision (the squarings lose at most m ≤ 21 bits of the 80 digits).
 *
 * <p>Bounds, with u = 2^−53 (half an ulp of 1): fdlibm's exp and log1p are within 1 ulp (2u), each
 * + − × / adds u. σ(±z) is then within 5u (SPEC.md 8.1), so each gradient term T₁ = (1 − y)·σ(z),
 * T₂ = (p·y)·σ(−z) is within 7u and T₁ − T₂ within 7u·(|T₁| + |T₂|) + u·|T₁ − T₂| ≤ 8u·(|T₁| + |T₂|).
 * For y ∈ {0, 1} one term is exactly 0, so this is a relative error of 8u = 4 ulp; for a soft label
 * it is 8u times κ = (|T₁| + |T₂|) / |T₁ − T₂|, which is large only next to the gradient's zero
 * z* = log(p·y / (1 − y)). ℓ is a sum of non-negative terms, each within 7u: relative error ≤ 8u.
 *
 * <p>Run once against the old formulas ℓ = (max(z, 0) − z·y + c) + (p − 1)·y·(max(−z, 0) + c) and
 * dℓ/dz = (σ(z) − y) − (p − 1)·y·σ(−z), both tests failed (32 entries): grad(30, 1, 1) was
 * −9.348077867343818E−14 against the exact −9.357622968839299E−14 (relative error 1.0e−3), grad(40, 1, 1)
 * and grad(700, 1, 1) were 0, grad(40, 1, 0.001) had the wrong sign; ℓ(16, 1, 0.001) was 135u off and
 * ℓ(−16, 0.25, 0.001) 935u (c + (p − 1)·c cancels when p is small).
 */
class BceAccuracyTest {

    private static final MathContext MC = new MathContext(80, RoundingMode.HALF_EVEN);
    private static final BigDecimal TINY = new BigDecimal("1e-100");
    private static final double U = 0x1p-53;
    private static final double BOUND = 8 * U;

    private static final double[] Z = {1, -1, 16, -16, 30, -30, 40, -40, 700, -700};
    private static final double[] Y = {0.0, 1.0, 0.25};
    private static final double[] P = {1.0, 3.0, 0.001};

    @Test
    void grad_hardAndSoftLabels_withinEightUnitRoundoffTimesConditionNumber() {
        List<String> failures = new ArrayList<>();
        double worstHard = 0.0;
        for (double z : Z) {
            for (double y : Y) {
                for (double p : P) {
                    BigDecimal t1 = one().subtract(bd(y), MC).multiply(sigmoid(bd(z)), MC);
                    BigDecimal t2 = bd(p).multiply(bd(y), MC).multiply(sigmoid(bd(-z)), MC);
                    BigDecimal exact = t1.subtract(t2, MC);
                    double scale = t1.abs().add(t2.abs(), MC).doubleValue();  // |T₁| + |T₂|
                    double found = BinaryCrossEntropy.grad(z, y, p);
                    double err = new BigDecimal(found).subtract(exact, MC).abs().doubleValue();
                    if (!(err <= BOUND * scale)) {
                        failures.add(String.format("grad(%s, %s, %s) = %s, exact %s, |error| / (|T1| + |T2|) = %.3g u",
                            z, y, p, found, exact.round(new MathContext(17)), err / scale / U));
                    }
                    if (y != 0.25) worstHard = Math.max(worstHard, err / Math.abs(exact.doubleValue()));
                }
            }
        }
        assertThat(failures).as("gradient entries beyond 8u·(|T1| + |T2|)").isEmpty();
        // For hard labels κ = 1: the bound above is a plain relative error of 8u.
        assertThat(worstHard).as("worst relative error of the gradient for y in {0, 1}").isLessThanOrEqualTo(BOUND);
    }

    @Test
    void term_hardAndSoftLabels_withinEightUnitRoundoff() {
        List<String> failures = new ArrayList<>();
        for (double z : Z) {
            for (double y : Y) {
                for (double p : P) {
                    BigDecimal exact = bd(p).multiply(bd(y), MC).multiply(softplus(bd(-z)), MC)
                        .add(one().subtract(bd(y), MC).multiply(softplus(bd(z)), MC), MC);
                    double found = BinaryCrossEntropy.term(z, y, p);
                    double rel = new BigDecimal(found).subtract(exact, MC).abs().divide(exact, MC).doubleValue();
                    if (!(rel <= BOUND)) {
                        failures.add(String.format("term(%s, %s, %s) = %s, exact %s, relative error %.3g u",
                            z, y, p, found, exact.round(new MathContext(17)), rel / U));
                    }
                }
            }
        }
        assertThat(failures).as("loss entries beyond a relative error of 8u").isEmpty();
    }

    @Test
    void reference_atZeroAndOne_matchesKnownConstants() {
        // The reference itself, against constants known independently: e = 2.71828182845904523536…,
        // log 2 = 0.69314718055994530941…, σ(0) = 1/2.
        assertThat(exp(one()).toString()).startsWith("2.71828182845904523536028747135266249775724709369995");
        assertThat(log1p(one()).toString()).startsWith("0.69314718055994530941723212145817656807550013436025");
        assertThat(sigmoid(BigDecimal.ZERO).compareTo(new BigDecimal("0.5"))).isZero();
    }

    // ---- 80-digit reference ------------------------------------------------------------------

    private static BigDecimal bd(double v) {
        return new BigDecimal(v);
    }

    private static BigDecimal one() {
        return BigDecimal.ONE;
    }

    /** e^x: Taylor series of e^(x / 2^m), then m squarings. */
    static BigDecimal exp(BigDecimal x) {
        int m = 10;
        while (x.abs().compareTo(BigDecimal.valueOf(2).pow(m - 10)) > 0) m++;
        BigDecimal r = x.divide(BigDecimal.valueOf(2).pow(m), MC);
        BigDecimal sum = one(), term = one();
        for (int j = 1; term.abs().compareTo(TINY.multiply(sum.abs(), MC)) > 0; j++) {
            term = term.multiply(r, MC).divide(BigDecimal.valueOf(j), MC);
            sum = sum.add(term, MC);
        }
        for (int i = 0; i < m; i++) sum = sum.multiply(sum, MC);
        return sum;
    }

    /** log(1 + t) for 0 &lt; t ≤ 1, by 2·atanh(t / (2 + t)). */
    static BigDecimal log1p(BigDecimal t) {
        BigDecimal v = t.divide(t.add(BigDecimal.valueOf(2), MC), MC);
        BigDecimal v2 = v.multiply(v, MC);
        BigDecimal power = v, sum = v;
        for (int j = 1; ; j++) {
            power = power.multiply(v2, MC);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * j + 1), MC);
            if (term.compareTo(TINY.multiply(sum, MC)) <= 0) break;
            sum = sum.add(term, MC);
        }
        return sum.multiply(BigDecimal.valueOf(2), MC);
    }

    static BigDecimal sigmoid(BigDecimal z) {
        return one().divide(one().add(exp(z.negate()), MC), MC);
    }

    static BigDecimal softplus(BigDecimal z) {
        if (z.signum() >= 0) return z.add(log1p(exp(z.negate())), MC);
        return log1p(exp(z));
    }
}
