package plainnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Bad input at the public API throws {@link IllegalArgumentException} (or
 * {@link IllegalStateException} for a call out of order) whose message names the argument, what was
 * expected and what was found (STYLE.md point 6).
 */
class ValidationTest {

    private static final long SEED = 3L;

    private static Network net() {
        Rng rng = new Rng(SEED);
        return new Network(new Dense(3, 4, Activation.TANH, rng), new Dense(4, 2, Activation.IDENTITY, rng));
    }

    /** Asserts an IllegalArgumentException whose message contains "expected" and every fragment. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(ThrowingCallable call, String... fragments) {
        AbstractThrowableAssert<?, ? extends Throwable> a = assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("expected");
        for (String f : fragments) a.hasMessageContaining(f);
        return a;
    }

    // ---------------------------------------------------------------------------------------
    // network input

    @Test
    void forward_wrongWidth_namesExpectedAndFoundColumns() {
        assertRejected(() -> net().forward(new double[][] {{1, 2, 3}, {1, 2}}), "input x[1]", "expected 3 columns", "found 2");
        assertRejected(() -> net().forward(new double[][] {{1, 2, 3, 4}}), "input x[0]", "expected 3 columns", "found 4");
    }

    @Test
    void forward_nanOrInfinity_namesEntryAndValue() {
        assertRejected(() -> net().forward(new double[][] {{1, 2, 3}, {0, Double.NaN, 0}}), "input x[1][1]", "finite", "found NaN");
        assertRejected(() -> net().forward(new double[][] {{Double.NEGATIVE_INFINITY, 2, 3}}), "input x[0][0]", "found -Infinity");
        // the first bad entry in row order is named, after good rows, with more bad entries behind it
        assertRejected(() -> net().forward(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, Double.POSITIVE_INFINITY, Double.NaN}, {Double.NaN, 0, 0}}),
            "input x[2][1]: expected a finite number, found Infinity");
        assertRejected(() -> net().forward(new double[][] {{-Double.MAX_VALUE, Double.MAX_VALUE, -0.0}, {Double.MIN_VALUE, 0, Double.NaN}}), "input x[1][2]", "found NaN");
    }

    @Test
    void forward_emptyBatch_saysZeroRows() {
        assertRejected(() -> net().forward(new double[0][]), "input x", "at least 1 row", "0 rows");
    }

    @Test
    void forward_nullOrNullRow_rejected() {
        assertRejected(() -> net().forward(null), "input x", "found null");
        assertRejected(() -> net().forward(new double[][] {{1, 2, 3}, null}), "input x[1]", "found null");
    }

    @Test
    void backward_doutWrongShape_namesExpectedAndFound() {
        Network n = net();
        n.forward(new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertRejected(() -> n.backward(new double[][] {{1, 2}}), "dout", "expected 2 rows", "found 1");
        assertRejected(() -> n.backward(new double[][] {{1, 2, 3}, {1, 2, 3}}), "dout[0]", "expected 2 columns", "found 3");
    }

    @Test
    void backward_beforeForward_throwsIllegalState() {
        assertThatThrownBy(() -> net().backward(new double[][] {{1, 2}}))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("expected a forward pass");
        assertThatThrownBy(() -> net().backwardToInput(new double[][] {{1, 2}}))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("expected a forward pass");
    }

    @Test
    void backward_afterLayerListChanged_throwsIllegalState() {
        Network n = net();
        n.forward(new double[][] {{1, 2, 3}});
        n.removeLast(1);
        n.append(new Dense(4, 5, Activation.IDENTITY, new Rng(1)));
        assertThatThrownBy(() -> n.backward(new double[][] {{1, 2, 3, 4, 5}}))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("forward");
    }

    // ---------------------------------------------------------------------------------------
    // structure

    @Test
    void dense_zeroInputsOrOutputs_rejected() {
        assertRejected(() -> new Dense(0, 3, Activation.RELU, new Rng(1)), "inputs I", "at least 1", "found 0");
        assertRejected(() -> new Dense(3, 0, Activation.RELU, new Rng(1)), "outputs O", "at least 1", "found 0");
        assertRejected(() -> new Dense(new double[0][], new double[0], Activation.RELU), "0 rows");
        assertRejected(() -> new Dense(new double[][] {{}}, new double[] {0}, Activation.RELU), "0 columns");
    }

    @Test
    void dense_givenParametersBad_rejected() {
        assertRejected(() -> new Dense(new double[][] {{1, 2}, {3}}, new double[] {0, 0}, Activation.RELU), "W[1]", "expected 2 columns", "found 1");
        assertRejected(() -> new Dense(new double[][] {{1, 2}}, new double[] {0, 0}, Activation.RELU), "b", "expected 1 entries", "found 2");
        assertRejected(() -> new Dense(new double[][] {{1, Double.NaN}}, new double[] {0}, Activation.RELU), "W[0][1]", "found NaN");
        assertRejected(() -> new Dense(new double[][] {{1, 2}}, new double[] {Double.POSITIVE_INFINITY}, Activation.RELU), "b", "found Infinity");
        assertRejected(() -> new Dense(new double[][] {{1}, {2}}, new double[] {0, Double.NaN}, Activation.RELU), "b[1]: expected a finite number, found NaN");
        assertRejected(() -> new Dense(2, 2, Activation.RELU, Init.HE_NORMAL, null), "expected a generator, found null");
        assertRejected(() -> new Network(new Dense(2, 2, Activation.RELU, new Rng(1)), null), "expected a layer at position 1, found null");
    }

    @Test
    void append_mismatchedSize_namesExpectedAndFoundInputs() {
        assertRejected(() -> net().append(new Dense(3, 1, Activation.IDENTITY, new Rng(1))),
            "append", "expected a layer with 2 inputs", "found 3");
        assertRejected(() -> new Network(new Dense(3, 4, Activation.RELU, new Rng(1)), new Dense(5, 1, Activation.RELU, new Rng(1))),
            "4 inputs", "found 5");
    }

    @Test
    void append_sameLayerTwice_rejected() {
        Network n = net();
        Dense l = new Dense(2, 2, Activation.IDENTITY, new Rng(1));
        n.append(l);
        assertThatThrownBy(() -> n.append(l)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
    }

    @Test
    void network_noLayers_rejected() {
        assertRejected(() -> new Network(), "at least 1 layer", "found none");
    }

    @Test
    void removeLast_outOfRange_namesRangeAndValue() {
        assertRejected(() -> net().removeLast(2), "removeLast", "[0, 1]", "found 2");
        assertRejected(() -> net().removeLast(-1), "removeLast", "found -1");
    }

    @Test
    void freeze_rangeOutOfBounds_namesRangeAndValue() {
        assertRejected(() -> net().freeze(0, 3), "freeze", "<= 2", "found [0, 3)");
        assertRejected(() -> net().freeze(-1, 1), "freeze", "found [-1, 1)");
        assertRejected(() -> net().unfreeze(2, 1), "unfreeze", "found [2, 1)");
    }

    @Test
    void layerIndex_outOfRange_rejected() {
        assertRejected(() -> net().layer(2), "layer index", "found 2");
        assertRejected(() -> net().preActivation(-1), "layer index", "found -1");
    }

    // ---------------------------------------------------------------------------------------
    // targets and losses

    @Test
    void targets_maskShapeMismatch_namesExpectedAndFound() {
        double[][] y = {{0, 1}, {1, 0}};
        assertRejected(() -> new Targets(y, new boolean[1][2]), "mask labeled", "expected 2 rows", "found 1");
        assertRejected(() -> new Targets(y, new boolean[][] {{true, true}, {true}}), "mask labeled[1]", "expected 2 columns", "found 1");
        assertRejected(() -> new Targets(y, null), "mask labeled", "found null");
    }

    @Test
    void targets_nanInLabeledEntry_namesEntryAndValue() {
        assertRejected(() -> new Targets(new double[][] {{0, Double.NaN}}, new boolean[][] {{true, true}}), "labels y[0][1]", "found NaN");
        assertRejected(() -> Targets.of(new double[][] {{Double.POSITIVE_INFINITY}}), "labels y[0][0]", "found Infinity");
    }

    @Test
    void targets_emptyOrRagged_rejected() {
        assertRejected(() -> Targets.of(new double[0][]), "labels y", "0 rows");
        assertRejected(() -> Targets.of(new double[][] {{1, 0}, {1}}), "labels y[1]", "expected 2 columns", "found 1");
        assertRejected(() -> Targets.ofClasses(new int[] {0, 3}, 3), "classes c[1]", "found 3");
    }

    @Test
    void bce_labelOutsideUnitInterval_namesEntryAndValue() {
        Targets t = Targets.of(new double[][] {{0, 1.5}});
        assertRejected(() -> new BinaryCrossEntropy().forward(new double[][] {{0, 0}}, t), "labels y[0][1]", "[0.0, 1.0]", "found 1.5");
        assertRejected(() -> new BinaryCrossEntropy().backward(new double[1][2], new double[][] {{0, 0}}, t), "found 1.5");
        Targets neg = Targets.of(new double[][] {{-0.25}});
        assertRejected(() -> new BinaryCrossEntropy().forward(new double[][] {{0}}, neg), "found -0.25");
    }

    @Test
    void softmax_labelOutsideUnitInterval_namesEntryAndValue() {
        Targets t = Targets.of(new double[][] {{1.5, -0.5}});
        assertRejected(() -> new SoftmaxCrossEntropy().forward(new double[][] {{0, 0}}, t), "labels y[0][", "softmax", "found");
    }

    @Test
    void softmax_rowNotSummingToOne_namesRowAndSum() {
        Targets t = Targets.of(new double[][] {{0, 1, 0}, {0.5, 0.4, 0.0}});
        assertRejected(() -> new SoftmaxCrossEntropy().forward(new double[2][3], t), "labels y[1]", "summing to 1", "found a sum of 0.9");
    }

    @Test
    void softmax_mixedMaskRow_namesRow() {
        Targets t = new Targets(new double[][] {{0, 1}, {1, 0}}, new boolean[][] {{true, true}, {true, false}});
        assertRejected(() -> new SoftmaxCrossEntropy().forward(new double[2][2], t), "mask labeled[1]", "as a whole", "mixed");
    }

    @Test
    void loss_logitsShapeMismatch_namesExpectedAndFound() {
        Targets t = Targets.of(new double[][] {{0, 1}, {1, 0}});
        assertRejected(() -> new MeanSquaredError().forward(new double[][] {{0, 1}}, t), "logits z", "expected 2 rows", "found 1");
        assertRejected(() -> new BinaryCrossEntropy().forward(new double[][] {{0, 1, 2}, {0, 1, 2}}, t), "logits z[0]", "expected 2 columns", "found 3");
        assertRejected(() -> new MeanSquaredError().backward(new double[2][3], new double[2][2], t), "dz[0]", "expected 2 columns", "found 3");
    }

    @Test
    void loss_weightsBad_namesWeightAndValue() {
        assertRejected(() -> new BinaryCrossEntropy(Reduction.SUM, new double[] {1, -1}, null), "taskWeight[1]", "found -1.0");
        assertRejected(() -> new BinaryCrossEntropy(Reduction.SUM, null, new double[] {0.0}), "posWeight[0]", "> 0", "found 0.0");
        assertRejected(() -> new BinaryCrossEntropy(Reduction.SUM, new double[] {1, 1}, new double[] {1}), "posWeight", "found 1");
        assertRejected(() -> new MeanSquaredError(Reduction.SUM, new double[] {Double.NaN}), "weight[0]", "found NaN");
        assertRejected(() -> new BinaryCrossEntropy(null), "reduction", "found null");
        // weights for 3 columns, targets with 2
        Targets t = Targets.of(new double[][] {{0, 1}});
        assertThatThrownBy(() -> new BinaryCrossEntropy(Reduction.SUM, new double[] {1, 1, 1}, null).forward(new double[][] {{0, 0}}, t))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 weights").hasMessageContaining("2 columns");
    }

    // ---------------------------------------------------------------------------------------
    // optimizer and activation

    @Test
    void optimizer_lrNotPositive_namesLrAndValue() {
        assertRejected(() -> Optimizer.sgd(0.0), "learning rate lr", "found 0.0");
        assertRejected(() -> Optimizer.adam(-1e-3), "learning rate lr", "found -0.001");
    }

    @Test
    void leakyRelu_slopeOutsideOpenInterval_namesSlope() {
        assertRejected(() -> Activation.leakyRelu(1.0), "slope", "found 1.0");
        assertRejected(() -> Activation.leakyRelu(0.0), "slope", "found 0.0");
    }

    @Test
    void forward_ownBufferAsInput_rejected() {
        Network n = new Network(new Dense(3, 3, Activation.TANH, new Rng(SEED)), new Dense(3, 3, Activation.IDENTITY, new Rng(SEED + 1)));
        double[][] out = n.forward(new double[][] {{1, 2, 3}});
        assertRejected(() -> n.forward(out), "input x", "one of the network's own buffers");
        assertRejected(() -> n.backward(out), "dout", "one of the network's own buffers");
    }

    @Test
    void preActivation_beforeForward_illegalState() {
        Network n = net();
        assertThatThrownBy(() -> n.preActivation(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("expected a forward pass first");
        n.forward(new double[][] {{1, 2, 3}});
        n.append(new Dense(2, 1, Activation.IDENTITY, new Rng(SEED)));
        assertThatThrownBy(() -> n.activation(2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void relu_nan_staysNan() {
        // A diverged pre-activation must not be hidden as 0 (SPEC section 3).
        assertThat(Activation.RELU.apply(Double.NaN)).isNaN();
        assertThat(Activation.LEAKY_RELU.apply(Double.NaN)).isNaN();
        assertThat(Double.doubleToRawLongBits(Activation.RELU.apply(-0.0))).isEqualTo(Double.doubleToRawLongBits(0.0));
    }

    @Test
    void squaredError_labeledEntryMadeNonFiniteAfterConstruction_rejected() {
        Targets t = Targets.of(new double[][] {{1.0, 2.0}});
        t.y[0][1] = Double.NaN; // the arrays are public; the loss re-checks at every call
        assertRejected(() -> new MeanSquaredError().forward(new double[][] {{0, 0}}, t), "labels y[0][1]", "found NaN");
    }
}
