package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestoreTableTest {

  @Test
  void shouldShowMediansAndRangesInMegabytesAndSeconds() {
    Map<String, List<Double>> results = new LinkedHashMap<>();
    results.put("restore.seconds", List.of(20.0, 30.0, 25.0));
    results.put("restore.changelog_bytes", List.of(400e6, 420e6, 410e6));
    results.put("restore.s_per_gb", List.of(50.0, 71.4, 61.0));

    String table = new RestoreTable(results).markdown();

    assertThat(table)
        .contains("| changelog on the broker, MB | 410 | 400–420 |")
        .contains("| restore, start → every store restored and RUNNING, s | 25.0 | 20.0–30.0 |")
        .contains("| **seconds per GB of changelog** | 61.0 | 50.0–71.4 |")
        .doesNotContain("suspended");
    assertThat(RestoreTable.present(results)).isTrue();
  }

  @Test
  void shouldShoutAboutRestoresSuspendedByARebalance() {
    Map<String, List<Double>> results = Map.of("restore.suspensions", List.of(0.0, 2.0));

    assertThat(new RestoreTable(results).markdown())
        .contains("| **restores suspended by a rebalance** | 1.00 | 0.00–2.00 |");
    assertThat(RestoreTable.present(results)).isFalse();
  }
}
