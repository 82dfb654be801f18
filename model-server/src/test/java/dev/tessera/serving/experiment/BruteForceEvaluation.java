package dev.tessera.serving.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.Prediction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The join rule of docs/EXPERIMENTS.md applied naively to one partition's records in arrival order:
 * no stores, no retractions, a scan over all outcomes for every prediction.
 */
final class BruteForceEvaluation {
  /** The expected figures of one variant, with its exact latencies. */
  record Expected(VariantStats stats, List<Long> latencies, java.util.Set<String> customers) {
    Expected(VariantStats stats, List<Long> latencies) {
      this(stats, latencies, new java.util.HashSet<>());
    }
  }

  private BruteForceEvaluation() {}

  /** {@code records}: keyed predictions and outcomes of one partition, in arrival order. */
  static Map<String, Map<String, Expected>> evaluate(
      List<Map.Entry<String, Object>> records, EvaluationSettings settings) {
    long delay = settings.delay().toMillis();
    long horizon = settings.horizon().toMillis();
    long grace = settings.grace().toMillis();
    long streamTime = Long.MIN_VALUE;
    var onTimePredictions = new ArrayList<Map.Entry<String, Prediction>>();
    var onTimeOutcomes = new ArrayList<Map.Entry<String, Outcome>>();
    var result = new TreeMap<String, Map<String, Expected>>();
    for (Map.Entry<String, Object> r : records) {
      long ts =
          r.getValue() instanceof Prediction p
              ? p.getTs().toEpochMilli()
              : ((Outcome) r.getValue()).getOutcomeTs().toEpochMilli();
      streamTime = Math.max(streamTime, ts);
      boolean onTime = ts >= streamTime - grace;
      if (r.getValue() instanceof Prediction p) {
        Expected e =
            result
                .computeIfAbsent(p.getEndpoint(), x -> new TreeMap<>())
                .computeIfAbsent(
                    p.getServedEntity(), x -> new Expected(new VariantStats(), new ArrayList<>()));
        e.stats().addPrediction(p.getScore(), p.getLatencyUs());
        e.latencies().add(p.getLatencyUs());
        if (r.getKey() != null && e.customers().add(r.getKey())) {
          e.stats().addUnits(1);
        }
        if (onTime && !VariantStats.isError(p.getScore())) {
          onTimePredictions.add(Map.entry(r.getKey(), p));
        }
      } else if (onTime) {
        onTimeOutcomes.add(Map.entry(r.getKey(), (Outcome) r.getValue()));
      }
    }
    for (Map.Entry<String, Prediction> entry : onTimePredictions) {
      Prediction p = entry.getValue();
      long ts = p.getTs().toEpochMilli();
      Outcome first = null;
      for (Map.Entry<String, Outcome> o : onTimeOutcomes) {
        long ots = o.getValue().getOutcomeTs().toEpochMilli();
        if (o.getKey().equals(entry.getKey())
            && ots > ts + delay
            && ots <= ts + delay + horizon
            && (first == null || ots < first.getOutcomeTs().toEpochMilli())) {
          first = o.getValue();
        }
      }
      if (first != null) {
        result
            .get(p.getEndpoint())
            .get(p.getServedEntity())
            .stats()
            .addLabelled(p.getScore(), first.getLabel());
      }
    }
    return result;
  }

  /** Merges per-partition expectations. */
  static Map<String, Map<String, Expected>> merge(List<Map<String, Map<String, Expected>>> parts) {
    var result = new TreeMap<String, Map<String, Expected>>();
    for (var part : parts) {
      part.forEach(
          (endpoint, variants) ->
              variants.forEach(
                  (variant, e) -> {
                    Expected into =
                        result
                            .computeIfAbsent(endpoint, x -> new TreeMap<>())
                            .computeIfAbsent(
                                variant, x -> new Expected(new VariantStats(), new ArrayList<>()));
                    into.stats().merge(e.stats());
                    into.latencies().addAll(e.latencies());
                  }));
    }
    return result;
  }

  /**
   * Counters, histogram (hence AUC, its interval and accuracy) and log loss equal exactly; latency
   * quantiles within the KLL rank error of the exact ones.
   */
  static void assertSame(Map<String, VariantStats> actual, Map<String, Expected> expected) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach(
        (variant, e) -> {
          VariantStats a = actual.get(variant);
          VariantStats x = e.stats();
          assertThat(a.predictions()).as(variant + " rows").isEqualTo(x.predictions());
          assertThat(a.errors()).as(variant + " errors").isEqualTo(x.errors());
          assertThat(a.units()).as(variant + " customers").isEqualTo(x.units());
          assertThat(a.labelled()).as(variant + " labelled").isEqualTo(x.labelled());
          assertThat(a.positives()).as(variant + " positives").isEqualTo(x.positives());
          assertThat(a.logLossNanos()).as(variant + " log loss").isEqualTo(x.logLossNanos());
          assertThat(a.histogram()).as(variant + " histogram").isEqualTo(x.histogram());
          assertThat(a.auc()).as(variant + " AUC").isEqualTo(x.auc());
          assertThat(a.latency().getN()).isEqualTo(e.latencies().size());
          var sorted = new ArrayList<>(e.latencies());
          Collections.sort(sorted);
          for (double q : new double[] {0.5, 0.95, 0.99}) {
            double value = a.latencyQuantile(q);
            // The rank of the sketch's answer among the exact values, within KLL's rank error.
            long below = sorted.stream().filter(v -> v <= value).count();
            double rank = (double) below / sorted.size();
            assertThat(rank)
                .as(variant + " latency rank at " + q)
                .isBetween(q - 0.02, q + 0.02 + 1.0 / sorted.size());
          }
        });
  }
}
