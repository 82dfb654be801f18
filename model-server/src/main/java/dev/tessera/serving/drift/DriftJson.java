package dev.tessera.serving.drift;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON of a {@link ModelDrift}, as the HTTP API and the experiment report show it; undefined
 * figures (NaN) are null.
 *
 * <pre>
 * {"model_name":"churn","model_version":"2","status":"alert","rows":812,
 *  "checked_at":"...","window_from":"...","window_to":"...",
 *  "score":{"psi":0.04,"status":"ok"},"worst_feature":"orders_30d",
 *  "features":[{"feature":"orders_30d","psi":0.61,"missing_rate":0.02,
 *               "reference_missing_rate":0.03,"status":"alert"}, ...]}
 * </pre>
 */
public final class DriftJson {
  private DriftJson() {}

  public static ObjectNode of(ModelDrift d) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("model_name", d.model());
    out.put("model_version", d.version());
    out.put("status", d.status().label());
    out.put("rows", d.rows());
    out.put("checked_at", d.checkedAt().toString());
    out.put("window_from", d.windowFrom().toString());
    out.put("window_to", d.windowTo().toString());
    ObjectNode score = out.putObject("score");
    number(score, "psi", d.scorePsi());
    score.put("status", d.scoreStatus().label());
    out.put("worst_feature", d.worstFeature().map(FeatureDrift::feature).orElse(null));
    var features = out.putArray("features");
    for (FeatureDrift f : d.features()) {
      ObjectNode n = features.addObject();
      n.put("feature", f.feature());
      number(n, "psi", f.psi());
      number(n, "missing_rate", f.missingRate());
      number(n, "reference_missing_rate", f.referenceMissingRate());
      n.put("status", f.status().label());
    }
    return out;
  }

  private static void number(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }
}
