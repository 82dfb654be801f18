package dev.tessera.serving.drift;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The latest drift figures of one model version: what it served in a recent window of the inference
 * log against its training profile.
 *
 * <pre>{@code
 * Optional<ModelDrift> d = monitor.latest("churn", "2");
 * d.map(ModelDrift::status);                       // ok, warn, alert, insufficient_data, ...
 * d.flatMap(ModelDrift::worstFeature).map(FeatureDrift::feature);
 * }</pre>
 *
 * @param model registered model name
 * @param version model version
 * @param status the worst of the features' and the score's status, or {@link
 *     DriftStatus#INSUFFICIENT_DATA} / {@link DriftStatus#NO_REFERENCE}
 * @param checkedAt when the figures were computed
 * @param windowFrom start of the window read
 * @param windowTo end of the window read
 * @param rows served rows of this version in the window (up to {@code drift.max.rows} overall)
 * @param scorePsi PSI of the served scores against the holdout scores; NaN when not computed
 * @param scoreStatus the score's status
 * @param features one entry per input column of the profile, in input order; empty without one
 */
public record ModelDrift(
    String model,
    String version,
    DriftStatus status,
    Instant checkedAt,
    Instant windowFrom,
    Instant windowTo,
    long rows,
    double scorePsi,
    DriftStatus scoreStatus,
    List<FeatureDrift> features) {

  public ModelDrift {
    features = List.copyOf(features);
  }

  /**
   * The feature that stands worst: the highest status, then the highest PSI; empty without
   * features.
   */
  public Optional<FeatureDrift> worstFeature() {
    return features.stream()
        .max(
            Comparator.comparing((FeatureDrift f) -> f.status().ordinal())
                .thenComparingDouble(f -> Double.isNaN(f.psi()) ? -1 : f.psi()));
  }
}
