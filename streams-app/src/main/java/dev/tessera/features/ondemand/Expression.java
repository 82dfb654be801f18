package dev.tessera.features.ondemand;

import java.util.List;

/**
 * An on-demand feature's expression, parsed once into a tree that the online lookup and the offline
 * engine evaluate alike, with no parsing per request.
 *
 * <p>The language: numbers; references ({@code request.<field>}, {@code customer.<field>}, a
 * feature of the view, {@code <feature>.event_time}, {@code <view>.<feature>}); {@code + - * / %};
 * comparisons {@code < <= > >= == !=} (1 for true, 0 for false); {@code and}, {@code or}, {@code
 * not}; parentheses; and the functions {@code if(condition, then, else)}, {@code min}, {@code max}
 * (two or more values), {@code abs}, {@code log}, {@code exp}, {@code sqrt}, {@code floor}, {@code
 * ceil}, {@code pow(x, y)}, {@code days_since(time)} (days from an epoch-millisecond time to the
 * lookup time), {@code zscore(value, mean, stddev)}, {@code haversine_km(lat, lon, lat2, lon2)},
 * {@code coalesce(a, b, ...)} (the first value that is not missing) and {@code is_missing(x)}.
 *
 * <p><b>Missing values.</b> A reference with no value (a request field not sent, a feature with no
 * event time) makes the whole expression missing, and the feature takes its declared default,
 * unless the reference is only read inside {@code coalesce} or {@code is_missing}. A result that is
 * not a finite number ({@code log(0)}, a division by zero, {@code zscore} with no spread) is
 * missing too.
 *
 * <pre>{@code
 * Expression e = Expression.parse("zscore(request.amount, amount_mean, amount_stddev)");
 * e.references(); // [request.amount, amount_mean, amount_stddev]
 * double z = e.apply(now, new double[] {250, 21, 12.7});
 * }</pre>
 */
public final class Expression implements OnDemandFunction {
  private final String source;
  private final List<String> references;
  private final int[] strictSlots;
  private final ExpressionNode root;

  Expression(String source, List<String> references, int[] strictSlots, ExpressionNode root) {
    this.source = source;
    this.references = List.copyOf(references);
    this.strictSlots = strictSlots;
    this.root = root;
  }

  /**
   * Parses and compiles {@code source}.
   *
   * @throws ExpressionException naming the line and column of the first problem
   */
  public static Expression parse(String source) {
    return new ExpressionParser(source).parse();
  }

  /** The expression as written, trimmed. */
  public String source() {
    return source;
  }

  /** The distinct references, in the order they first appear: the inputs of {@link #apply}. */
  public List<String> references() {
    return references;
  }

  @Override
  public List<String> parameters() {
    return references;
  }

  /**
   * The value, or NaN when it is missing (see the class comment).
   *
   * @param inputs the value of each of {@link #references()}, in that order; NaN where missing
   */
  @Override
  public double apply(long asOfMillis, double[] inputs) {
    for (int slot : strictSlots) {
      if (Double.isNaN(inputs[slot])) {
        return Double.NaN;
      }
    }
    double value = root.eval(asOfMillis, inputs);
    return Double.isFinite(value) ? value : Double.NaN;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Expression e && e.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}
