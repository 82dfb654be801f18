package dev.tessera.features.ondemand;

import java.util.List;

/**
 * A function computing an on-demand feature at request time. The online lookup and the offline
 * engine call the same instance, so training and serving agree.
 */
public interface OnDemandFunction {

  /** The argument names, in the order {@link #apply} receives them. */
  List<String> parameters();

  /**
   * The feature value, or NaN when an input is missing (NaN) or the value is undefined; the caller
   * then serves the feature's default.
   *
   * @param asOfMillis lookup time
   * @param args the arguments, in {@link #parameters()} order; NaN where missing
   */
  double apply(long asOfMillis, double[] args);
}
