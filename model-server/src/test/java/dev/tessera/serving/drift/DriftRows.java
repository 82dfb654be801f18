package dev.tessera.serving.drift;

import dev.tessera.schemas.Assignment;
import dev.tessera.schemas.FeatureValue;
import dev.tessera.schemas.Prediction;
import dev.tessera.serving.training.TrainingProfile;
import dev.tessera.serving.training.TrainingSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A model of two features, {@code amount} (Gaussian) and {@code visits} (small counts, 5% without
 * data), its training profile, and served rows drawn like the training data or shifted.
 */
final class DriftRows {
  static final List<String> COLUMNS = List.of("amount", "visits");

  private DriftRows() {}

  /** How served rows are drawn. */
  record Shape(double amountShift, double visitsMissing, boolean skewScores) {
    static final Shape STABLE = new Shape(0, 0.05, false);
  }

  static TrainingProfile profile(long seed) {
    var random = new Random(seed);
    int n = 5_000;
    float[][] rows = new float[n][];
    boolean[] defaulted = new boolean[n * 2];
    int[] labels = new int[n];
    double[] scores = new double[n / 5];
    for (int i = 0; i < n; i++) {
      boolean missing = random.nextDouble() < 0.05;
      rows[i] = new float[] {(float) random.nextGaussian(), missing ? 0 : random.nextInt(10)};
      defaulted[2 * i + 1] = missing;
      labels[i] = i % 2;
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] = random.nextDouble();
    }
    TrainingSet set = TrainingSet.of(COLUMNS, rows, labels).withDefaulted(defaulted);
    return TrainingProfile.of(set, scores);
  }

  static List<Prediction> served(int n, Shape shape, long seed, String model, String version) {
    var random = new Random(seed);
    var rows = new ArrayList<Prediction>(n);
    for (int i = 0; i < n; i++) {
      boolean missing = random.nextDouble() < shape.visitsMissing();
      double amount = random.nextGaussian() + shape.amountShift();
      double u = random.nextDouble();
      rows.add(
          prediction(
              "r-" + i,
              model,
              version,
              Instant.now(),
              List.of(
                  value("amount", amount, true),
                  value("visits", missing ? 0 : random.nextInt(10), !missing)),
              shape.skewScores() ? u * u * u : u));
    }
    return rows;
  }

  static FeatureValue value(String name, double value, boolean found) {
    return FeatureValue.newBuilder()
        .setName(name)
        .setValue(value)
        .setEventTs(found ? Instant.EPOCH : null)
        .setFound(found)
        .build();
  }

  static Prediction prediction(
      String id, String model, String version, Instant ts, List<FeatureValue> f, double score) {
    return Prediction.newBuilder()
        .setRequestId(id)
        .setTs(ts)
        .setEndpoint("churn")
        .setServedEntity("champion")
        .setModelName(model)
        .setModelVersion(version)
        .setEntityKeys(Map.of("customer_id", "C-" + id))
        .setFeatures(f)
        .setScore(score)
        .setLabel(score >= 0.5 ? 1 : 0)
        .setLatencyUs(100)
        .setAssignment(
            Assignment.newBuilder()
                .setExperimentId("churn:champion=" + model + "/" + version)
                .setBucket(1)
                .setConfigVersion(1)
                .build())
        .build();
  }
}
