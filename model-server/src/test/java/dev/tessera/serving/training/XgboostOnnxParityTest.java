package dev.tessera.serving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.serving.scoring.ModelKind;
import dev.tessera.serving.scoring.OnnxScorer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The exported ONNX model, run by the real ONNX Runtime, against the real XGBoost's {@code predict}
 * on the same rows: held-out rows, rows exactly on (and one float either side of) every split
 * threshold, missing values and extreme values.
 */
class XgboostOnnxParityTest {
  /** The parity the exporter promises on probabilities. */
  private static final double TOLERANCE = 1e-5;

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int F = SyntheticData.FEATURES;
  private static final TrainingSet DATA = SyntheticData.generate(2_000, 17L);
  private static final long SEED = 42L;
  private static final XgboostTrainer.Result TRAINED =
      XgboostTrainer.train(
          DATA, XgboostParams.parse("n_estimators=200,max_depth=6,learning_rate=0.1"), SEED);
  private static final byte[] ONNX =
      XgboostOnnxExporter.export(TRAINED.modelJson(), TRAINED.featureNames(), "synthetic");

  // The largest |ONNX - XGBoost| seen by each test, printed once for the record.
  private static final Map<String, Double> MAX_DIFFERENCES = new TreeMap<>();

  @AfterAll
  static void reportParity() {
    System.out.println("XGBoost/ONNX parity, max |difference| per test: " + MAX_DIFFERENCES);
  }

  @Test
  void shouldMatchXgboostProbabilitiesOnHeldOutRows() throws Exception {
    int[] holdout = StratifiedSplit.of(DATA.labels(), 0.2, SEED).holdout();
    float[] rows = DATA.rows(holdout);

    Scores onnx = runOnnx(ONNX, rows, holdout.length);

    assertParity("held-out rows", rows, holdout.length, onnx);
    assertThat(holdout).hasSize(400);
  }

  @Test
  void shouldMatchXgboostProbabilitiesOnThresholdRows() throws Exception {
    Map<Integer, Set<Float>> thresholds = thresholds(TRAINED.modelJson());
    assertThat(thresholds.keySet()).hasSizeGreaterThan(8);
    int[] holdout = StratifiedSplit.of(DATA.labels(), 0.2, SEED).holdout();
    List<float[]> rows = new ArrayList<>();
    int base = 0;
    // One feature at a time: exactly on each threshold and one float below and above it, on top
    // of real rows, so the rest of the path varies.
    for (Map.Entry<Integer, Set<Float>> feature : thresholds.entrySet()) {
      for (float threshold : feature.getValue()) {
        for (float value :
            new float[] {threshold, Math.nextDown(threshold), Math.nextUp(threshold)}) {
          float[] row = DATA.row(holdout[base++ % holdout.length]);
          row[feature.getKey()] = value;
          rows.add(row);
        }
      }
    }
    // Every feature on a threshold at once.
    List<List<Float>> perFeature = new ArrayList<>();
    for (int j = 0; j < F; j++) {
      perFeature.add(new ArrayList<>(thresholds.getOrDefault(j, Set.of(0f))));
    }
    for (int k = 0; k < 500; k++) {
      float[] row = new float[F];
      for (int j = 0; j < F; j++) {
        List<Float> values = perFeature.get(j);
        row[j] = values.get((k * 7 + j) % values.size());
      }
      rows.add(row);
    }
    float[] flat = flatten(rows);

    Scores onnx = runOnnx(ONNX, flat, rows.size());

    assertParity("threshold rows", flat, rows.size(), onnx);
    assertThat(rows).hasSizeGreaterThan(1_000);
  }

  @Test
  void shouldMatchXgboostOnMissingValues() throws Exception {
    int[] holdout = StratifiedSplit.of(DATA.labels(), 0.2, SEED).holdout();
    List<float[]> rows = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      float[] allMissing = new float[F];
      Arrays.fill(allMissing, Float.NaN);
      rows.add(allMissing);
    }
    // Each feature missing on its own, then all but one.
    for (int j = 0; j < F; j++) {
      float[] row = DATA.row(holdout[j]);
      row[j] = Float.NaN;
      rows.add(row);
      float[] onlyOne = new float[F];
      Arrays.fill(onlyOne, Float.NaN);
      onlyOne[j] = DATA.value(holdout[j], j);
      rows.add(onlyOne);
    }
    float[] flat = flatten(rows);

