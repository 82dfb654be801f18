package dev.tessera.features.definition;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A feature computed at request time by a named Java function from stored features of the same
 * view, the customer row and request fields. The offline engine calls the same function.
 *
 * <pre>{@code
 * new OnDemandFeature("amount_zscore", "zscore",
 *     Map.of("value", "request.amount", "mean", "amount_mean", "stddev", "amount_stddev"), 0.0);
 * }</pre>
 *
 * @param name feature name
 * @param function name of a function in {@code dev.tessera.features.ondemand.OnDemandFunctions}
 * @param args the function's arguments: {@code request.<field>}, {@code customer.<field>}, or a
 *     stored feature of the view (optionally {@code <feature>.event_time})
 * @param defaultValue value when an input is missing
 */
public record OnDemandFeature(
    String name, String function, Map<String, String> args, double defaultValue)
    implements FeatureDefinition {

  public OnDemandFeature {
    Names.requireValid(name, "feature");
    Objects.requireNonNull(function, "function of " + name);
    args = Map.copyOf(args);
  }

  /** With the arguments sorted by name, so that equal definitions print (and hash) alike. */
  @Override
  public String toString() {
    return "OnDemandFeature[name=%s, function=%s, args=%s, defaultValue=%s]"
        .formatted(name, function, new TreeMap<>(args), defaultValue);
  }
}
