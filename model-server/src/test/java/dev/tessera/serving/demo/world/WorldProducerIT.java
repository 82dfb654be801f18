package dev.tessera.serving.demo.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.schemas.topic.Topic;
import dev.tessera.schemas.topic.TopicAdmin;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.cli.TesseraCommand;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The demo world through a real broker: every record on its topic, keyed and partitioned. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class WorldProducerIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Instant END = Instant.parse("2026-06-01T00:00:00Z");

  private final TopicCatalog topics = TopicCatalog.defaults();
  private final ChurnWorld world = ChurnWorld.create(40, 75, 9, END);
  private KafkaTestCluster kafka;
  private Properties clientProps;

  @BeforeAll
  void start() throws Exception {
    kafka = KafkaTestCluster.start();
    clientProps = new Properties();
    clientProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(clientProps)) {
      TopicAdmin.ensure(admin, topics.all(), WAIT);
    }
  }

  @AfterAll
  void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  @Order(1)
  void shouldProduceTheHistoryThenPacedLiveEvents() {
    Map<String, Long> history;
    long live;
    long started;
    try (var producer = new WorldProducer(topics, clientProps)) {
      world.history().forEach(producer::accept);
      producer.flush();
      history = producer.counts();
      assertThat(producer.stream(world.live(END, 1_000), 5, () -> true)).isZero();
      started = System.nanoTime();
      live = producer.stream(world.live(END, 200), 60, () -> false);
    }
    double liveSeconds = (System.nanoTime() - started) / 1e9;

    assertThat(history)
        .containsExactly(
            Map.entry(TopicCatalog.CUSTOMERS, 40L),
            Map.entry(TopicCatalog.ORDERS, (long) world.orders().size()),
            Map.entry(TopicCatalog.CLICKS, (long) world.clicks().size()),
            Map.entry(TopicCatalog.OUTCOMES, (long) world.outcomes().size()));
    assertThat(live).isEqualTo(60);
    // 60 events 5 ms apart: paced, not sent at once.
    assertThat(liveSeconds).isGreaterThanOrEqualTo(0.25);

    assertThat(values(consume(topics.customers(), 40)))
        .containsExactlyInAnyOrderElementsOf(world.customers());
    assertThat(values(consume(topics.outcomes(), world.outcomes().size())))
        .containsExactlyInAnyOrderElementsOf(world.outcomes());
    var orders = consume(topics.orders(), world.orders().size());
    var clicks = consume(topics.clicks(), world.clicks().size());
    assertThat(orders.size() + clicks.size())
        .isEqualTo(world.orders().size() + world.clicks().size() + 60);
    assertThat(values(orders)).containsAll(world.orders());
    assertThat(values(clicks)).containsAll(world.clicks());
    for (var records : List.of(orders, clicks)) {
      assertThat(records)
          .allSatisfy(
              r -> {
                assertThat(r.key()).startsWith("C-");
                assertThat(r.value().toString()).contains("\"customer_id\": \"" + r.key() + "\"");
                // Where Kafka Streams, and so every lookup, expects the key.
                assertThat(r.partition()).isEqualTo(partitionOf(r.key(), 3));
              });
    }
  }

  @Test
  @Order(2) // adds to the topics the first test counts
  void shouldProduceTheWorldFromTheCommandLine() {
    var out = new StringWriter();
    var command = new CommandLine(new TesseraCommand());
    command.setOut(new PrintWriter(out, true));

    int exit =
        command.execute(
            "produce",
            "--world",
            "churn",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--customers",
            "10",
            "--days",
            "70",
            "--seed",
            "4",
            "--count",
            "20",
            "--rate",
            "100");

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("World churn: 10 customers, 70 days")
        .contains("History: 10 customers, ")
        .contains("Live:    20 events sent")
        .containsPattern(
            "Produced 10 customers, [0-9,]+ orders, [0-9,]+ clicks, [0-9,]+ outcomes in all");
  }

  private static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
    return records.stream().map(ConsumerRecord::value).toList();
  }

  /**
   * Every record of {@code topic}, once at least {@code count} have arrived and a poll is empty.
   */
  private <V> List<ConsumerRecord<String, V>> consume(Topic<String, V> topic, int count) {
    var props =
        Map.<String, Object>of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    try (var consumer =
        new KafkaConsumer<>(
            props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      consumer.subscribe(List.of(topic.name()));
      var records = new ArrayList<ConsumerRecord<String, V>>();
      return Await.until(
          WAIT,
          count + " records on " + topic.name(),
          () -> {
            int before = records.size();
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            return records.size() >= count && records.size() == before ? records : null;
          });
    }
  }
}
