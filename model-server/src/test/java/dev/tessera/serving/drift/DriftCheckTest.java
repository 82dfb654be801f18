package dev.tessera.serving.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.schemas.Prediction;
import dev.tessera.serving.drift.DriftRows.Shape;
import dev.tessera.serving.training.TrainingProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DriftCheckTest {
  private static final TrainingProfile PROFILE = DriftRows.profile(1);
  private static final DriftSettings SETTINGS = DriftSettings.defaults();
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static ModelDrift check(List<Prediction> rows, TrainingProfile profile) {
    return DriftCheck.of(
        "churn", "2", profile, rows, SETTINGS, NOW.minus(SETTINGS.window()), NOW, NOW);
  }

  private static Map<String, FeatureDrift> byFeature(ModelDrift d) {
    return d.features().stream()
        .collect(Collectors.toMap(FeatureDrift::feature, Function.identity()));
  }

  @Test
  void shouldFlagNothingOnTrafficLikeTheTrainingData() {
    ModelDrift d = check(DriftRows.served(2_000, Shape.STABLE, 2, "churn", "2"), PROFILE);

    assertThat(d.status()).isEqualTo(DriftStatus.OK);
    assertThat(d.rows()).isEqualTo(2_000);
    assertThat(d.features()).extracting(FeatureDrift::feature).containsExactly("amount", "visits");
    assertThat(d.features()).allMatch(f -> f.status() == DriftStatus.OK && f.psi() < 0.05);
    assertThat(byFeature(d).get("visits").referenceMissingRate()).isCloseTo(0.05, within(0.01));
    assertThat(byFeature(d).get("visits").missingRate()).isCloseTo(0.05, within(0.02));
    assertThat(d.scoreStatus()).isEqualTo(DriftStatus.OK);
    assertThat(d.scorePsi()).isLessThan(0.05);
  }

  @Test
  void shouldAlertOnAShiftedFeatureAndOnlyOnIt() {
    ModelDrift d =
        check(DriftRows.served(2_000, new Shape(1.0, 0.05, false), 3, "churn", "2"), PROFILE);

    assertThat(d.status()).isEqualTo(DriftStatus.ALERT);
    assertThat(byFeature(d).get("amount").status()).isEqualTo(DriftStatus.ALERT);
    assertThat(byFeature(d).get("amount").psi()).isGreaterThan(0.25);
    assertThat(byFeature(d).get("visits").status()).isEqualTo(DriftStatus.OK);
    assertThat(d.scoreStatus()).isEqualTo(DriftStatus.OK);
    assertThat(d.worstFeature()).map(FeatureDrift::feature).contains("amount");
  }

  @Test
  void shouldWarnOnAModerateShift() {
    ModelDrift d =
        check(DriftRows.served(5_000, new Shape(0.45, 0.05, false), 4, "churn", "2"), PROFILE);

    assertThat(byFeature(d).get("amount").status()).isEqualTo(DriftStatus.WARN);
    assertThat(d.status()).isEqualTo(DriftStatus.WARN);
  }

  @Test
  void shouldAlertWhenAFeatureIsMissingFarMoreOftenThanInTraining() {
    ModelDrift d =
        check(DriftRows.served(2_000, new Shape(0, 0.30, false), 5, "churn", "2"), PROFILE);

    FeatureDrift visits = byFeature(d).get("visits");
    assertThat(visits.missingRate()).isCloseTo(0.30, within(0.03));
    assertThat(visits.status()).isEqualTo(DriftStatus.ALERT);
    assertThat(byFeature(d).get("amount").status()).isEqualTo(DriftStatus.OK);
    assertThat(d.status()).isEqualTo(DriftStatus.ALERT);
  }

  @Test
  void shouldAlertOnShiftedScores() {
    ModelDrift d =
        check(DriftRows.served(2_000, new Shape(0, 0.05, true), 6, "churn", "2"), PROFILE);

    assertThat(d.scoreStatus()).isEqualTo(DriftStatus.ALERT);
    assertThat(d.scorePsi()).isGreaterThan(0.25);
    assertThat(d.features()).allMatch(f -> f.status() == DriftStatus.OK);
    assertThat(d.status()).isEqualTo(DriftStatus.ALERT);
  }

  @Test
  void shouldNotJudgeTooFewRows() {
    ModelDrift d =
        check(DriftRows.served(50, new Shape(3.0, 0.05, false), 7, "churn", "2"), PROFILE);

    assertThat(d.status()).isEqualTo(DriftStatus.INSUFFICIENT_DATA);
    assertThat(d.scoreStatus()).isEqualTo(DriftStatus.INSUFFICIENT_DATA);
    assertThat(d.features()).allMatch(f -> f.status() == DriftStatus.INSUFFICIENT_DATA);
    // The figures are there to look at, only not judged.
    assertThat(byFeature(d).get("amount").psi()).isGreaterThan(0.25);
  }

  @Test
  void shouldSayAVersionWithoutAProfileHasNoReference() {
    ModelDrift d = check(DriftRows.served(500, Shape.STABLE, 8, "churn_model", "1"), null);

    assertThat(d.status()).isEqualTo(DriftStatus.NO_REFERENCE);
    assertThat(d.features()).isEmpty();
    assertThat(d.rows()).isEqualTo(500);
    assertThat(DriftJson.of(d).get("status").asText()).isEqualTo("no_reference");
  }

  @Test
  void shouldWriteTheDocumentedJson() {
    ModelDrift d =
        check(DriftRows.served(2_000, new Shape(1.0, 0.05, false), 3, "churn", "2"), PROFILE);

    var json = DriftJson.of(d);

    assertThat(json.get("status").asText()).isEqualTo("alert");
    assertThat(json.get("worst_feature").asText()).isEqualTo("amount");
    assertThat(json.at("/features/0/feature").asText()).isEqualTo("amount");
    assertThat(json.at("/features/0/status").asText()).isEqualTo("alert");
    assertThat(json.at("/features/1/reference_missing_rate").isDouble()).isTrue();
    assertThat(json.at("/score/status").asText()).isEqualTo("ok");
    assertThat(json.get("window_to").asText()).isEqualTo("2026-11-22T10:00:00Z");
  }
}
