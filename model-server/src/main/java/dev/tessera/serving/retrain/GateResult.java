package dev.tessera.serving.retrain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The verdict of one quality gate on a retrained candidate, with the figures it compared.
 *
 * @param gate the gate's name, e.g. {@code auc_not_worse}
 * @param passed whether the candidate passed it
 * @param reason a sentence for people, naming the figures and the threshold
 * @param figures the numbers compared, in the order they read best
 */
public record GateResult(String gate, boolean passed, String reason, Map<String, Double> figures) {
  public GateResult {
    figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
  }
}
