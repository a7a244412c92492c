package plainnet.cli;

import java.util.Arrays;
import java.util.List;
import plainnet.Loss;
import plainnet.Network;
import plainnet.Trainer;
import plainnet.io.FormatException;

/**
 * Where a forward pass or a loss first stops being finite on the rows of a data file. Finite
 * weights can still overflow on large inputs (relu(10²⁰⁰ · 10²⁰⁰) is Infinity, and Infinity −
 * Infinity is NaN), so {@code predict} and {@code evaluate} refuse such a row instead of printing
 * NaN, and a training run whose first batch loss is not finite before any update names the row
 * instead of blaming the learning rate. See SPEC.md, sections "Training loop" and "Command line".
 *
 * <p>Index letters: N rows (n), I inputs, O_l outputs of layer l (j).
 */
final class Overflow {

    private Overflow() {}

    /**
     * The network outputs for every row of x (N, I) as {@link Setup#outputs} computes them (the
     * same chunks, so the same bits), refusing the first row whose pre-activation z_l is not
     * finite at some layer l. Every activation maps a finite z to a finite a, so a row whose every
     * z_l is finite has finite outputs.
     *
     * @param x        the rows (N, I) the network reads (standardized when the model standardizes)
     * @param model    the model file, named first in the message
     * @param file     the data file
     * @param lines    (N) the file line of each row
     * @param features (I) the input names
     * @param standardized whether x holds standardized inputs (said in the message)
     * @return z (N, K), copies
     * @throws FormatException naming the model, the layer, the output, the data line and the row's largest input
     */
    static double[][] outputs(Network net, double[][] x, String model, String file, int[] lines, List<String> features, boolean standardized) throws FormatException {
        double[][] out = new double[x.length][]; // (N, K)
        for (int from = 0; from < x.length; from += Setup.CHUNK) {
            int to = Math.min(x.length, from + Setup.CHUNK);
            double[][] a = net.forward(Arrays.copyOfRange(x, from, to)); // (to − from, K)
            int[] bad = firstNonFinite(net, to - from);
            if (bad != null) {
                int n = from + bad[0];
                throw new FormatException(model, 0, 0, "layer " + bad[1] + ": expected finite outputs, found " + net.preActivation(bad[1])[bad[0]][bad[2]]
                    + " at output " + bad[2] + " for line " + lines[n] + " of " + file + " (" + largestInput(x[n], features, standardized)
                    + "): the weights are too large for these inputs");
            }
            for (int n = from; n < to; n++) out[n] = a[n - from].clone();
        }
        return out;
    }

    /**
     * Why a training run diverged on its first step, when the batch loss was already NaN or
     * infinite before any update (so the learning rate cannot be the cause); null for any other
     * divergence. The network must hold the weights the run started with (a divergence restores
     * them). Names the first row, in file order, whose forward pass overflows, else whose own loss
     * is not finite.
     *
     * @param r    the diverged result
     * @param net  the network, holding the weights the run started with
     * @param loss the loss trained on
     * @param d    the training rows
     * @param standardized whether d holds standardized inputs (said in the message)
     * @return one sentence for the divergence message, or null
     */
    static String firstStep(Trainer.Result r, Network net, Loss loss, Setup.Data d, boolean standardized) {
        if (!(r.diverged && r.divergedEpoch == 1 && r.divergedStep == 1 && r.divergence.startsWith("the batch loss was "))) return null;
        String cause = null;
        for (int from = 0; from < d.x.length && cause == null; from += Setup.CHUNK) {
            int to = Math.min(d.x.length, from + Setup.CHUNK);
            double[][] z = net.forward(Arrays.copyOfRange(d.x, from, to)); // (to − from, K)
            int[] bad = firstNonFinite(net, to - from);
            if (bad != null) {
                int n = from + bad[0];
                cause = "layer " + bad[1] + " output " + bad[2] + " overflows to " + net.preActivation(bad[1])[bad[0]][bad[2]] + " for line " + d.lines[n]
                    + " of " + d.file + " (" + largestInput(d.x[n], d.features, standardized) + ")";
                break;
            }
            for (int n = from; n < to && cause == null; n++) {
                double J = loss.forward(new double[][] {z[n - from]}, d.t.rows(new int[] {n}, 0, 1)); // the row's own loss
                if (Double.isNaN(J) || Double.isInfinite(J)) {
                    double largest = 0.0;
                    for (double v : z[n - from]) largest = Math.max(largest, Math.abs(v));
                    cause = "the loss of line " + d.lines[n] + " of " + d.file + " is " + J + " (its outputs reach " + largest + " in magnitude; "
                        + largestInput(d.x[n], d.features, standardized) + ")";
                }
            }
        }
        if (cause == null) cause = "every row's own loss is finite, but their sum over the first batch overflows";
        return "The loss was " + r.divergence.substring("the batch loss was ".length()) + " before any update, so the learning rate is not the cause: "
            + cause + ". Rescale or check the inputs and labels.";
    }

    /** {row, layer, output} of the first non-finite z_l[n][j] of the last forward over {@code rows} rows (row first, then layer, then output), or null. */
    private static int[] firstNonFinite(Network net, int rows) {
        for (int n = 0; n < rows; n++) {
            for (int l = 0; l < net.size(); l++) {
                double[] z = net.preActivation(l)[n]; // (O_l)
                for (int j = 0; j < z.length; j++) {
                    if (Double.isNaN(z[j]) || Double.isInfinite(z[j])) return new int[] {n, l, j};
                }
            }
        }
        return null;
    }

    /** "its largest input: NAME = VALUE", the input of the row x (I) of the largest magnitude. */
    private static String largestInput(double[] x, List<String> features, boolean standardized) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (Math.abs(x[i]) > Math.abs(x[best])) best = i;
        return "its largest input" + (standardized ? " after standardization" : "") + ": " + features.get(best) + " = " + x[best];
    }
}
