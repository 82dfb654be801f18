package dev.tessera.serving.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.offline.EventLog;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.demo.world.ChurnWorld;
import dev.tessera.serving.demo.world.LiveWorld;
import dev.tessera.serving.demo.world.WorldEvent;
import dev.tessera.serving.demo.world.WorldProducer;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training/serving parity on a real broker: after the churn demo world's history is produced,
 * lookups recorded from a running node at several instants, while its live events keep arriving,
 * equal what the offline engine computes for the same keys and instants from the topics read back
 * from the beginning, events after each instant included in the log.
 */
@Timeout(240)
class OfflineParityIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int CUSTOMERS = 40;

  private final String appId = "parity-" + UUID.randomUUID();

  @Test
  void shouldComputeOfflineWhatTheOnlineStoreServedAtEachInstant(@TempDir Path state)
      throws Exception {
    var observed = new ArrayList<FeatureParity.Observed>();
    EventLog log;
    long produced;
    String[] changed = new String[1];
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
      // The demo world's history, then three rounds of its live events, each after the previous
      // round's lookups; lookups of every customer after each round.
      ChurnWorld world = ChurnWorld.create(CUSTOMERS, 70, 5, Instant.now().minusSeconds(1));
      try (var producer = new WorldProducer(TopicCatalog.defaults(), client)) {
        FeatureParity.produceHistory(world, producer);
        for (int round = 0; round < 4; round++) {
          if (round > 0) {
            // Live events stamped after the previous round's lookups and sent at once (they span
            // ~200 ms); the lookups wait until the clock has passed the last of them, since a
            // tile counts an event up to the tile's end while the replay stops at the instant.
            long lastLookup =
                observed.stream().mapToLong(FeatureParity.Observed::asOf).max().orElseThrow();
            // A new version of one customer's profile (another tier and region) takes effect
            // first, committed before the live events, which then join its new region: lookups
            // before it saw the old version, offline as online; lookups after, the new one.
            Customer before = world.customers().get(round);
            changed[0] = before.getCustomerId();
            producer.accept(
                WorldEvent.of(
                    Customer.newBuilder(before)
                        .setSubscriptionTier(
                            before.getSubscriptionTier().equals("premium") ? "free" : "premium")
                        .setRegion(before.getRegion().equals("apac") ? "eu-west" : "apac")
                        .setUpdatedTs(Instant.ofEpochMilli(lastLookup + 1))
                        .build()));
            producer.flush();
            FeatureParity.awaitCaughtUp(admin, appId, WAIT);
            LiveWorld live = world.live(Instant.ofEpochMilli(lastLookup + 2), 1000);
            Instant lastEvent = Instant.EPOCH;
            // Enough live events that some are orders whatever the live stream draws this run.
            for (int e = 0; e < 200 && live.hasNext(); e++) {
              WorldEvent event = live.next();
              lastEvent = event.time().isAfter(lastEvent) ? event.time() : lastEvent;
              producer.accept(event);
            }
            Instant sentUpTo = lastEvent;
            Await.until(
                WAIT,
                "the clock to pass the last live event",
                () -> Instant.now().isAfter(sentUpTo) ? Boolean.TRUE : null);
          }
          producer.flush();
          FeatureParity.awaitCaughtUp(admin, appId, WAIT);
          observed.addAll(FeatureParity.lookUpCustomers(base, CUSTOMERS, WAIT));
        }
        Map<String, Long> counts = producer.counts();
        produced =
            counts.getOrDefault("customers", 0L)
                + counts.getOrDefault("orders", 0L)
                + counts.getOrDefault("clicks", 0L);
      }
      log =
          EventLog.fromKafka(
              client,
              TopicCatalog.defaults(),
              FeatureTopology.timeFields(FeatureParity.REGISTRY.views()),
              WAIT);
    }
    assertThat(log.events()).hasSize((int) produced);
    // Not a comparison of defaults: live windows and sessions hold something.
    assertThat(observed)
        .anyMatch(o -> o.features().at("/orders_last_5m/value").asDouble() > 0)
        .anyMatch(o -> o.features().at("/sessions_last_30d/value").asDouble() > 1)
        .anyMatch(o -> o.features().at("/region_avg_order_value_365d/value").asDouble() > 0);
    // The profile versions were seen: the last changed customer's tier differs between rounds.
    assertThat(
            observed.stream()
                .filter(o -> o.view().equals("customer_churn") && o.key().equals(changed[0]))
                .map(o -> o.features().at("/subscription_tier/value").asDouble())
                .distinct())
        .hasSizeGreaterThan(1);
    int compared = FeatureParity.assertMatchesReplay(observed, log);
    assertThat(compared).isEqualTo(4 * CUSTOMERS * (18 + 5));
  }
}
