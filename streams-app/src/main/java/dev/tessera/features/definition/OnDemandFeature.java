package dev.tessera.features.definition;

import dev.tessera.features.ondemand.Expression;
import java.util.Objects;

/**
 * A feature computed at request time by an {@link Expression} of stored features of the same view
 * (and their event times), features of other views of the same entity, the customer row and request
 * fields. The offline engine evaluates the same compiled expression.
 *
 * <pre>{@code
 * new OnDemandFeature("amount_zscore",
 *     Expression.parse("zscore(request.amount, amount_mean, amount_stddev)"), 0.0);
 * }</pre>
 *
 * @param name feature name
 * @param expression what it computes; its references are {@code request.<field>}, {@code
 *     customer.<field>}, a stored feature of the view (optionally {@code <feature>.event_time}) or
 *     {@code <view>.<feature>}
 * @param defaultValue value when the expression is missing (an input missing, a result not finite)
 */
public record OnDemandFeature(String name, Expression expression, double defaultValue)
    implements FeatureDefinition {

  public OnDemandFeature {
    Names.requireValid(name, "feature");
    Objects.requireNonNull(expression, "expression of " + name);
  }

  /** As above, parsing {@code expression}. */
  public OnDemandFeature(String name, String expression, double defaultValue) {
    this(name, Expression.parse(expression), defaultValue);
  }
}
