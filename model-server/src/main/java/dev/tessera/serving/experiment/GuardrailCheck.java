package dev.tessera.serving.experiment;

import dev.tessera.serving.endpoint.Guardrails;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a challenger broke one of its endpoint's {@link Guardrails}, judged only with enough
 * data: error rate and p99 latency once both sides have {@code minPredictions} rows; AUC once both
 * have {@code minLabelled} labelled rows with at least {@value #MIN_PER_CLASS} of each class, and
 * only for a drop beyond the limit that is also significant (the 95% interval of the difference
 * lies below 0).
 *
 * <pre>{@code
 * Optional<GuardrailCheck.Breach> breach = GuardrailCheck.check(champion, challenger, guardrails);
 * breach.ifPresent(b -> ops.pullBack("churn", version, "node", b.reason(), b.figures()));
 * }</pre>
 */
public final class GuardrailCheck {
  static final int MIN_PER_CLASS = 10;

  /** A broken guardrail: a sentence and the figures behind it. */
  public record Breach(String reason, Map<String, String> figures) {}

  private GuardrailCheck() {}

  public static Optional<Breach> check(
      VariantStats champion, VariantStats challenger, Guardrails limits) {
    if (champion == null || challenger == null) {
      return Optional.empty();
    }
    var figures = new LinkedHashMap<String, String>();
    figures.put("champion_predictions", Long.toString(champion.predictions()));
    figures.put("challenger_predictions", Long.toString(challenger.predictions()));
    if (champion.predictions() >= limits.minPredictions()
        && challenger.predictions() >= limits.minPredictions()) {
      double allowed = champion.errorRate() + limits.maxErrorRateIncrease();
      if (challenger.errorRate() > allowed) {
        figures.put("champion_error_rate", format(champion.errorRate()));
        figures.put("challenger_error_rate", format(challenger.errorRate()));
        return Optional.of(
            new Breach(
                String.format(
                    Locale.ROOT,
                    "challenger error rate %.4f > champion %.4f + %.4f",
                    challenger.errorRate(),
                    champion.errorRate(),
                    limits.maxErrorRateIncrease()),
                figures));
      }
      double championP99 = champion.latencyQuantile(0.99);
      double challengerP99 = challenger.latencyQuantile(0.99);
      if (championP99 > 0 && challengerP99 > limits.maxLatencyP99Ratio() * championP99) {
        figures.put("champion_latency_p99_us", format(championP99));
        figures.put("challenger_latency_p99_us", format(challengerP99));
        return Optional.of(
            new Breach(
                String.format(
                    Locale.ROOT,
                    "challenger p99 latency %.0f us > %.2f x champion %.0f us",
                    challengerP99,
                    limits.maxLatencyP99Ratio(),
                    championP99),
                figures));
      }
    }
    if (judgeable(champion, limits) && judgeable(challenger, limits)) {
      AucEstimate a = champion.auc();
      AucEstimate b = challenger.auc();
      double championAuc = a.auc();
      double challengerAuc = b.auc();
      // The variants score different customers: independent estimates, so the variances add.
      double upper =
          challengerAuc
              - championAuc
              + AucEstimate.Z95
                  * Math.sqrt(
                      a.standardError() * a.standardError()
                          + b.standardError() * b.standardError());
      // A drop beyond the limit that chance could explain (a handful of customers) is no reason.
      if (challengerAuc < championAuc - limits.maxAucDrop() && upper < 0) {
        figures.put("champion_auc", format(championAuc));
        figures.put("challenger_auc", format(challengerAuc));
        return Optional.of(
            new Breach(
                String.format(
                    Locale.ROOT,
                    "challenger AUC %.4f < champion %.4f - %.4f",
                    challengerAuc,
                    championAuc,
                    limits.maxAucDrop()),
                figures));
      }
    }
    return Optional.empty();
  }

  private static boolean judgeable(VariantStats s, Guardrails limits) {
    return s.labelled() >= limits.minLabelled()
        && s.positives() >= MIN_PER_CLASS
        && s.negatives() >= MIN_PER_CLASS;
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.6g", value);
  }
}
