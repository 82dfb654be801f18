package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTableTest {

  @Test
  void shouldSayPlainlyWhichTargetsAreMetAndWhichMissed() {
    Map<String, List<Double>> results = new LinkedHashMap<>();
    results.put("ingest.shuffled.shipped.events_per_s", List.of(12_000.0, 11_000.0, 13_000.0));
    results.put("ingest.shuffled.one-count.events_per_s", List.of(40_000.0, 44_000.0, 52_000.0));
    results.put("freshness.p99_ms", List.of(30.0, 45.0, 40.0));

    String table = new ResultsTable(results, 20).markdown();

    assertThat(table)
        .contains(
            "| ingestion of the same 30 days shuffled (a bulk backfill): shipped views, events/s"
                + " | 12,000 | 11,000–13,000 | ≥ 50,000 | **missed** (12,000 against ≥ 50,000) |")
        .contains(
            "shipped ÷ one-count (runs paired) | 0.25 | 0.25–0.30 | ≥ 0.5 | **missed** (0.25 against ≥ 0.5)")
        .contains("| freshness produce → lookup, p99, ms | 40.0 | 30.0–45.0 | ≤ 50 | met |")
        .contains("No run sent any input to the dead-letter topic.");
  }

  @Test
  void shouldReportARunThatDidNotCatchUpWithinItsBudget() {
    Map<String, List<Double>> results = new LinkedHashMap<>();
    results.put("ingest.ordered.shipped.events_per_s", List.of(400.0));
    results.put("ingest.ordered.shipped.committed_share", List.of(0.04));

    assertThat(new ResultsTable(results, 20).markdown())
        .contains("over a 20 s budget")
        .contains("| 4.00 | 4.00–4.00 | 100 | **1 of 1 runs did not catch up** |");
  }

  @Test
  void shouldRoundFiguresToWhatTheirSizeDeserves() {
    assertThat(ResultsTable.number(61_234.4)).isEqualTo("61,234");
    assertThat(ResultsTable.number(412.3)).isEqualTo("412");
    assertThat(ResultsTable.number(33.14)).isEqualTo("33.1");
    assertThat(ResultsTable.number(2.345)).isEqualTo("2.35");
    assertThat(ResultsTable.number(999.7)).isEqualTo("1,000");
    assertThat(ResultsTable.number(99.97)).isEqualTo("100");
    assertThat(ResultsTable.number(9.997)).isEqualTo("10.0");
  }
}
