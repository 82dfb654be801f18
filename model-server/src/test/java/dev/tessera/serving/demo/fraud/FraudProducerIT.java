package dev.tessera.serving.demo.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.schemas.topic.TopicAdmin;
import dev.tessera.serving.cli.TesseraCommand;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
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

/** The fraud world through a real broker: topics, keys and partitions as documented. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class FraudProducerIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Instant END = Instant.parse("2026-06-01T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FraudWorld world = FraudWorld.create(60, 7, 9, END);
  private KafkaTestCluster kafka;
  private Properties clientProps;

  @BeforeAll
  void start() throws Exception {
    kafka = KafkaTestCluster.start();
    clientProps = new Properties();
    clientProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
  }

  @AfterAll
  void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  @Order(1)
  void shouldProduceUsersAndTransactionsKeyedAsTheirProducersWould() throws Exception {
    Map<String, Integer> partitions;
    try (Admin admin = Admin.create(clientProps)) {
      partitions = TopicAdmin.ensure(admin, FraudProducer.topics(3, (short) 1), WAIT);
      var users = new ConfigResource(ConfigResource.Type.TOPIC, FraudEvent.USERS);
      String cleanup =
          admin
              .describeConfigs(List.of(users))
              .all()
              .get()
              .get(users)
              .get(TopicConfig.CLEANUP_POLICY_CONFIG)
              .value();
      assertThat(cleanup).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
    }
    assertThat(partitions).containsEntry("users", 3).containsEntry("transactions", 3);
    List<FraudEvent> history;
    try (Stream<FraudEvent> events = world.history()) {
      history = events.toList();
    }
    long live;
    try (var producer = new FraudProducer(clientProps, 3, world.seed())) {
      history.forEach(producer::accept);
      producer.flush();
      live = producer.stream(world.live(END, 500), 30, () -> false);
    }
    List<FraudTransaction> transactions =
        history.stream()
            .filter(FraudTransaction.class::isInstance)
            .map(FraudTransaction.class::cast)
            .toList();

    assertThat(live).isEqualTo(30);
    var users = consume("users", 60 + world.moves().size());
    assertThat(users)
        .allSatisfy(
            r -> {
              assertThat(r.value()).contains("\"user_id\":\"" + r.key() + "\"");
              assertThat(r.partition()).isEqualTo(murmur2Partition(r.key(), 3));
            });
    var records = consume("transactions", transactions.size() + 30);
    assertThat(records).hasSize(transactions.size() + 30);
    assertThat(records.stream().map(ConsumerRecord::value).toList())
        .containsAll(transactions.stream().map(FraudTransaction::toJson).toList());
    int byTxn = 0;
    int byNothing = 0;
    int byUser = 0;
    for (ConsumerRecord<String, String> r : records) {
      JsonNode value = read(r.value());
      String txnId = value.get("txn_id").asText();
      String userId = value.get("user").get("id").asText();
      switch (FraudKeys.style(txnId)) {
        case TXN_ID -> {
          byTxn++;
          assertThat(r.key()).isEqualTo(txnId);
          assertThat(r.partition()).isEqualTo(murmur2Partition(txnId, 3));
        }
        case NULL -> {
          byNothing++;
          assertThat(r.key()).isNull();
        }
        case USER_ID_LIBRDKAFKA -> {
          byUser++;
          assertThat(r.key()).isEqualTo(userId);
          assertThat(r.partition())
              .isEqualTo(FraudKeys.librdkafkaPartition(userId.getBytes(StandardCharsets.UTF_8), 3));
        }
      }
    }
    assertThat(List.of(byTxn, byNothing, byUser)).allMatch(n -> n > records.size() / 5);
  }

  @Test
  @Order(2) // adds to the topics the first test reads
  void shouldProduceTheFraudWorldFromTheCommandLine() {
    var out = new StringWriter();
    var command = new CommandLine(new TesseraCommand());
    command.setOut(new PrintWriter(out, true));

    int exit =
        command.execute(
            "produce",
            "--world",
            "fraud",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--users",
            "20",
            "--days",
            "5",
            "--seed",
            "4",
            "--count",
            "15",
            "--rate",
            "100");

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("World fraud: 20 users, 5 days")
        .containsPattern("History: [0-9,]+ users, [0-9,]+ transactions \\([0-9,]+ fraud")
        .contains("Live:    15 transactions sent")
        .containsPattern("Produced [0-9,]+ users, [0-9,]+ transactions in all");
  }

  private static int murmur2Partition(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every record of {@code topic}, once at least {@code count} have arrived and a poll is empty.
   */
  private List<ConsumerRecord<String, String>> consume(String topic, int count) {
    var props =
        Map.<String, Object>of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      var records = new ArrayList<ConsumerRecord<String, String>>();
      return Await.until(
          WAIT,
          count + " records on " + topic,
          () -> {
            int before = records.size();
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            return records.size() >= count && records.size() == before ? records : null;
          });
    }
  }
}
