package plainnet.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import plainnet.io.ModelFile;
import plainnet.io.TextFiles;
import plainnet.kinds.Kinds;
import plainnet.onnx.OnnxExport;

/** The command {@code export}: a model file as an ONNX model. See SPEC.md, section "ONNX export". */
final class ExportCommand {

    private ExportCommand() {}

    /** The formats --format accepts. */
    static final String[] FORMATS = {"onnx"};

    static Options options() {
        Options o = new Options("export", "Write a model as a standard ONNX model (opset " + OnnxExport.OPSET + ") that takes the raw features, as predict does:\n"
            + "outputs logits and, for bce and softmax models, probabilities; a model of several groups has per group NAME\n"
            + "the outputs NAME_logits and NAME (softmax, sigmoid or the values, by the group's loss).");
        o.value("model", "FILE", null, "the model file");
        o.value("format", "FORMAT", null, "the file format to write: " + String.join(", ", FORMATS));
        o.value("out", "FILE", null, "the file to write, e.g. model.onnx");
        o.flag("float32", "write float weights and a float graph (default: double, the model's own numbers)");
        return o;
    }

    static int run(String[] args, PrintStream out) throws UsageException, IOException {
        Options o = options();
        if (!o.parse(args)) {
            out.print(o.help());
            return 0;
        }
        String model = o.required("model");
        o.choice("format", FORMATS);
        Path target = Paths.get(o.required("out"));
        TextFiles.checkOutput(target, "--out", "--model", model);
        boolean float32 = o.has("float32");
        ModelFile m = ModelFile.load(Paths.get(model));
        byte[] onnx = OnnxExport.toBytes(m, model, float32, Main.VERSION);
        TextFiles.writeAtomically(target, onnx);
        out.println("wrote " + target + " (ONNX opset " + OnnxExport.OPSET + ", " + (float32 ? "float32" : "float64") + ", " + onnx.length + " bytes): input "
            + OnnxExport.INPUT + " (N, " + m.inputs() + "), outputs " + outputs(m));
        return 0;
    }

    /** The graph's outputs with their shapes, as SPEC.md §25 names them. */
    private static String outputs(ModelFile m) {
        if (m.taskNet == null) {
            return OnnxExport.LOGITS + " (N, " + m.outputs() + ")" + (Kinds.of(m.loss).onnxOp().equals("Identity") ? "" : ", " + OnnxExport.PROBABILITIES + " (N, " + m.outputs() + ")");
        }
        StringBuilder s = new StringBuilder();
        for (int g = 0; g < m.groupCount(); g++) {
            String name = m.group(g).name, K = " (N, " + m.group(g).K + ")";
            s.append(g == 0 ? "" : ", ").append(name).append(OnnxExport.LOGITS_SUFFIX).append(K).append(", ").append(name).append(K);
        }
        return s.toString();
    }
}
