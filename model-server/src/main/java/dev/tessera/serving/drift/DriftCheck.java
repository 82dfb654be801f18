package dev.tessera.serving.drift;

import dev.tessera.schemas.FeatureValue;
import dev.tessera.schemas.Prediction;
import dev.tessera.serving.training.TrainingProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges one model version's served rows against its training profile: per input column the PSI of
 * the served values (defaults included, as the model saw them) and the missing rate (rows with
 * {@code found} false), and the PSI of the scores. Pure: no Kafka, no clock.
 *
 * <pre>{@code
 * ModelDrift d = DriftCheck.of("churn", "2", profile, rows, settings, from, to, now);
 * }</pre>
 */
public final class DriftCheck {
  private DriftCheck() {}

  /**
   * @param profile the version's training profile, or null ({@link DriftStatus#NO_REFERENCE})
   * @param rows the version's served rows in the window
   */
  public static ModelDrift of(
      String model,
      String version,
      TrainingProfile profile,
      List<Prediction> rows,
      DriftSettings settings,
      Instant windowFrom,
      Instant windowTo,
      Instant checkedAt) {
    if (profile == null) {
      return new ModelDrift(
          model,
          version,
          DriftStatus.NO_REFERENCE,
          checkedAt,
          windowFrom,
          windowTo,
          rows.size(),
          Double.NaN,
          DriftStatus.NO_REFERENCE,
          List.of());
    }
    boolean judged = rows.size() >= settings.minRows();
    DriftStatus overall = DriftStatus.OK;
    var features = new ArrayList<FeatureDrift>();
    Map<String, double[]> served = servedValues(rows);
    Map<String, Double> missing = missingRates(rows);
    for (TrainingProfile.Reference ref : profile.features()) {
      double[] values = served.get(ref.name());
      if (values == null) {
        continue; // a column the rows do not carry (a log of an older service)
      }
      double psi = psi(ref, values);
      double missingRate = missing.get(ref.name());
      DriftStatus status = settings.ofPsi(psi);
      if (missingRate - ref.missingRate() > settings.missingRateMaxIncrease()) {
        status = DriftStatus.ALERT;
      }
      overall = overall.worse(status);
      features.add(
          new FeatureDrift(
              ref.name(),
              psi,
              missingRate,
              ref.missingRate(),
              judged ? status : DriftStatus.INSUFFICIENT_DATA));
    }
    double scorePsi = Double.NaN;
    DriftStatus scoreStatus = DriftStatus.OK;
    if (profile.score() != null) {
      double[] scores = rows.stream().mapToDouble(Prediction::getScore).toArray();
      scorePsi = psi(profile.score(), scores);
      scoreStatus = settings.ofPsi(scorePsi);
      overall = overall.worse(scoreStatus);
    }
    return new ModelDrift(
        model,
        version,
        judged ? overall : DriftStatus.INSUFFICIENT_DATA,
        checkedAt,
        windowFrom,
        windowTo,
        rows.size(),
        scorePsi,
        judged ? scoreStatus : DriftStatus.INSUFFICIENT_DATA,
        features);
  }

  /** NaN when either side has nothing to bin. */
  private static double psi(TrainingProfile.Reference ref, double[] values) {
    if (!ref.hasBins()) {
      return Double.NaN;
    }
    long[] counts = ref.bins().counts(values);
    for (long c : counts) {
      if (c > 0) {
        return PopulationStability.psi(ref.countArray(), counts);
      }
    }
    return Double.NaN;
  }

  /**
   * Each column's served values, rounded to float32 as the model was fed them and as the training
   * set holds them, so a value sits in the bin its training twin sat in.
   */
  private static Map<String, double[]> servedValues(List<Prediction> rows) {
    var values = new HashMap<String, double[]>();
    for (int r = 0; r < rows.size(); r++) {
      for (FeatureValue f : rows.get(r).getFeatures()) {
        double[] column = values.computeIfAbsent(f.getName(), n -> nans(rows.size()));
        column[r] = (float) f.getValue();
      }
    }
    return values;
  }

  private static Map<String, Double> missingRates(List<Prediction> rows) {
    var missing = new HashMap<String, Integer>();
    for (Prediction p : rows) {
      for (FeatureValue f : p.getFeatures()) {
        missing.merge(f.getName(), f.getFound() ? 0 : 1, Integer::sum);
      }
    }
    var rates = new HashMap<String, Double>();
    missing.forEach((name, n) -> rates.put(name, (double) n / rows.size()));
    return rates;
  }

  private static double[] nans(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }
}
