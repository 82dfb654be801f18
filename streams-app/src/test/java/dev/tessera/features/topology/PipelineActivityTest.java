package dev.tessera.features.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.offline.DriverStores;
import dev.tessera.features.query.ViewKeyCount;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-view meters and dead-letter counts the topology and its handlers keep. */
class PipelineActivityTest {
  private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
  private final FeatureRegistry registry = ShippedFeatures.registry();

  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private PipelineActivity activity;
  private TestInputTopic<String, Order> orders;
  private TestInputTopic<String, byte[]> rawOrders;

  @BeforeEach
  void setUp() {
    TopicCatalog topics = TopicCatalog.create(1, (short) 1);
    activity = new PipelineActivity(registry.views(), T0.toEpochMilli());
    Properties props =
        new FeatureStoreConfig(Map.of("state.dir", stateDir.toString())).streamsProperties();
    props.put(PipelineActivity.CONFIG, activity);
    driver = new TopologyTestDriver(FeatureTopology.build(registry, topics, activity), props, T0);
    orders =
        driver.createInputTopic(
            "orders", new StringSerializer(), topics.orders().valueSerde().serializer());
    rawOrders =
        driver.createInputTopic("orders", new StringSerializer(), new ByteArraySerializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private void order(String customer, Instant at) {
    orders.pipeInput(
        customer,
        Order.newBuilder()
            .setOrderId("o-" + customer + at.toEpochMilli())
            .setCustomerId(customer)
            .setOrderTs(at)
            .setOrderTotal(10.0)
            .setProductCategory("books")
            .build(),
        at);
  }

  @Test
  void shouldMeterEveryViewThatAppliesAnEvent() {
    order("C-1", T0.minusSeconds(30));
    order("C-2", T0.minusSeconds(10));
    order("C-1", T0.minusSeconds(20));

    ViewMeter churn = activity.meter("customer_churn").orElseThrow();
    assertThat(churn.total()).isEqualTo(3);
    assertThat(churn.newestEventTime()).isEqualTo(T0.minusSeconds(10).toEpochMilli());
    assertThat(churn.eventsPerSecond(T0.toEpochMilli())).isEqualTo(3.0);
    assertThat(activity.meter("customer_risk").orElseThrow().total()).isEqualTo(3);
    // No customer rows: no order reaches the region view.
    assertThat(activity.meter("region_orders").orElseThrow().total()).isZero();
    assertThat(activity.deadLetters()).isEmpty();
  }

  @Test
  void shouldCountKeysInTheViewsPerKeyStore() {
    order("C-1", T0.minusSeconds(30));
    order("C-2", T0.minusSeconds(10));
    order("C-3", T0.minusSeconds(5));

    var stores = new DriverStores(driver);
    assertThat(ViewKeyCount.of(stores, registry.view("customer_churn").orElseThrow()))
        .isGreaterThanOrEqualTo(3L);
    // customer_risk keeps only tiles: no per-key count.
    assertThat(ViewKeyCount.of(stores, registry.view("customer_risk").orElseThrow())).isNull();
  }

  @Test
  void shouldCountDeadLettersPerSourceTopic() {
    order("C-1", T0);
    orders.pipeInput(
        "C-2",
        Order.newBuilder()
            .setOrderId("o-x")
            .setCustomerId("C-1")
            .setOrderTs(T0)
            .setOrderTotal(1.0)
            .setProductCategory("books")
            .build(),
        T0);
    rawOrders.pipeInput("C-1", "not an order".getBytes(StandardCharsets.UTF_8), T0);

    assertThat(activity.deadLetters()).containsExactly(Map.entry("orders", 2L));
    assertThat(activity.meter("customer_churn").orElseThrow().total()).isEqualTo(1);
  }

  @Test
  void shouldNotMeterAWindowOnlyViewForAnEventOlderThanItsGrace() {
    order("C-1", T0);
    order("C-1", T0.minus(Duration.ofMinutes(10))); // older than customer_risk's 5 min grace

    assertThat(activity.meter("customer_risk").orElseThrow().total()).isEqualTo(1);
    assertThat(activity.meter("customer_churn").orElseThrow().total()).isEqualTo(2);
  }
}
