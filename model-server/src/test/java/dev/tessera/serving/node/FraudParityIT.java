package dev.tessera.serving.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.definition.EntityKey;
import dev.tessera.features.offline.EventLog;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.demo.fraud.FraudEvent;
import dev.tessera.serving.demo.fraud.FraudProducer;
import dev.tessera.serving.demo.fraud.FraudTransaction;
import dev.tessera.serving.demo.fraud.FraudUser;
import dev.tessera.serving.demo.fraud.FraudWorld;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training/serving parity of declared sources and tables on a real broker: the fraud world's users
 * table and JSON transactions (a third of them without a key, a third keyed by their id, a third by
 * the user on librdkafka's partition), then a user moving to another country and transacting there.
 * Every lookup of the three fraud views, recorded from a running node after each round, equals what
 * the offline engine computes for the same key and instant from the topics read back from the
 * beginning.
 */
@Timeout(240)
class FraudParityIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int USERS = 30;
  private static final Set<String> INPUTS = Set.of("users", "transactions");
  private static final Map<String, Double> REQUEST =
      Map.of("amount", 80.0, "lat", 48.85, "lon", 2.35);

  private final String appId = "fraud-parity-" + UUID.randomUUID();

  @Test
  void shouldComputeOfflineWhatTheOnlineStoreServedForDeclaredSourcesAndTables(@TempDir Path state)
      throws Exception {
    var observed = new ArrayList<FeatureParity.Observed>();
    EventLog log;
    String moved;
    try (KafkaTestCluster kafka = KafkaTestCluster.start();
        TesseraNode node =
            TesseraNode.start(
                Map.of(
                    "bootstrap.servers",
                    kafka.bootstrapServers(),
                    "application.id",
                    appId,
                    "state.dir",
                    state.toString(),
                    "http.port",
                    "0"));
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      URI base = URI.create("http://127.0.0.1:" + node.httpPort());
      var client = new Properties();
      client.put("bootstrap.servers", kafka.bootstrapServers());
      FraudWorld world = FraudWorld.create(USERS, 10, 7, Instant.now().minusSeconds(1));
      try (var producer = new FraudProducer(client, 3, 7)) {
        // Each user's first row, processed before any transaction, as a bank has its card
        // holders before their payments: online, a transaction re-keyed by its user's country
        // that overtook the row would not be counted for the country, while the replay, in
        // event-time order, counts it. The world's own moves are left out: the one move below is
        // ordered against the lookups.
        var firstRows = new HashSet<String>();
        var transactions = new ArrayList<FraudEvent>();
        try (Stream<FraudEvent> history = world.history()) {
          history.forEach(
              e -> {
                if (e instanceof FraudUser u) {
                  if (firstRows.add(u.userId())) {
                    producer.accept(e);
                  }
                } else {
                  transactions.add(e);
                }
              });
        }
        producer.flush();
        FeatureParity.awaitCaughtUp(admin, appId, INPUTS, WAIT);
        transactions.forEach(producer::accept);
        producer.flush();
        FeatureParity.awaitCaughtUp(admin, appId, INPUTS, WAIT);
        observed.addAll(lookUp(base, world));

        // A user moves to Madrid at an instant after every lookup so far, committed before the
        // transactions that follow it, which then count for the new country.
        long lastLookup =
            observed.stream().mapToLong(FeatureParity.Observed::asOf).max().orElseThrow();
        FraudUser before = world.users().get(0);
        moved = before.userId();
        long movedAt = lastLookup / 1000 + 1;
        producer.accept(new FraudUser(moved, "ES", 40.4168, -3.7038, before.segment(), movedAt));
        producer.flush();
        FeatureParity.awaitCaughtUp(admin, appId, INPUTS, WAIT);
        long t = movedAt * 1000 + 1;
        for (int i = 0; i < 3; i++) {
          producer.accept(
              new FraudTransaction(
                  "T-P" + i, moved, "M-P", "food", 20.0 + i, "EUR", 40.42, -3.70, t + i, "pos",
                  false));
        }
        producer.flush();
        long lastEvent = t + 2;
        Await.until(
            WAIT,
            "the clock to pass the last transaction",
            () -> System.currentTimeMillis() > lastEvent ? Boolean.TRUE : null);
        FeatureParity.awaitCaughtUp(admin, appId, INPUTS, WAIT);
        observed.addAll(lookUp(base, world));
      }
      log =
          EventLog.fromKafka(client, TopicCatalog.defaults(), FeatureParity.REGISTRY.views(), WAIT);
    }
    assertThat(log.rejected()).isEmpty();
    // Not a comparison of defaults: windows, the table and the related view hold something.
    assertThat(observed)
        .anyMatch(o -> o.features().at("/transactions_5m/value").asDouble() > 0)
        .anyMatch(o -> o.features().at("/amount_mean_30d/value").asDouble() > 0)
        .anyMatch(o -> o.features().at("/country_avg_amount_365d/value").asDouble() > 0)
        .anyMatch(o -> o.features().at("/transactions_1d/value").asDouble() > 0);
    // The move was seen: the moved user's distance from home differs between the rounds.
    assertThat(
            observed.stream()
                .filter(o -> o.view().equals("user_fraud") && o.key().equals(moved))
                .map(o -> o.features().at("/distance_from_home_km/value").asDouble())
                .distinct())
        .hasSize(2);
    int compared = FeatureParity.assertMatchesReplay(observed, log);
    assertThat(compared).isGreaterThan(2 * USERS * (7 + 1));
  }

  /** Every user's fraud features, a pair of each user and one of their merchants, every country. */
  private static List<FeatureParity.Observed> lookUp(URI base, FraudWorld world) {
    var observed = new ArrayList<FeatureParity.Observed>();
    var countries = new TreeSet<String>();
    for (FraudUser u : world.users()) {
      countries.add(u.country());
      observed.add(FeatureParity.lookUp(base, "user_fraud", u.userId(), REQUEST, WAIT));
      String pair = EntityKey.of(u.userId(), world.ownMerchants(u.userId()).get(0));
      observed.add(FeatureParity.lookUp(base, "user_merchant_transactions", pair, Map.of(), WAIT));
    }
    countries.add("ES");
    for (String country : countries) {
      observed.add(FeatureParity.lookUp(base, "country_transactions", country, Map.of(), WAIT));
    }
    return observed;
  }
}
