package dev.tessera.features.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped fraud views (declared sources, a declared table with versions, a view re-keyed
 * through the table, on-demand features on the table's fields) replayed point in time.
 */
@Timeout(120)
class FraudViewsTest {
  private static final long T = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final double PARIS_LAT = 48.8566;
  private static final double PARIS_LON = 2.3522;

  @TempDir Path work;
  private final List<LoggedEvent> events = new ArrayList<>();

  private void user(String id, String country, double lat, double lon, long at) {
    String json =
        """
        {"user_id": "%s", "country": "%s", "home": {"lat": %s, "lon": %s}, "segment": "consumer",
         "updated_at": %d}"""
            .formatted(id, country, lat, lon, at / 1000);
    events.add(new LoggedEvent("users", id, json.getBytes(StandardCharsets.UTF_8), at));
  }

  private void transaction(String user, double amount, long at) {
    String json =
        """
        {"txn_id": "T-%d", "user": {"id": "%s"}, "merchant": {"id": "M-1", "category": "food"},
         "amount": {"value": %s, "currency": "EUR"}, "location": {"lat": 0, "lon": 0},
         "ts": %s}"""
            .formatted(at, user, amount, at / 1000.0);
    events.add(new LoggedEvent("transactions", null, json.getBytes(StandardCharsets.UTF_8), at));
  }

  @Test
  void shouldReadEachTrainingRowWithTheUsersRowAndCountryOfItsTime() {
    FeatureRegistry registry = ShippedFeatures.registry();
    user("U-1", "DE", 52.52, 13.405, T - 30 * DAY);
    user("U-2", "FR", PARIS_LAT, PARIS_LON, T - 30 * DAY);
    transaction("U-1", 10.0, T - 2 * DAY);
    transaction("U-1", 20.0, T - DAY);
    transaction("U-2", 100.0, T - DAY);
    user("U-1", "FR", PARIS_LAT, PARIS_LON, T); // moves to Paris at T
    transaction("U-1", 30.0, T + 3_600_000L);
    transaction("U-1", 5.0, T + 7_170_000L); // 30 s before the second row

    Map<String, Double> inParis = Map.of("amount", 50.0, "lat", PARIS_LAT, "lon", PARIS_LON);
    List<LabelRow> rows =
        List.of(
            new LabelRow("U-1", T - 1, 1, inParis),
            new LabelRow("U-1", T + 7_200_000L, 0, inParis));
    FeatureTable table =
        OfflineEngine.trainingSet(
            registry, "fraud_v1", rows, EventLog.of(events), ProgressListener.NONE, work);

    assertThat(table.columns())
        .containsExactly(
            "transactions_1m",
            "transactions_5m",
            "amount_zscore",
            "distance_from_home_km",
            "country_avg_amount_365d");
    double[] before = table.values()[0];
    assertThat(before[0]).isZero();
    // mean 15, sample stddev 7.07 of the 30 days' 10 and 20
    assertThat(before[2]).isCloseTo((50 - 15) / Math.sqrt(50), within(1e-9));
    assertThat(before[3]).isCloseTo(878.0, within(5.0)); // Paris from the Berlin home
    assertThat(before[4]).isEqualTo(15.0); // DE's transactions
    double[] after = table.values()[1];
    assertThat(after[0]).isEqualTo(1.0);
    assertThat(after[1]).isEqualTo(1.0);
    assertThat(after[3]).isCloseTo(0.0, within(1e-6)); // home is Paris now
    // FR's transactions: U-2's 100 and U-1's after the move, 30 and 5; U-1's German ones stay DE
    assertThat(after[4]).isEqualTo(45.0);
  }
}
