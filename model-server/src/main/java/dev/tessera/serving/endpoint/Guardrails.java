package dev.tessera.serving.endpoint;

/**
 * Limits a challenger must stay within, per endpoint. When one is broken with enough data and
 * {@code autoRollback} is on, the node moves the challenger's traffic back to the champion and
 * audits why.
 *
 * <pre>{@code
 * var strict = Guardrails.defaults().withMaxLatencyP99Ratio(1.2);
 * }</pre>
 *
 * @param maxErrorRateIncrease challenger error rate may exceed the champion's by at most this
 *     (absolute; default 0.01)
 * @param maxLatencyP99Ratio challenger p99 latency may be at most this multiple of the champion's
 *     (default 2.0)
 * @param maxAucDrop challenger AUC may be at most this much below the champion's (default 0.05)
 * @param minPredictions rows each side needs before error rate and latency are judged (default 500)
 * @param minLabelled labelled rows, with at least 10 of each class, each side needs before AUC is
 *     judged (default 500)
 * @param autoRollback act on a broken guardrail (default true); off, it is only reported
 */
public record Guardrails(
    double maxErrorRateIncrease,
    double maxLatencyP99Ratio,
    double maxAucDrop,
    long minPredictions,
    long minLabelled,
    boolean autoRollback) {

  public Guardrails {
    if (!(maxErrorRateIncrease >= 0 && maxErrorRateIncrease <= 1)) {
      throw new IllegalArgumentException(
          "guardrails.max_error_rate_increase must be within 0..1, got " + maxErrorRateIncrease);
    }
    if (!(maxLatencyP99Ratio >= 1)) {
      throw new IllegalArgumentException(
          "guardrails.max_latency_p99_ratio must be 1 or more, got " + maxLatencyP99Ratio);
    }
    if (!(maxAucDrop >= 0 && maxAucDrop <= 1)) {
      throw new IllegalArgumentException(
          "guardrails.max_auc_drop must be within 0..1, got " + maxAucDrop);
    }
    if (minPredictions < 1 || minLabelled < 1) {
      throw new IllegalArgumentException(
          "guardrails.min_predictions and min_labelled must be 1 or more");
    }
  }

  public static Guardrails defaults() {
    return new Guardrails(0.01, 2.0, 0.05, 500, 500, true);
  }

  public Guardrails withMaxLatencyP99Ratio(double value) {
    return new Guardrails(
        maxErrorRateIncrease, value, maxAucDrop, minPredictions, minLabelled, autoRollback);
  }

  public Guardrails withMinPredictions(long value) {
    return new Guardrails(
        maxErrorRateIncrease, maxLatencyP99Ratio, maxAucDrop, value, minLabelled, autoRollback);
  }
}
