package dev.tessera.serving.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.serving.endpoint.Guardrails;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GuardrailCheckTest {
  private static final Guardrails LIMITS = new Guardrails(0.01, 2.0, 0.05, 100, 100, true);

  /**
   * {@code rows} rows at {@code latencyUs}, a share of them errors, labelled by a model of quality
   * {@code separation}.
   */
  private static VariantStats variant(
      int rows, double errorShare, long latencyUs, double separation) {
    var random = new SplittableRandom(rows + (long) (separation * 1000));
    var s = new VariantStats();
    for (int i = 0; i < rows; i++) {
      boolean error = i < rows * errorShare;
      int label = i % 3 == 0 ? 1 : 0;
      double score =
          error
              ? Double.NaN
              : Math.min(
                  1,
                  Math.max(
                      0,
                      0.5
                          + (label == 1 ? separation : -separation) * random.nextDouble()
                          + 0.2 * (random.nextDouble() - 0.5)));
      s.addPrediction(score, latencyUs);
      if (!error) {
        s.addLabelled(score, label);
      }
    }
    return s;
  }

  @Test
  void shouldBreakOnAChallengerErrorRateAboveTheChampionsPlusTheLimit() {
    var breach =
        GuardrailCheck.check(variant(300, 0, 100, 0.4), variant(300, 0.05, 100, 0.4), LIMITS);
    assertThat(breach).isPresent();
    assertThat(breach.get().reason()).contains("error rate 0.0500 > champion 0.0000 + 0.0100");
    assertThat(breach.get().figures()).containsEntry("challenger_error_rate", "0.0500000");
  }

  @Test
  void shouldBreakOnAChallengerMoreThanTwiceAsSlowAtP99() {
    var breach = GuardrailCheck.check(variant(300, 0, 100, 0.4), variant(300, 0, 250, 0.4), LIMITS);
    assertThat(breach).isPresent();
    assertThat(breach.get().reason()).contains("p99 latency 250 us > 2.00 x champion 100 us");
  }

  @Test
  void shouldBreakOnAnAucDropBeyondTheLimit() {
    var breach =
        GuardrailCheck.check(variant(600, 0, 100, 0.5), variant(600, 0, 100, 0.02), LIMITS);
    assertThat(breach).isPresent();
    assertThat(breach.get().reason()).contains("AUC");
  }

  @Test
  void shouldNotBreakOnAnAucDropChanceCouldExplain() {
    // Beyond the limit by the point estimates, but over so few labelled rows that the interval of
    // the difference still reaches above 0.
    var limits = new Guardrails(0.01, 2.0, 0.05, 10, 30, true);
    var champion = variant(600, 0, 100, 0.5);
    var challenger = variant(33, 0, 100, 0.1);
    assertThat(champion.auc().auc() - challenger.auc().auc()).isGreaterThan(0.05);
    assertThat(GuardrailCheck.check(champion, challenger, limits)).isEmpty();
  }

  @Test
  void shouldJudgeNothingWithoutEnoughRows() {
    assertThat(GuardrailCheck.check(variant(300, 0, 100, 0.4), variant(50, 1.0, 900, 0.0), LIMITS))
        .isEmpty();
    assertThat(GuardrailCheck.check(null, variant(500, 1.0, 100, 0.4), LIMITS)).isEmpty();
  }

  @Test
  void shouldPassAChallengerWithinEveryLimit() {
    assertThat(
            GuardrailCheck.check(variant(600, 0, 100, 0.4), variant(600, 0.005, 150, 0.42), LIMITS))
        .isEmpty();
  }
}
