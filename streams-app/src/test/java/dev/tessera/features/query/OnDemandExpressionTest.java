package dev.tessera.features.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.file.DefinitionFile;
import dev.tessera.features.offline.DriverStores;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.topic.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Expressions declared in a definition file, evaluated by the lookup over real stores. */
@Timeout(60)
class OnDemandExpressionTest {
  private static final long T0 = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final TopicCatalog TOPICS = TopicCatalog.create(1, (short) 1);
  private static final String DEFINITIONS =
      """
      views:
        - name: spend
          entity: customer_id
          sources:
            - {topic: orders, key: customer_id, time: order_ts}
          features:
            - {name: orders, source: orders, aggregation: count, window: lifetime}
            - {name: revenue, source: orders, aggregation: sum, field: order_total, window: lifetime}
            - name: big_recent_spender
              on_demand: |
                if(revenue / orders > 50 and days_since(orders.event_time) < 7,
                   1,
                   0)
              default: -1
            - {name: amount_over_mean, on_demand: "coalesce(request.amount, 0) - revenue / orders", default: 0}
      """;

  @TempDir Path stateDir;

  @Test
  void shouldEvaluateDeclaredExpressionsOverStoredFeaturesAndRequestFields() {
    FeatureRegistry registry =
        DefinitionFile.parse(DEFINITIONS, "test.yaml", DefinitionFile.eventSchemas(TOPICS));
    var config = new FeatureStoreConfig(Map.of("state.dir", stateDir.toString()));
    try (var driver =
        new TopologyTestDriver(
            FeatureTopology.build(registry.views(), TOPICS),
            config.streamsProperties(),
            Instant.ofEpochMilli(T0))) {
      var orders =
          driver.createInputTopic(
              "orders", new StringSerializer(), TOPICS.orders().valueSerde().serializer());
      orders.pipeInput("C-1", order("C-1", "o-1", 60.0, T0 - 2 * DAY), T0 - 2 * DAY);
      orders.pipeInput("C-1", order("C-1", "o-2", 80.0, T0 - DAY), T0 - DAY);
      var lookup = new FeatureLookup(new DriverStores(driver), registry);

      FeatureVector c1 = lookup.lookup("spend", "C-1", T0, Map.of("amount", 100.0));
      assertThat(c1.value("big_recent_spender")).isEqualTo(1.0);
      assertThat(c1.value("amount_over_mean")).isEqualTo(30.0);
      assertThat(lookup.lookup("spend", "C-1", T0, Map.of()).value("amount_over_mean"))
          .as("a request without amount: coalesce gives 0")
          .isEqualTo(-70.0);
      assertThat(lookup.lookup("spend", "C-1", T0 + 10 * DAY, Map.of()).value("big_recent_spender"))
          .as("ten days later the last order is not recent")
          .isZero();
      assertThat(lookup.lookup("spend", "C-9", T0, Map.of()).value("big_recent_spender"))
          .as("no orders: no event time, so the default")
          .isEqualTo(-1.0);
    }
  }

  private static Order order(String customer, String id, double total, long ts) {
    return Order.newBuilder()
        .setOrderId(id)
        .setCustomerId(customer)
        .setOrderTs(Instant.ofEpochMilli(ts))
        .setOrderTotal(total)
        .setProductCategory("books")
        .build();
  }
}
