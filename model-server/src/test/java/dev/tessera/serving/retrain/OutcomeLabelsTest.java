package dev.tessera.serving.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.offline.LabelRow;
import dev.tessera.schemas.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeLabelsTest {
  private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");

  private static Outcome outcome(String customer, Instant at, int label, String source) {
    return Outcome.newBuilder()
        .setCustomerId(customer)
        .setOutcomeTs(at)
        .setLabel(label)
        .setSource(source)
        .build();
  }

  @Test
  void shouldLabelTheFeaturesAsOfTheOutcomeMinusTheOffsetWithinTheWindowAndSource() {
    var window =
        new OutcomeLabels.Window(
            NOW.minus(Duration.ofDays(90)), NOW, Duration.ofDays(30), "billing");
    List<LabelRow> rows =
        OutcomeLabels.select(
            List.of(
                outcome("C-1", NOW.minus(Duration.ofDays(10)), 1, "billing"),
                outcome("C-2", NOW.minus(Duration.ofDays(100)), 0, "billing"), // too old
                outcome("C-3", NOW.minus(Duration.ofDays(5)), 0, "demo-traffic"), // other source
                outcome("C-4", NOW, 0, "billing"), // not before the end
                outcome("C-5", NOW.minus(Duration.ofDays(1)), 0, "billing")),
            window);
    assertThat(rows)
        .containsExactly(
            new LabelRow("C-1", NOW.minus(Duration.ofDays(40)).toEpochMilli(), 1, Map.of()),
            new LabelRow("C-5", NOW.minus(Duration.ofDays(31)).toEpochMilli(), 0, Map.of()));
  }

  @Test
  void shouldTakeEverySourceWhenNoneIsNamed() {
    var window = new OutcomeLabels.Window(NOW.minusSeconds(60), NOW, Duration.ZERO, "");
    assertThat(
            OutcomeLabels.select(
                List.of(
                    outcome("C-1", NOW.minusSeconds(5), 1, "a"),
                    outcome("C-2", NOW.minusSeconds(5), 0, "b")),
                window))
        .hasSize(2);
  }
}
