package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoringTableTest {

  @Test
  void shouldPutTheEnginesSideBySideWithHowManyTimesFasterOnnxIs() {
    Map<String, List<Double>> results = new LinkedHashMap<>();
    results.put("scoring.onnx.row.p50_us", List.of(10.0, 8.0, 12.0));
    results.put("scoring.xgboost.row.p50_us", List.of(80.0, 80.0, 60.0));
    results.put("scoring.onnx.row.rows_per_s", List.of(100_000.0));
    results.put("scoring.xgboost.row.rows_per_s", List.of(12_500.0));

    String table = new ScoringTable(results).markdown();

    // factors 8, 10, 5: median 8
    assertThat(table)
        .contains(
            "| one row per call: p50 per call, µs | 10.0 (8.00–12.0) | 80.0 (60.0–80.0)"
                + " | 8.00 (5.00–10.0) | ~6–11 vs ~75 µs per row |")
        .contains("| one row per call: rows/s | 100,000 | 12,500 | 8.00 |  |")
        .contains("| one row per call: mean time per row, µs | 10.0 | 80.0 | 8.00 |  |");
  }

  @Test
  void shouldShowAFactorBelowOneWhereXgboostIsFaster() {
    Map<String, List<Double>> results = new LinkedHashMap<>();
    results.put("scoring.onnx.batch100.rows_per_s", List.of(90_000.0));
    results.put("scoring.xgboost.batch100.rows_per_s", List.of(180_000.0));

    assertThat(new ScoringTable(results).markdown())
        .contains("| batches of 100 rows: rows/s | 90,000 | 180,000 | 0.50 |  |")
        .contains(
            "| batches of 100 rows: mean time per row, µs | 11.1 | 5.56 | 0.50"
                + " | XGBoost4J faster than ONNX Runtime at batch 100 |");
  }

  @Test
  void shouldLeaveOutFiguresMeasuredForOneEngineOnly() {
    Map<String, List<Double>> results = Map.of("scoring.onnx.row.p99_us", List.of(30.0));

    assertThat(new ScoringTable(results).markdown()).doesNotContain("p99 per call");
    assertThat(ScoringTable.present(results)).isTrue();
    assertThat(ScoringTable.present(Map.of("restore.seconds", List.of(1.0)))).isFalse();
  }
}
