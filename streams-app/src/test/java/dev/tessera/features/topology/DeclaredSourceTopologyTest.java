package dev.tessera.features.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.EntityKey;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.file.DefinitionFile;
import dev.tessera.features.offline.DriverStores;
import dev.tessera.features.query.FeatureLookup;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A source declared in the definition file, run through the topology a node runs. */
@Timeout(60)
class DeclaredSourceTopologyTest {
  private static final long T0 = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();
  private static final long T0_SECONDS = T0 / 1000;

  @TempDir Path stateDir;
  private FeatureRegistry registry;
  private TopologyTestDriver driver;
  private TestInputTopic<String, String> transactions;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private FeatureLookup lookup;

  @BeforeEach
  void setUp() {
    TopicCatalog topics = TopicCatalog.create(1, (short) 1);
    registry =
        DefinitionFile.loadResource(
            "/dev/tessera/features/declared/transactions.yaml",
            DefinitionFile.eventSchemas(topics));
    var config = new FeatureStoreConfig(Map.of("state.dir", stateDir.toString()));
    driver =
        new TopologyTestDriver(
            FeatureTopology.build(registry, topics),
            config.streamsProperties(),
            Instant.ofEpochMilli(T0));
    transactions =
        driver.createInputTopic("transactions", new StringSerializer(), new StringSerializer());
    deadLetters =
        driver.createOutputTopic(
            TopicCatalog.DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    lookup = new FeatureLookup(new DriverStores(driver), registry);
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private static String transaction(String user, String merchant, double amount, long seconds) {
    return """
        {"id": "t-%d", "user": {"id": "%s", "country": "DE"}, "merchant": {"name": "%s"},
         "payment": {"amount": %s, "currency": "EUR"}, "status": "approved", "ts": %d}"""
        .formatted(seconds, user, merchant, amount, seconds);
  }

  private void send(String key, String json) {
    transactions.pipeInput(new TestRecord<>(key, json));
  }

  private FeatureVector user(String id) {
    return lookup.lookup("user_transactions", id, T0);
  }

  @Test
  void shouldCountNestedJsonPerUserAndPerUserMerchantPairWhateverTheRecordKey() {
    send(null, transaction("u-1", "m-1", 10.0, T0_SECONDS - 30));
    send("someone-else", transaction("u-1", "m-2", 2.5, T0_SECONDS - 200));
    send("u-1", transaction("u-1", "m-1", 1.0, T0_SECONDS - 3600));
    send(null, transaction("u-2", "m-1", 7.0, T0_SECONDS - 10));

    FeatureVector u1 = user("u-1");
    assertThat(u1.found()).isTrue();
    assertThat(u1.value("transactions_1m")).isEqualTo(1.0);
    assertThat(u1.value("transactions_5m")).isEqualTo(2.0);
    assertThat(u1.value("amount_total")).isEqualTo(13.5);
    assertThat(user("u-2").value("amount_total")).isEqualTo(7.0);

    FeatureVector pair =
        lookup.lookup("user_merchant_transactions", EntityKey.of("u-1", "m-1"), T0);
    assertThat(pair.value("transactions_1d")).isEqualTo(2.0);
    assertThat(
            lookup
                .lookup("user_merchant_transactions", EntityKey.of("u-1", "m-2"), T0)
                .value("transactions_1d"))
        .isEqualTo(1.0);
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldSkipRecordsTheSourceFilterRefusesWithoutDeadLetteringThem() {
    send(null, transaction("u-1", "m-1", 10.0, T0_SECONDS - 30));
    send(null, transaction("u-1", "m-1", 99.0, T0_SECONDS - 20).replace("approved", "declined"));

    assertThat(user("u-1").value("amount_total")).isEqualTo(10.0);
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterARecordWithoutItsKeyFieldAndCountTheRecordsAroundBadOnes() {
    send(null, transaction("u-1", "m-1", 1.0, T0_SECONDS - 50));
    send(null, "{\"user\": {}, \"merchant\": {\"name\": \"m\"}, \"ts\": " + T0_SECONDS + "}");
    send(null, transaction("u-1", "m-1", 1.0, T0_SECONDS).replace("1.0,", "\"lots\","));
    send(null, "not json");
    send(null, transaction("u-1", "m-1", 2.0, T0_SECONDS - 40));

    // What does not decode is dead-lettered by the deserialization handler, which the test driver
    // does not run (SourceDecoderTest checks those reasons, FuzzIT the handler on a broker).
    assertThat(user("u-1").value("amount_total")).isEqualTo(3.0);
    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(header(dead, DeadLetters.REASON))
        .isEqualTo("transactions: missing key field user_id (path user.id)");
    assertThat(header(dead, DeadLetters.SOURCE_TOPIC)).isEqualTo("transactions");
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).contains("\"user\": {}");
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  private static String header(TestRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
