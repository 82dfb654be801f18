package dev.tessera.serving.scoring;

import static dev.tessera.serving.scoring.TestGraphs.DOUBLE;
import static dev.tessera.serving.scoring.TestGraphs.FEATURES;
import static dev.tessera.serving.scoring.TestGraphs.FLOAT;
import static dev.tessera.serving.scoring.TestGraphs.INT64;
import static dev.tessera.serving.scoring.TestGraphs.intAttribute;
import static dev.tessera.serving.scoring.TestGraphs.intsAttribute;
import static dev.tessera.serving.scoring.TestGraphs.linear;
import static dev.tessera.serving.scoring.TestGraphs.logit;
import static dev.tessera.serving.scoring.TestGraphs.longs;
import static dev.tessera.serving.scoring.TestGraphs.sigmoid;
import static dev.tessera.serving.scoring.TestGraphs.tensor;
import static dev.tessera.serving.scoring.TestGraphs.zipMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxScorerTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static final double TOLERANCE = 1e-6;

  /** {@code p} and {@code q} side by side: class probabilities {@code [N, 2]}. */
  private static TestGraphs twoColumns() {
    return linear()
        .node("Concat", List.of("q", "p"), "probabilities", intAttribute("axis", 1))
        .node(
            "ArgMax",
            List.of("probabilities"),
            "label",
            intAttribute("axis", 1),
            intAttribute("keepdims", 0));
  }

  @Test
  void shouldScoreRegressorFromOneDimensionalTensor() {
    byte[] model =
        linear()
            .initializer(longs("flat", new long[] {1}, -1))
            .node("Reshape", List.of("logit", "flat"), "variable")
            .output(tensor("variable", FLOAT, "N"))
            .build();

    try (OnnxScorer scorer = OnnxScorer.load(ENV, model)) {
      assertThat(scorer.kind()).isEqualTo(ModelKind.REGRESSOR);
      assertThat(scorer.featureCount()).isEqualTo(FEATURES);
      assertScores(scorer, row -> row);
    }
  }

  @Test
  void shouldScoreRegressorFromDoubleColumn() {
    byte[] model =
        linear()
            .node("Cast", List.of("logit"), "predictions", intAttribute("to", DOUBLE))
            .output(tensor("predictions", DOUBLE, "N", 1))
            .build();

    try (OnnxScorer scorer = OnnxScorer.load(ENV, model)) {
      assertThat(scorer.kind()).isEqualTo(ModelKind.REGRESSOR);
      assertScores(scorer, row -> row);
    }
  }

  @Test
  void shouldScoreColumnNamedLikeProbabilityAsClassifier() {
    byte[] model = linear().output(tensor("p", FLOAT, "N", 1)).build();
    byte[] named =
        linear()
            .node("Identity", List.of("p"), "output_probability")
            .output(tensor("output_probability", FLOAT, "N", 1))
            .build();

    try (OnnxScorer plain = OnnxScorer.load(ENV, model);
        OnnxScorer scorer = OnnxScorer.load(ENV, named)) {
      assertThat(plain.kind()).isEqualTo(ModelKind.REGRESSOR);
      assertThat(scorer.kind()).isEqualTo(ModelKind.CLASSIFIER);
      assertScores(scorer, TestGraphs::sigmoid);
    }
  }

  @Test
  void shouldScoreProbabilityOfPositiveClassFromTwoColumns() {
    byte[] model = twoColumns().output(tensor("probabilities", FLOAT, "N", 2)).build();

    try (OnnxScorer scorer = OnnxScorer.load(ENV, model)) {
      assertThat(scorer.kind()).isEqualTo(ModelKind.CLASSIFIER);
      assertScores(scorer, TestGraphs::sigmoid);
    }
  }

  @Test
  void shouldScoreLabelAndProbabilitiesOutputsLikeXgboost() {
    byte[] model =
        twoColumns()
            .output(tensor("label", INT64, "N"))
            .output(tensor("probabilities", FLOAT, "N", 2))
            .build();

    try (OnnxScorer scorer = OnnxScorer.load(ENV, model)) {
      assertThat(scorer.kind()).isEqualTo(ModelKind.CLASSIFIER);
      assertScores(scorer, TestGraphs::sigmoid);
    }
  }

  @Test
  void shouldTreatSingleColumnBesideLabelAsClassifier() {
    byte[] model =
        twoColumns()
            .node("Identity", List.of("p"), "variable")
            .output(tensor("label", INT64, "N"))
            .output(tensor("variable", FLOAT, "N", 1))
            .build();

    try (OnnxScorer scorer = OnnxScorer.load(ENV, model)) {
      assertThat(scorer.kind()).isEqualTo(ModelKind.CLASSIFIER);
      assertScores(scorer, TestGraphs::sigmoid);
    }
  }

  @Test
  void shouldScoreProbabilityOfClassOneFromZipMap() {
    byte[] model =
        twoColumns()
            .node(
                "ai.onnx.ml",
                "ZipMap",
                List.of("probabilities"),
                "output_probability",
                intsAttribute("classlabels_int64s", 0, 1))
            .node("Identity", List.of("label"), "output_label")
            .output(tensor("output_label", INT64, "N"))
            .output(zipMap("output_probability"))
            .build();

    try (OnnxScorer scorer = OnnxScorer.load(ENV, model)) {
      assertThat(scorer.kind()).isEqualTo(ModelKind.CLASSIFIER);
      assertScores(scorer, TestGraphs::sigmoid);
    }
  }

  @Test
  void shouldRefuseMulticlassProbabilities() {
    byte[] model =
        linear()
            .node("Concat", List.of("q", "p", "p"), "probabilities", intAttribute("axis", 1))
            .output(tensor("probabilities", FLOAT, "N", 3))
            .build();

    assertThatThrownBy(() -> OnnxScorer.load(ENV, model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unsupported model outputs")
        .hasMessageContaining("3 columns")
        .hasMessageContaining("multiclass")
        .hasMessageContaining("probabilities float[N, 3]");
  }

  @Test
  void shouldRefuseMulticlassZipMapAtLoad() {
    byte[] model =
        linear()
            .node("Concat", List.of("q", "p", "p"), "probabilities", intAttribute("axis", 1))
            .node(
                "ai.onnx.ml",
                "ZipMap",
                List.of("probabilities"),
                "output_probability",
                intsAttribute("classlabels_int64s", 0, 1, 2))
            .output(zipMap("output_probability"))
            .build();

    assertThatThrownBy(() -> OnnxScorer.load(ENV, model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unsupported model")
        .hasMessageContaining("classes [0, 1, 2]");
  }

  @Test
  void shouldRefuseModelWithTwoInputs() {
    byte[] model =
        linear()
            .input(tensor("other", FLOAT, "N", 1))
            .node("Add", List.of("logit", "other"), "variable")
            .output(tensor("variable", FLOAT, "N", 1))
            .build();

    assertThatThrownBy(() -> OnnxScorer.load(ENV, model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Unsupported model input: expected one float tensor [N, F]")
        .hasMessageContaining("got 2 inputs: ")
        .hasMessageContaining("features float[N, 3]")
        .hasMessageContaining("other float[N, 1]");
  }

  @Test
  void shouldRefuseDoubleInput() {
    byte[] model =
        TestGraphs.empty()
            .input(tensor("x", DOUBLE, "N", FEATURES))
            .node("Cast", List.of("x"), "variable", intAttribute("to", FLOAT))
            .output(tensor("variable", FLOAT, "N", FEATURES))
            .build();

    assertThatThrownBy(() -> OnnxScorer.load(ENV, model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unsupported model input")
        .hasMessageContaining("got x double[N, 3]");
  }

  @Test
  void shouldRefuseAmbiguousOutputs() {
    byte[] model =
        linear()
            .node("Identity", List.of("logit"), "raw")
            .node("Identity", List.of("logit"), "variable")
            .output(tensor("raw", FLOAT, "N", 1))
            .output(tensor("variable", FLOAT, "N", 1))
            .build();

    assertThatThrownBy(() -> OnnxScorer.load(ENV, model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot tell which of [raw, variable] is the score");
  }

  @Test
  void shouldRefuseBytesThatAreNotAModel() {
    assertThatThrownBy(() -> OnnxScorer.load(ENV, new byte[] {1, 2, 3}, "broken v1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot load broken v1: ");
  }

  @Test
  void shouldRejectFeatureArrayTooShortForRows() {
    byte[] model = twoColumns().output(tensor("probabilities", FLOAT, "N", 2)).build();

    try (OnnxScorer scorer = OnnxScorer.load(ENV, model, "churn v3")) {
      assertThatThrownBy(() -> scorer.score(new float[5], 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Expected at least 6 feature values for 2 rows of 3 features, got 5 (model churn v3)");
      assertThatThrownBy(() -> scorer.score(new float[3], -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Expected a row count >= 0, got -1 (model churn v3)");
    }
  }

  @Test
  void shouldScoreLeadingRowsOfLongerArrayAndZeroRows() {
    byte[] model = twoColumns().output(tensor("probabilities", FLOAT, "N", 2)).build();
    float[] features = {1f, 2f, 3f, 9f, 9f};

    try (OnnxScorer scorer = OnnxScorer.load(ENV, model)) {
      assertThat(scorer.score(features, 1))
          .containsExactly(new double[] {sigmoid(logit(features, 0))}, within(TOLERANCE));
      assertThat(scorer.score(features, 0)).isEmpty();
    }
  }

  @Test
  void shouldThrowIllegalStateAfterClose() {
    byte[] model = twoColumns().output(tensor("probabilities", FLOAT, "N", 2)).build();
    OnnxScorer scorer = OnnxScorer.load(ENV, model, "churn v3");
    scorer.close();
    scorer.close(); // idempotent

    assertThatThrownBy(() -> scorer.score(new float[FEATURES], 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot score with churn v3: it is closed");
  }

  @Test
  void shouldLoadFromFileAndNameModelAfterIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("model.onnx");
    Files.write(file, twoColumns().output(tensor("probabilities", FLOAT, "N", 2)).build());

    try (OnnxScorer scorer = OnnxScorer.load(ENV, file)) {
      assertThat(scorer.description()).isEqualTo(file.toString());
      assertScores(scorer, TestGraphs::sigmoid);
    }
  }

  @Test
  void shouldNameModelByGraphAndProducerByDefault() {
    byte[] model = twoColumns().output(tensor("probabilities", FLOAT, "N", 2)).build();

    try (OnnxScorer scorer = OnnxScorer.load(ENV, model)) {
      assertThat(scorer.description()).isEqualTo("ONNX model 'test_graph' by tessera-test");
      assertThat(scorer.toString())
          .isEqualTo(
              "OnnxScorer(ONNX model 'test_graph' by tessera-test, CLASSIFIER, 3 features,"
                  + " scores column 1 of 2 of tensor 'probabilities')");
    }
  }

  @Test
  void shouldScoreConcurrentlyFromOneSession() throws Exception {
    byte[] model = twoColumns().output(tensor("probabilities", FLOAT, "N", 2)).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (OnnxScorer scorer = OnnxScorer.load(ENV, model)) {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        tasks.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    assertBatch(
                        scorer, randomRows(seed * 1000 + i, 1 + i % 7), TestGraphs::sigmoid);
                  }
                  return null;
                }));
      }
      for (Future<?> task : tasks) {
        task.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Scores batches of 1 and 100 and compares with {@code expected(w·x + b)} row by row. */
  private static void assertScores(Scorer scorer, DoubleUnaryOperator expected) {
    assertBatch(scorer, new float[] {0.3f, -0.7f, 1.1f}, expected);
    assertBatch(scorer, randomRows(42, 100), expected);
  }

  private static void assertBatch(Scorer scorer, float[] features, DoubleUnaryOperator expected) {
    int rows = features.length / FEATURES;
    double[] scores = scorer.score(features, rows);
    assertThat(scores).hasSize(rows);
    for (int row = 0; row < rows; row++) {
      assertThat(scores[row])
          .as("row %d", row)
          .isCloseTo(expected.applyAsDouble(logit(features, row)), within(TOLERANCE));
    }
  }

  private static float[] randomRows(long seed, int rows) {
    Random random = new Random(seed);
    float[] features = new float[rows * FEATURES];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) (random.nextGaussian() * 1.5);
    }
    return features;
  }
}
