package dev.tessera.serving.experiment;

/**
 * Thresholds of the recommendation in {@link ExperimentReport}.
 *
 * @param minLabelled labelled rows a variant needs before its AUC is judged (default 1,000)
 * @param minPerClass positives and negatives each a variant needs (default 50)
 * @param minPredictions rows a variant needs before its guardrails are judged (default 500)
 * @param maxCiHalfWidth an AUC interval wider than ± this that still contains the champion's AUC
 *     means "need more data" rather than "keep" (default 0.02)
 * @param maxErrorRateIncrease guardrail: challenger error rate may exceed the champion's by this
 *     much (absolute, default 0.01)
 * @param maxLatencyP99Ratio guardrail: challenger p99 latency may be this multiple of the
 *     champion's (default 1.5)
 * @param threshold score at or above which a row counts as predicted positive (default 0.5)
 */
public record ReportRules(
    long minLabelled,
    long minPerClass,
    long minPredictions,
    double maxCiHalfWidth,
    double maxErrorRateIncrease,
    double maxLatencyP99Ratio,
    double threshold) {

  public static ReportRules defaults() {
    return new ReportRules(1_000, 50, 500, 0.02, 0.01, 1.5, 0.5);
  }
}
