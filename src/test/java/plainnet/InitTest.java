package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static plainnet.Assert.assertClose;
import static plainnet.Assert.assertSameBits;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The four initialisers of SPEC.md "Initialisation": row-major fill, documented scale, zero bias. */
class InitTest {

    private static final long SEED = 42L;
    /** Python reference (RngTest's generator, math.sqrt) vs StrictMath: about 1 ulp of the largest entry. */
    private static final double GOLDEN_TOL = 1e-15;
    /** Empirical std of 250 000 draws: its standard error is about std/sqrt(2·M) ≈ 0.14 %; allow 1 %. */
    private static final double STD_REL_TOL = 0.01;

    /** The documented formula, written out again: W_oi from draws in row-major order. */
    private static double[][] expected(Init init, int O, int I, Rng rng) {
        boolean he = init == Init.HE_NORMAL || init == Init.HE_UNIFORM;
        boolean normal = init == Init.HE_NORMAL || init == Init.XAVIER_NORMAL;
        double fan = he ? I : I + O;
        double[][] W = new double[O][I];
        for (int o = 0; o < O; o++) {
            for (int i = 0; i < I; i++) {
                W[o][i] = normal ? rng.nextGaussian() * Math.sqrt(2.0 / fan) : (2.0 * rng.nextDouble() - 1.0) * Math.sqrt(6.0 / fan);
            }
        }
        return W;
    }

    @ParameterizedTest
    @EnumSource(Init.class)
    void fill_anyInit_rowMajorFromGeneratorWithDocumentedScale(Init init) {
        int O = 4, I = 7;
        double[][] W = new double[O][I];
        double[] b = {1, 2, 3, 4};
        Rng rng = new Rng(SEED);
        init.fill(W, b, rng);
        Rng ref = new Rng(SEED);
        assertSameBits(init + " W", expected(init, O, I, ref), W);
        assertSameBits(init + " b", new double[O], b);
        // the generator advanced exactly as documented: one draw per entry, two for the normal kinds
        assertThat(rng.nextLong()).isEqualTo(ref.nextLong());
    }

    @Test
    void fill_seed42TwoByThree_matchesPythonGolden() {
        // Python: W_oi = draw·sqrt(2/fan) (normal) or (2u − 1)·sqrt(6/fan) (uniform), fan = I or I + O,
        // draws from the SplitMix64 reference of RngTest, row-major, seed 42, O = 2, I = 3
        double[][][] golden = {
            {{0.7203532154577085, -0.3681173820361395, 0.15378928176438905}, {0.1792915278275555, -0.5473560095666412, -0.5523827880580257}},
            {{0.6832486555042502, -0.9619186696311943, -0.6262105685745144}, {-0.440695203671812, -1.3066480021151936, 1.0415062797973285}},
            {{0.5579832013709336, -0.2851424980150883, 0.11912466541973575}, {0.13887862027844122, -0.4239801418996298, -0.4278738677760709}},
            {{0.5292421328173138, -0.7450989975775218, -0.48506062066163436}, {-0.3413610369148827, -1.0121251903094675, 0.806747295325099}}};
        Init[] order = {Init.HE_NORMAL, Init.HE_UNIFORM, Init.XAVIER_NORMAL, Init.XAVIER_UNIFORM};
        for (int j = 0; j < order.length; j++) {
            Dense layer = new Dense(3, 2, Activation.IDENTITY, order[j], new Rng(SEED));
            assertClose(order[j] + " W", golden[j], layer.W, GOLDEN_TOL * 2);
            assertSameBits(order[j] + " b", new double[2], layer.b);
        }
    }

    @ParameterizedTest
    @EnumSource(Init.class)
    void fill_largeLayer_empiricalStdNearTarget(Init init) {
        int O = 500, I = 500;
        Dense layer = new Dense(I, O, Activation.IDENTITY, init, new Rng(SEED + 1));
        // target std: He sqrt(2/I), Xavier sqrt(2/(I+O)) for both the normal and the uniform kinds
        // (uniform on [−s, s] has std s/sqrt(3), and s = sqrt(6/fan) ⇒ std = sqrt(2/fan))
        boolean he = init == Init.HE_NORMAL || init == Init.HE_UNIFORM;
        double target = Math.sqrt(2.0 / (he ? I : I + O));
        double s = 0, s2 = 0, max = 0;
        for (double[] row : layer.W) {
            for (double v : row) {
                s += v;
                s2 += v * v;
                max = Math.max(max, Math.abs(v));
            }
        }
        int M = O * I;
        double mean = s / M;
        double std = Math.sqrt(s2 / M - mean * mean);
        assertClose(init + " std", target, std, STD_REL_TOL * target);
        assertClose(init + " mean", 0.0, mean, 5 * target / Math.sqrt(M));
        if (init == Init.HE_UNIFORM || init == Init.XAVIER_UNIFORM) {
            assertThat(max).as("uniform bound sqrt(3)·std").isLessThanOrEqualTo(Math.sqrt(3.0) * target);
        }
    }

    @Test
    void defaultFor_activations_heForKinksXavierOtherwise() {
        assertThat(Init.defaultFor(Activation.RELU)).isEqualTo(Init.HE_NORMAL);
        assertThat(Init.defaultFor(Activation.leakyRelu(0.2))).isEqualTo(Init.HE_NORMAL);
        assertThat(Init.defaultFor(Activation.TANH)).isEqualTo(Init.XAVIER_NORMAL);
        assertThat(Init.defaultFor(Activation.SIGMOID)).isEqualTo(Init.XAVIER_NORMAL);
        assertThat(Init.defaultFor(Activation.IDENTITY)).isEqualTo(Init.XAVIER_NORMAL);
    }

    @Test
    void denseDefaultConstructor_relu_usesHeNormal() {
        Dense layer = new Dense(6, 3, Activation.RELU, new Rng(SEED));
        assertSameBits("W", expected(Init.HE_NORMAL, 3, 6, new Rng(SEED)), layer.W);
    }

    @Test
    void network_sameSeedTwice_identicalBits() {
        Network a = build(SEED), b = build(SEED);
        for (int l = 0; l < a.size(); l++) {
            assertSameBits("layer " + l + " W", a.layer(l).W, b.layer(l).W);
            assertSameBits("layer " + l + " b", a.layer(l).b, b.layer(l).b);
        }
        Network c = build(SEED + 1);
        assertThat(c.layer(0).W[0][0]).isNotEqualTo(a.layer(0).W[0][0]);
    }

    @Test
    void network_oneGeneratorForAllLayers_layersDrawInOrder() {
        // layer 1 continues where layer 0 stopped: 4·5 Gaussians (two draws each) later
        Network net = build(SEED);
        Rng ref = new Rng(SEED);
        expected(Init.HE_NORMAL, 5, 4, ref);
        assertSameBits("layer 1 W", expected(Init.XAVIER_UNIFORM, 3, 5, ref), net.layer(1).W);
    }

    private static Network build(long seed) {
        Rng rng = new Rng(seed);
        return new Network(
            new Dense(4, 5, Activation.RELU, Init.HE_NORMAL, rng),
            new Dense(5, 3, Activation.TANH, Init.XAVIER_UNIFORM, rng));
    }
}
