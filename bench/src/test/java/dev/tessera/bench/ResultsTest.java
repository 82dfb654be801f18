package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTest {

  @Test
  void shouldCollectRepeatedMeasurementsInOrder(@TempDir Path dir) {
    Path file = dir.resolve("results.txt");
    Results.append(file, "ingest.shipped.events_per_s", 61_234.5);
    Results.append(file, "freshness.p99_ms", 33.0);
    Results.append(file, "ingest.shipped.events_per_s", 59_000);

    assertThat(Results.read(file))
        .containsEntry("ingest.shipped.events_per_s", java.util.List.of(61_234.5, 59_000.0))
        .containsEntry("freshness.p99_ms", java.util.List.of(33.0));
  }

  @Test
  void shouldRefuseNamesWithSpaces(@TempDir Path dir) {
    assertThatThrownBy(() -> Results.append(dir.resolve("r.txt"), "two words", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
