package dev.tessera.serving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension;
import ai.onnxruntime.OrtEnvironment;
import dev.tessera.serving.scoring.ModelKind;
import dev.tessera.serving.scoring.OnnxScorer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionOnnxTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static final List<String> NAMES =
      List.of("orders_7d", "days_since_last_order", "refunds_30d", "avg_basket");
  private static final double[] WEIGHTS = {0.3, -1.7, 0.05, 2.2};
  private static final double BIAS = -0.4;

  @Test
  void shouldScoreExactlyTheLogisticFunction() {
    byte[] model = LogisticRegressionOnnx.build(NAMES, WEIGHTS, BIAS, "churn bootstrap");

    try (OnnxScorer scorer = OnnxScorer.load(ENV, model)) {
      assertThat(scorer.kind()).isEqualTo(ModelKind.CLASSIFIER);
      assertThat(scorer.featureCount()).isEqualTo(4);
      for (int rows : new int[] {1, 2, 7, 100}) {
        float[] features = randomRows(rows, rows);
        double[] scores = scorer.score(features, rows);
        assertThat(scores).hasSize(rows);
        for (int row = 0; row < rows; row++) {
          assertThat(scores[row])
              .as("row %d of %d", row, rows)
              .isCloseTo(expected(features, row), within(1e-6));
        }
      }
    }
  }

  @Test
  void shouldStoreFeatureNamesAndDescriptionInMetadata() {
    byte[] model = LogisticRegressionOnnx.build(NAMES, WEIGHTS, BIAS, "churn bootstrap");

    try (OnnxScorer scorer = OnnxScorer.load(ENV, model)) {
      assertThat(scorer.metadata())
          .containsEntry(
              LogisticRegressionOnnx.FEATURE_NAMES_KEY,
              "orders_7d,days_since_last_order,refunds_30d,avg_basket")
          .containsEntry(LogisticRegressionOnnx.DESCRIPTION_KEY, "churn bootstrap");
      assertThat(scorer.description())
          .isEqualTo("ONNX model 'tessera_logistic_regression' by tessera");
    }
  }

  @Test
  void shouldDeclareIrVersionOpsetAndSymbolicBatch() throws Exception {
    ModelProto model =
        ModelProto.parseFrom(LogisticRegressionOnnx.build(NAMES, WEIGHTS, BIAS, "churn"));

    assertThat(model.getIrVersion()).isEqualTo(8);
    assertThat(model.getProducerName()).isEqualTo("tessera");
    assertThat(model.getOpsetImportList())
        .singleElement()
        .satisfies(
            opset -> {
              assertThat(opset.getDomain()).isEmpty();
              assertThat(opset.getVersion()).isEqualTo(17);
            });
    assertThat(model.getGraph().getInput(0).getName()).isEqualTo("features");
    List<Dimension> input =
        model.getGraph().getInput(0).getType().getTensorType().getShape().getDimList();
    assertThat(input.get(0).getDimParam()).isEqualTo("N");
    assertThat(input.get(1).getDimValue()).isEqualTo(4);
    assertThat(model.getGraph().getOutput(0).getName()).isEqualTo("probability");
    assertThat(model.getGraph().getNodeList())
        .extracting(NodeProto::getOpType)
        .containsExactly("MatMul", "Add", "Sigmoid");
    assertThat(model.getDocString()).isEqualTo("churn");
  }

  @Test
  void shouldRefuseMismatchedOrInvalidCoefficients() {
    assertThatThrownBy(
            () -> LogisticRegressionOnnx.build(NAMES, new double[] {1, 2}, BIAS, "churn"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Expected one weight per feature and at least one feature, got 4 feature names and 2"
                + " weights");
    assertThatThrownBy(
            () -> LogisticRegressionOnnx.build(List.of("a", "a"), new double[] {1, 2}, 0, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unique");
    assertThatThrownBy(() -> LogisticRegressionOnnx.build(List.of("a,b"), new double[] {1}, 0, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("free of commas");
    assertThatThrownBy(
            () -> LogisticRegressionOnnx.build(List.of("a"), new double[] {Double.NaN}, 0, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Weight of feature a is not finite: NaN");
    assertThatThrownBy(
            () ->
                LogisticRegressionOnnx.build(
                    List.of("a"), new double[] {1}, Double.POSITIVE_INFINITY, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Bias is not finite: Infinity");
  }

  private static double expected(float[] features, int row) {
    double logit = BIAS;
    for (int j = 0; j < WEIGHTS.length; j++) {
      logit += WEIGHTS[j] * features[row * WEIGHTS.length + j];
    }
    return 1 / (1 + Math.exp(-logit));
  }

  private static float[] randomRows(long seed, int rows) {
    Random random = new Random(seed);
    float[] features = new float[rows * WEIGHTS.length];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) (random.nextDouble() * 6 - 3);
    }
    return features;
  }
}
