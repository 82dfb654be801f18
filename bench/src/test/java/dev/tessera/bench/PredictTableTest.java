package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PredictTableTest {

  @Test
  void shouldPutTesseraAndTheNoopSideBySideWithTheRatioOfPairedRuns() {
    Map<String, List<Double>> results = new LinkedHashMap<>();
    results.put("predict.tessera.1000.p50_ms", List.of(0.6, 0.5, 0.9));
    results.put("predict.noop.1000.p50_ms", List.of(0.2, 0.25, 0.3));
    results.put("predict.tessera.1000.p99_ms", List.of(1.5, 1.8, 1.6));
    results.put("predict.noop.1000.p99_ms", List.of(1.0, 1.0, 1.0));
    results.put("predict.tessera.500.p50_ms", List.of(0.4));
    results.put("predict.noop.500.p50_ms", List.of(0.2));

    String table = new PredictTable(results).markdown();

    assertThat(table)
        .contains("| 500 req/s: p50, ms | 0.40 | 0.20 | 2.00 |  |  |")
        // ratios 3.0, 2.0, 3.0: median 3.0; p50 median 0.6 meets 0.7
        .contains(
            "| 1,000 req/s: p50, ms | 0.60 (0.50–0.90) | 0.25 (0.20–0.30) | 3.00 (2.00–3.00)"
                + " | ≤ 0.70 and ≤ 2× no-op | met; **missed** (3.00 against ≤ 2×) |")
        .contains(
            "| 1,000 req/s: p99, ms | 1.60 (1.50–1.80) | 1.00 (1.00–1.00) | 1.60 (1.50–1.80)"
                + " | ≤ 2.00 and ≤ 2× no-op | met; met |");
    assertThat(table.indexOf("500 req/s")).isLessThan(table.indexOf("1,000 req/s"));
  }

  @Test
  void shouldCheckMaxThroughputAgainstAQuarterOfTheNoop() {
    Map<String, List<Double>> results = new LinkedHashMap<>();
    results.put("predict.tessera.max_per_s", List.of(3_000.0, 2_000.0));
    results.put("predict.noop.max_per_s", List.of(12_000.0, 10_000.0));
    results.put("predict.max_workers", List.of(4.0, 4.0));

    assertThat(new PredictTable(results).markdown())
        .contains(
            "| most req/s, closed loop, 4 connections | 2,500 (2,000–3,000)"
                + " | 11,000 (10,000–12,000) | 0.23 (0.20–0.25) | ≥ 0.25 of no-op"
                + " | **missed** (0.23 against ≥ 0.25) |");
  }

  @Test
  void shouldShoutAboutFailedRequests() {
    Map<String, List<Double>> results = new LinkedHashMap<>();
    results.put("predict.tessera.2000.errors", List.of(0.0, 3.0));
    results.put("predict.noop.2000.errors", List.of(0.0, 0.0));

    assertThat(new PredictTable(results).markdown())
        .contains("| 2,000 req/s: **failed requests, all runs** | 3.00 | 0.00 |  | 0 |");
    assertThat(PredictTable.rates(results)).containsExactly(2000);
  }
}