    Scores onnx = runOnnx(ONNX, flat, rows.size());

    assertParity("missing values", flat, rows.size(), onnx);
    // All-missing rows follow the default branches only: one score for all of them.
    assertThat(onnx.probability(1)).isEqualTo(onnx.probability(0));
  }

  @Test
  void shouldMatchXgboostOnExtremeValues() throws Exception {
    float[] extremes = {
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      1e30f,
      -1e30f,
      1e-30f,
      -1e-30f,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Float.MIN_NORMAL,
      0f,
      -0f
    };
    List<float[]> rows = new ArrayList<>();
    for (float extreme : extremes) {
      float[] row = new float[F];
      Arrays.fill(row, extreme);
      rows.add(row);
    }
    Random random = new Random(5);
    for (int k = 0; k < 300; k++) {
      float[] row = new float[F];
      for (int j = 0; j < F; j++) {
        row[j] = extremes[random.nextInt(extremes.length)];
      }
      rows.add(row);
    }
    float[] flat = flatten(rows);

    Scores onnx = runOnnx(ONNX, flat, rows.size());

    assertParity("extreme values", flat, rows.size(), onnx);
  }

  @Test
  void shouldTreatInfinityLikeTheLargestFloat() throws Exception {
    // XGBoost refuses infinities in its input, so there is no reference to compare with; the
    // ONNX model sends them down the same branches as +-Float.MAX_VALUE, which XGBoost accepts.
    float[] rows = new float[4 * F];
    Arrays.fill(rows, 0, F, Float.POSITIVE_INFINITY);
    Arrays.fill(rows, F, 2 * F, Float.MAX_VALUE);
    Arrays.fill(rows, 2 * F, 3 * F, Float.NEGATIVE_INFINITY);
    Arrays.fill(rows, 3 * F, 4 * F, -Float.MAX_VALUE);

    Scores onnx = runOnnx(ONNX, rows, 4);

    assertThat(onnx.probability(0)).isEqualTo(onnx.probability(1));
    assertThat(onnx.probability(2)).isEqualTo(onnx.probability(3));
  }

  @Test
  void shouldMatchXgboostWhenEveryTreeIsASingleLeafAboveTheBaseScore() throws Exception {
    // A base score below the positive rate makes every gradient step positive, and a huge
    // min_split_loss forbids splits: every leaf weight is > 0, the case ONNX Runtime before 1.26
    // got wrong (microsoft/onnxruntime#27533) and the exporter adds a guard tree for.
    XgboostTrainer.Result stumps =
        XgboostTrainer.train(
            DATA, XgboostParams.parse("n_estimators=10,base_score=0.1,min_split_loss=1e9"), 3L);
    JsonNode trees = JSON.readTree(stumps.modelJson()).at("/learner/gradient_booster/model/trees");
    for (JsonNode tree : trees) {
      assertThat(tree.at("/tree_param/num_nodes").asInt()).isEqualTo(1);
      assertThat(tree.at("/split_conditions/0").floatValue()).isPositive();
    }
    byte[] onnx = XgboostOnnxExporter.export(stumps.modelJson(), stumps.featureNames(), "stumps");
    float[] rows = DATA.rows(new int[] {0, 1, 2});

    Scores scores = runOnnx(onnx, rows, 3);

    assertParity("single-leaf trees, all leaves > 0", stumps.modelJson(), rows, 3, scores);
    // The guard is there: one more tree than XGBoost's.
    NodeProto ensemble = ModelProto.parseFrom(onnx).getGraph().getNode(0);
    assertThat(ints(ensemble, "nodes_treeids"))
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    // A runtime with the bug answers the raw margin, far from the probability here, so the
    // parity check above would catch it.
    double p = scores.probability(0);
    assertThat(Math.abs(Math.log(p / (1 - p)) - p)).isGreaterThan(0.1);
  }

  @Test
  void shouldMatchXgboostWithSomeSingleLeafTrees() throws Exception {
    // A large min_split_loss stops splitting once the easy gains are taken: later trees are
    // single leaves of either sign among ordinary trees.
    XgboostTrainer.Result pruned =
        XgboostTrainer.train(
            DATA, XgboostParams.parse("n_estimators=60,min_split_loss=8,eta=0.3"), 9L);
    JsonNode trees = JSON.readTree(pruned.modelJson()).at("/learner/gradient_booster/model/trees");
    long singleLeaves = 0;
    for (JsonNode tree : trees) {
      singleLeaves += tree.at("/tree_param/num_nodes").asInt() == 1 ? 1 : 0;
    }
    assertThat(singleLeaves).isBetween(1L, (long) trees.size() - 1);
    byte[] onnx = XgboostOnnxExporter.export(pruned.modelJson(), pruned.featureNames(), "pruned");
    float[] rows = DATA.rows(StratifiedSplit.of(DATA.labels(), 0.2, 9L).holdout());

    Scores scores = runOnnx(onnx, rows, 400);

    assertParity("some single-leaf trees", pruned.modelJson(), rows, 400, scores);
  }

  @Test
  void shouldMatchXgboostRegressorPredictions() throws Exception {
    Random random = new Random(21);
    int rows = 1_000;
    float[] x = new float[rows * 4];
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = random.nextDouble() < 0.05 ? Float.NaN : (float) random.nextGaussian();
      }
      double a = Float.isNaN(x[i * 4]) ? 1 : x[i * 4];
      double b = Float.isNaN(x[i * 4 + 1]) ? -1 : x[i * 4 + 1];
      y[i] = (float) (3 * Math.sin(a) + 2 * b + random.nextGaussian() * 0.1 + 10);
    }
    byte[] json =
        trainDirectly(
            x, y, 4, Map.of("objective", "reg:squarederror", "max_depth", "5", "nthread", "1"), 80);
    byte[] onnx = XgboostOnnxExporter.export(json, List.of("a", "b", "c", "d"), "regressor");
    float[] expected = flattenColumn(XgboostTestSupport.predict(json, x, rows, 4));

    float[] actual;
    try (OrtSession session = ENV.createSession(onnx);
        OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), new long[] {rows, 4});
        OrtSession.Result result = session.run(Map.of("features", input))) {
      actual = flattenColumn((float[][]) result.get("variable").orElseThrow().getValue());
    }
    // Relative: XGBoost adds each leaf to a running float32 sum that starts at the base score
    // (~10 here, ulp ~1e-6) while ONNX Runtime adds the base last, so the two round differently
    // by a few ulps of the prediction.
    double max = 0;
    for (int i = 0; i < rows; i++) {
      assertThat((double) actual[i])
          .as("row %d", i)
          .isCloseTo(expected[i], within(TOLERANCE * Math.max(1, Math.abs(expected[i]))));
      max = Math.max(max, Math.abs(actual[i] - expected[i]));
    }
    record("reg:squarederror (values ~10)", max);
    try (OnnxScorer scorer = OnnxScorer.load(ENV, onnx)) {
      assertThat(scorer.kind()).isEqualTo(ModelKind.REGRESSOR);
      assertThat(scorer.score(x, 3)[2]).isCloseTo(expected[2], within(TOLERANCE * 10));
    }
  }

  @Test
  void shouldScoreExportedClassifierWithOnnxScorer() throws Exception {
    int[] holdout = StratifiedSplit.of(DATA.labels(), 0.2, SEED).holdout();
    float[] rows = DATA.rows(holdout);
    float[][] expected = XgboostTestSupport.predict(TRAINED.modelJson(), rows, holdout.length, F);

    try (OnnxScorer scorer = OnnxScorer.load(ENV, ONNX, "synthetic v1")) {
      assertThat(scorer.kind()).isEqualTo(ModelKind.CLASSIFIER);
      assertThat(scorer.featureCount()).isEqualTo(F);
      assertThat(scorer.metadata())
          .containsEntry(LogisticRegressionOnnx.FEATURE_NAMES_KEY, String.join(",", DATA.columns()))
          .containsEntry(LogisticRegressionOnnx.DESCRIPTION_KEY, "synthetic");
      assertThat(scorer.toString()).contains("column 1 of 2 of tensor 'probabilities'");
      double[] scores = scorer.score(rows, holdout.length);
      for (int i = 0; i < holdout.length; i++) {
        assertThat(scores[i]).as("row %d", i).isCloseTo(expected[i][0], within(TOLERANCE));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** ONNX Runtime's two outputs for a batch. */
  record Scores(long[] labels, float[][] probabilities) {
    float probability(int row) {
      return probabilities[row][1];
    }
  }

  static Scores runOnnx(byte[] model, float[] rows, int count) throws OrtException {
    try (OrtSession session = ENV.createSession(model);
        OnnxTensor input =
            OnnxTensor.createTensor(ENV, FloatBuffer.wrap(rows), new long[] {count, F});
        OrtSession.Result result = session.run(Map.of("features", input))) {
      return new Scores(
          (long[]) result.get("label").orElseThrow().getValue(),
          (float[][]) result.get("probabilities").orElseThrow().getValue());
    }
  }

  private static void assertParity(String what, float[] rows, int count, Scores onnx)
      throws Exception {
    assertParity(what, TRAINED.modelJson(), rows, count, onnx);
  }

  private static void assertParity(
      String what, byte[] modelJson, float[] rows, int count, Scores onnx) throws Exception {
    float[][] expected = XgboostTestSupport.predict(modelJson, rows, count, F);
    assertThat(onnx.probabilities()).hasNumberOfRows(count);
    double max = 0;
    for (int i = 0; i < count; i++) {
      double p = expected[i][0];
      float[] actual = onnx.probabilities()[i];
      assertThat((double) actual[1]).as("%s, row %d", what, i).isCloseTo(p, within(TOLERANCE));
      assertThat((double) actual[0])
          .as("%s, row %d, class 0", what, i)
          .isCloseTo(1 - p, within(TOLERANCE));
      // ONNX Runtime's label is margin > 0, XGBoost's classifier says p > 0.5: the same rule,
      // unless p is within float rounding of 0.5.
      if (Math.abs(p - 0.5) > 1e-6) {
        assertThat(onnx.labels()[i]).as("%s, label of row %d", what, i).isEqualTo(p > 0.5 ? 1 : 0);
      }
      max = Math.max(max, Math.abs(actual[1] - p));
    }
    record(what, max);
  }

  private static synchronized void record(String what, double max) {
    MAX_DIFFERENCES.merge(what, max, Math::max);
  }

  /** Split thresholds per feature index, read from the JSON model's branch nodes. */
  static Map<Integer, Set<Float>> thresholds(byte[] modelJson) throws Exception {
    Map<Integer, Set<Float>> thresholds = new HashMap<>();
    for (JsonNode tree : JSON.readTree(modelJson).at("/learner/gradient_booster/model/trees")) {
      JsonNode left = tree.get("left_children");
      for (int i = 0; i < left.size(); i++) {
        if (left.get(i).asInt() != -1) {
          thresholds
              .computeIfAbsent(tree.get("split_indices").get(i).asInt(), f -> new LinkedHashSet<>())
              .add(Float.parseFloat(tree.get("split_conditions").get(i).asText()));
        }
      }
    }
    return thresholds;
  }

  static byte[] trainDirectly(
      float[] x, float[] y, int columns, Map<String, String> params, int rounds) throws Exception {
    DMatrix matrix = new DMatrix(x, y.length, columns, Float.NaN);
    Booster booster = null;
    try {
      matrix.setLabel(y);
      Map<String, Object> xgboost = new HashMap<>(params);
      xgboost.putIfAbsent("seed", "1");
      booster = XGBoost.train(matrix, xgboost, rounds, Map.of(), null, null);
      return booster.toByteArray("json");
    } finally {
      if (booster != null) {
        booster.dispose();
      }
      matrix.dispose();
    }
  }

  static List<Long> ints(NodeProto node, String attribute) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(attribute))
        .findFirst()
        .orElseThrow()
        .getIntsList();
  }

  private static float[] flatten(List<float[]> rows) {
    float[] flat = new float[rows.size() * F];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, flat, i * F, F);
    }
    return flat;
  }

  private static float[] flattenColumn(float[][] column) {
    float[] flat = new float[column.length];
    for (int i = 0; i < column.length; i++) {
      flat[i] = column[i][0];
    }
    return flat;
  }
}
