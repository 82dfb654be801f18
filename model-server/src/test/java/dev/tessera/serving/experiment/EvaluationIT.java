package dev.tessera.serving.experiment;

import static dev.tessera.serving.experiment.Events.outcome;
import static dev.tessera.serving.experiment.Events.prediction;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.schemas.topic.Topic;
import dev.tessera.schemas.topic.TopicAdmin;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation job on a real broker: predictions and outcomes produced to three partitions, the
 * topology run by KafkaStreams with exactly-once, and its store compared with a brute-force
 * recomputation from the topics read back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class EvaluationIT {
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  // Grace longer than the span of the data: no record is late whatever order the task reads
  // the two topics in, so the brute force needs no arrival order across topics.
  private static final EvaluationSettings SETTINGS =
      EvaluationSettings.defaults().withGrace(Duration.ofDays(365));
  private static final int PREDICTIONS = 4_000;
  private static final int OUTCOMES = 2_500;

  private final TopicCatalog topics = TopicCatalog.create(3, (short) 1);
  private KafkaTestCluster kafka;
  private KafkaStreams streams;

  @BeforeAll
  void start(@TempDir Path stateDir) throws Exception {
    kafka = KafkaTestCluster.start();
    try (var admin =
        Admin.create(
            Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      TopicAdmin.ensure(
          admin, List.of(topics.predictions(), topics.outcomes()), Duration.ofSeconds(30));
    }
    produce();
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tessera-it-experiments-" + UUID.randomUUID());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    streams = new KafkaStreams(EvaluationTopology.build(topics, SETTINGS), props);
    streams.start();
  }

  @AfterAll
  void stop() {
    if (streams != null) {
      streams.close(Duration.ofSeconds(30));
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private Properties clientProps() {
    var props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return props;
  }

  private void produce() throws Exception {
    var random = new Random(17);
    try (var predictions =
            topics.predictions().idempotentProducer(clientProps(), "it-predictions");
        var outcomes = topics.outcomes().idempotentProducer(clientProps(), "it-outcomes")) {
      for (int i = 0; i < PREDICTIONS; i++) {
        String customer = "C-" + random.nextInt(300);
        long ts = T0 + (long) (random.nextDouble() * 40 * DAY);
        // Sticky, as an endpoint assigns: by the customer's bucket.
        String variant =
            dev.tessera.serving.endpoint.Endpoint.bucket("churn", customer) < 7_000
                ? "churn-v1"
                : "churn-v2";
        double score = random.nextDouble() < 0.01 ? Double.NaN : random.nextDouble();
        predictions.send(
            new ProducerRecord<>(
                topics.predictions().name(),
                customer,
                prediction("r-" + i, customer, ts, variant, score, 150 + random.nextInt(3_000))));
      }
      for (int i = 0; i < OUTCOMES; i++) {
        String customer = "C-" + random.nextInt(300);
        // Distinct times (i ms apart) so that no customer has two outcomes at the same instant.
        long ts = T0 + (long) (random.nextDouble() * 60 * DAY) / 10_000 * 10_000 + i;
        outcomes.send(
            new ProducerRecord<>(
                topics.outcomes().name(),
                customer,
                outcome(customer, ts, random.nextDouble() < 0.25 ? 1 : 0)));
      }
      predictions.flush();
      outcomes.flush();
    }
  }

  /** Every record of the two topics, per partition: the brute force's input. */
  private Map<Integer, List<Map.Entry<String, Object>>> readBack() {
    var byPartition = new TreeMap<Integer, List<Map.Entry<String, Object>>>();
    readInto(topics.predictions(), PREDICTIONS, byPartition);
    readInto(topics.outcomes(), OUTCOMES, byPartition);
    return byPartition;
  }

  private <V> void readInto(
      Topic<String, V> topic, int expected, Map<Integer, List<Map.Entry<String, Object>>> into) {
    var props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (var consumer =
        new KafkaConsumer<>(
            props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      var partitions = new ArrayList<TopicPartition>();
      for (int p = 0; p < topic.partitions(); p++) {
        partitions.add(new TopicPartition(topic.name(), p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      int read = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (read < expected && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          into.computeIfAbsent(record.partition(), p -> new ArrayList<>())
              .add(Map.entry(record.key(), record.value()));
          read++;
        }
      }
      assertThat(read).as("records read back from " + topic.name()).isEqualTo(expected);
    }
  }

  @Test
  void shouldMatchABruteForceRecomputationFromTheTopics() {
    var parts = new ArrayList<Map<String, Map<String, BruteForceEvaluation.Expected>>>();
    readBack()
        .values()
        .forEach(records -> parts.add(BruteForceEvaluation.evaluate(records, SETTINGS)));
    var expected = BruteForceEvaluation.merge(parts).get("churn");
    assertThat(expected.get("churn-v1").stats().labelled()).isGreaterThan(500);
    var reader = new ExperimentReader(streams);
    Map<String, VariantStats> actual =
        Await.until(
            Duration.ofSeconds(120),
            "the evaluation store to equal the brute force",
            () -> {
              var stats = reader.variants("churn");
              BruteForceEvaluation.assertSame(stats, expected);
              return stats;
            });
    var report =
        ExperimentReport.of(
            "churn",
            actual,
            Map.of("churn-v1", 70.0, "churn-v2", 30.0),
            "churn-v1",
            ReportRules.defaults());
    assertThat(report.sampleRatio().mismatch()).isFalse();
    assertThat(report.toText()).contains("churn-v2");
  }
}
