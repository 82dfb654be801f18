package dev.tessera.serving.training;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;

/**
 * Builds an ONNX logistic regression from its coefficients: the bootstrap model Tessera serves
 * until a trained one is registered.
 *
 * <p>The graph is {@code probability = Sigmoid(MatMul(features, W) + b)} with input {@code
 * features} float {@code [N, F]} ({@code N} symbolic), weights {@code W} float {@code [F, 1]}, bias
 * {@code b} float {@code [1]} and output {@code probability} float {@code [N, 1]}; IR version 8,
 * default-domain opset 17, producer {@code tessera}. The feature names, comma-separated, and the
 * description are stored in {@code metadata_props} under {@value #FEATURE_NAMES_KEY} and {@value
 * #DESCRIPTION_KEY}. Coefficients are stored as float32, the precision the graph computes in.
 *
 * <pre>{@code
 * byte[] model =
 *     LogisticRegressionOnnx.build(
 *         List.of("orders_7d", "days_since_last_order"), new double[] {-0.8, 0.05}, -1.2,
 *         "churn bootstrap model");
 * try (OnnxScorer scorer = OnnxScorer.load(OrtEnvironment.getEnvironment(), model)) { ... }
 * }</pre>
 */
public final class LogisticRegressionOnnx {
  /** {@code metadata_props} key of the comma-separated feature names, in input order. */
  public static final String FEATURE_NAMES_KEY = "tessera.feature_names";

  /** {@code metadata_props} key of the human description. */
  public static final String DESCRIPTION_KEY = "tessera.description";

  /** Name of the model's input, a float tensor {@code [N, F]}. */
  public static final String INPUT_NAME = "features";

  /** Name of the model's output, a float tensor {@code [N, 1]} of positive-class probabilities. */
  public static final String OUTPUT_NAME = "probability";

  static final long IR_VERSION = 8;
  static final long OPSET_VERSION = 17;
  static final String PRODUCER = "tessera";

  private LogisticRegressionOnnx() {}

  /**
   * Serialises a logistic regression {@code P(y=1 | x) = 1 / (1 + exp(-(w·x + b)))} as an ONNX
   * model.
   *
   * @param featureNames names of the features, in input order; unique, non-blank, without commas
   * @param weights one finite weight per feature
   * @param bias the finite intercept
   * @param description stored in {@value #DESCRIPTION_KEY} and the model's {@code doc_string}
   * @return the serialised {@code ModelProto}
   * @throws IllegalArgumentException if the names and weights do not match or are invalid
   */
  public static byte[] build(
      List<String> featureNames, double[] weights, double bias, String description) {
    validate(featureNames, weights, bias);
    int features = weights.length;
    TensorProto.Builder w =
        TensorProto.newBuilder()
            .setName("W")
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addDims(features)
            .addDims(1);
    for (double weight : weights) {
      w.addFloatData((float) weight);
    }
    TensorProto b =
        TensorProto.newBuilder()
            .setName("b")
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addDims(1)
            .addFloatData((float) bias)
            .build();
    GraphProto graph =
        GraphProto.newBuilder()
            .setName("tessera_logistic_regression")
            .addInput(
                OnnxProtos.tensor(INPUT_NAME, TensorProto.DataType.FLOAT_VALUE, "N", features))
            .addOutput(OnnxProtos.tensor(OUTPUT_NAME, TensorProto.DataType.FLOAT_VALUE, "N", 1))
            .addInitializer(w)
            .addInitializer(b)
            .addNode(node("MatMul", "linear_matmul", List.of(INPUT_NAME, "W"), "logit_no_bias"))
            .addNode(node("Add", "linear_bias", List.of("logit_no_bias", "b"), "logit"))
            .addNode(node("Sigmoid", "sigmoid", List.of("logit"), OUTPUT_NAME))
            .build();
    String safeDescription = description == null ? "" : description;
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET_VERSION))
        .setProducerName(PRODUCER)
        .setDocString(safeDescription)
        .setGraph(graph)
        .addMetadataProps(OnnxProtos.entry(FEATURE_NAMES_KEY, String.join(",", featureNames)))
        .addMetadataProps(OnnxProtos.entry(DESCRIPTION_KEY, safeDescription))
        .build()
        .toByteArray();
  }

  private static void validate(List<String> featureNames, double[] weights, double bias) {
    if (featureNames.isEmpty() || featureNames.size() != weights.length) {
      throw new IllegalArgumentException(
          "Expected one weight per feature and at least one feature, got "
              + featureNames.size()
              + " feature names and "
              + weights.length
              + " weights");
    }
    OnnxProtos.checkFeatureNames(featureNames);
    for (int i = 0; i < weights.length; i++) {
      if (!Double.isFinite(weights[i])) {
        throw new IllegalArgumentException(
            "Weight of feature " + featureNames.get(i) + " is not finite: " + weights[i]);
      }
    }
    if (!Double.isFinite(bias)) {
      throw new IllegalArgumentException("Bias is not finite: " + bias);
    }
  }

  private static NodeProto node(String op, String name, List<String> inputs, String output) {
    return NodeProto.newBuilder()
        .setOpType(op)
        .setName(name)
        .addAllInput(inputs)
        .addOutput(output)
        .build();
  }
}
