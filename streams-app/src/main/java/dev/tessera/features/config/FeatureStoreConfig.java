package dev.tessera.features.config;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.definition.file.DefinitionFile;
import dev.tessera.features.state.BoundedRocksDbConfig;
import dev.tessera.features.topology.DeadLetterDeserializationHandler;
import dev.tessera.features.topology.DeadLetterProcessingHandler;
import dev.tessera.schemas.serde.SchemaRegistryClient;
import dev.tessera.schemas.serde.WriterSchemas;
import dev.tessera.schemas.topic.TopicCatalog;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the feature pipeline, each with a doc and a default. Any key starting with {@code
 * kafka.} is passed, without that prefix, to Kafka Streams and its clients.
 *
 * <pre>{@code
 * var config = new FeatureStoreConfig(Map.of("bootstrap.servers", "broker:9092"));
 * Properties streamsProps = config.streamsProperties();
 * }</pre>
 */
public final class FeatureStoreConfig extends AbstractConfig {
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String APPLICATION_ID = "application.id";
  public static final String APPLICATION_SERVER = "application.server";
  public static final String STATE_DIR = "state.dir";
  public static final String TOPIC_PARTITIONS = "topic.partitions";
  public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
  public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
  public static final String NUM_STREAM_THREADS = "num.stream.threads";
  public static final String NUM_STANDBY_REPLICAS = "num.standby.replicas";
  public static final String LOOKUP_MAX_STANDBY_LAG = "lookup.max.standby.lag";
  public static final String LOOKUP_FORWARD_TIMEOUT_MS = "lookup.forward.timeout.ms";
  public static final String ROCKSDB_BLOCK_CACHE_BYTES = "rocksdb.block.cache.bytes";
  public static final String ROCKSDB_WRITE_BUFFER_BYTES = "rocksdb.write.buffer.bytes";
  public static final String FEATURES_FILE = "features.file";
  public static final String SCHEMAS_DIR = "schemas.dir";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String SCHEMA_REGISTRY_USER_INFO = "schema.registry.basic.auth.user.info";
  public static final String SCHEMA_REGISTRY_TIMEOUT_MS = "schema.registry.timeout.ms";
  public static final String PASSTHROUGH_PREFIX = "kafka.";

  public static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              BOOTSTRAP_SERVERS,
              Type.STRING,
              "127.0.0.1:9092",
              Importance.HIGH,
              "Kafka brokers to connect to.")
          .define(
              APPLICATION_ID,
              Type.STRING,
              "tessera",
              Importance.HIGH,
              "Kafka Streams application id; nodes with the same id share the work. It prefixes the"
                  + " changelog topics, so changing it starts the stores from scratch.")
          .define(
              FEATURES_FILE,
              Type.STRING,
              "",
              Importance.HIGH,
              "YAML or JSON file of feature views and services (docs/FEATURES.md); empty serves"
                  + " the shipped definitions. Checked at start: an error names the file and line"
                  + " and nothing starts.")
          .define(
              SCHEMAS_DIR,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "Directory of Avro schema files (.avsc): other versions of the event schemas that"
                  + " records in single-object encoding may have been written with, found by"
                  + " fingerprint and resolved to Tessera's schemas. Empty: none.")
          .define(
              SCHEMA_REGISTRY_URL,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "Schema registry (Confluent's REST API) whose schemas records in Confluent's wire"
                  + " format name by id, e.g. http://registry:8081. Empty: none.")
          .define(
              SCHEMA_REGISTRY_USER_INFO,
              Type.PASSWORD,
              null,
              Importance.LOW,
              "user:password for HTTP basic auth to the schema registry.")
          .define(
              SCHEMA_REGISTRY_TIMEOUT_MS,
              Type.INT,
              10_000,
              Range.atLeast(1),
              Importance.LOW,
              "Timeout of connecting to the schema registry and of each answer, ms.")
          .define(
              APPLICATION_SERVER,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "host:port other nodes use to reach this node's HTTP API for forwarded lookups;"
                  + " empty on a single node.")
          .define(
              STATE_DIR,
              Type.STRING,
              Path.of(System.getProperty("user.home"), ".tessera", "state").toString(),
              Importance.HIGH,
              "Directory of the RocksDB stores. Keep it off /tmp: a wiped state dir means a full"
                  + " restore from the changelogs.")
          .define(
              TOPIC_PARTITIONS,
              Type.INT,
              3,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Partitions of the event topics when Tessera creates them; bounds how many nodes"
                  + " share the work.")
          .define(
              TOPIC_REPLICATION_FACTOR,
              Type.SHORT,
              (short) 1,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Replication factor of the topics Tessera creates (use 3 in production).")
          .define(
              COMMIT_INTERVAL_MS,
              Type.LONG,
              100L,
              Range.atLeast(1),
              Importance.MEDIUM,
              "How often Streams commits; under exactly-once it bounds freshness of lookups.")
          .define(
              NUM_STREAM_THREADS,
              Type.INT,
              1,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Stream threads of this node.")
          .define(
              NUM_STANDBY_REPLICAS,
              Type.INT,
              0,
              Range.atLeast(0),
              Importance.MEDIUM,
              "Standby copies of each store kept on other nodes for fast failover.")
          .define(
              LOOKUP_MAX_STANDBY_LAG,
              Type.LONG,
              10_000L,
              Range.atLeast(0),
              Importance.MEDIUM,
              "While a key's active store is unavailable (restoring, failing over), lookups are"
                  + " answered from a standby or restoring replica at most this many changelog"
                  + " records behind; beyond it they get 503 with Retry-After.")
          .define(
              LOOKUP_FORWARD_TIMEOUT_MS,
              Type.INT,
              2_000,
              Range.atLeast(1),
              Importance.LOW,
              "Timeout of a lookup forwarded to the node that owns the key.")
          .define(
              ROCKSDB_BLOCK_CACHE_BYTES,
              Type.LONG,
              64L * 1024 * 1024,
              Range.atLeast(1024 * 1024),
              Importance.MEDIUM,
              "Block cache shared by every RocksDB store of the node (index and filter blocks"
                  + " included), so memory stays bounded however many stores and partitions it"
                  + " holds.")
          .define(
              ROCKSDB_WRITE_BUFFER_BYTES,
              Type.LONG,
              32L * 1024 * 1024,
              Range.atLeast(1024 * 1024),
              Importance.MEDIUM,
              "Memtable memory shared by every RocksDB store of the node, counted against the"
                  + " block cache.");

  /** Built once: the schema directory read and the registry's cache shared by every topic. */
  private WriterSchemas writerSchemas;

  public FeatureStoreConfig(Map<?, ?> originals) {
    super(DEFINITION, originals, false);
  }

  /** The feature definitions this node serves: {@code features.file}, or the shipped ones. */
  public FeatureRegistry registry() {
    String file = getString(FEATURES_FILE);
    return file.isEmpty()
        ? ShippedFeatures.registry()
        : DefinitionFile.load(Path.of(file), DefinitionFile.eventSchemas(topics()));
  }

  public long maxStandbyLag() {
    return getLong(LOOKUP_MAX_STANDBY_LAG);
  }

  public int forwardTimeoutMs() {
    return getInt(LOOKUP_FORWARD_TIMEOUT_MS);
  }

  /** This node's {@code host:port} for other nodes, empty on a single node. */
  public String applicationServer() {
    return getString(APPLICATION_SERVER);
  }

  public String bootstrapServers() {
    return getString(BOOTSTRAP_SERVERS);
  }

  /**
   * The topic catalogue with this config's partitions and replication factor, whose event topics
   * also read Avro written with the schemas of {@code schemas.dir} and {@code schema.registry.url}.
   */
  public TopicCatalog topics() {
    return TopicCatalog.create(
        getInt(TOPIC_PARTITIONS), getShort(TOPIC_REPLICATION_FACTOR), writerSchemas());
  }

  /**
   * The writer schemas of {@code schemas.dir} and {@code schema.registry.url}.
   *
   * @throws ConfigException naming the setting when the directory or a file in it is not usable
   */
  public synchronized WriterSchemas writerSchemas() {
    if (writerSchemas == null) {
      String dir = getString(SCHEMAS_DIR);
      String url = getString(SCHEMA_REGISTRY_URL);
      SchemaRegistryClient registry =
          url.isEmpty()
              ? null
              : new SchemaRegistryClient(
                  URI.create(url),
                  getPassword(SCHEMA_REGISTRY_USER_INFO) == null
                      ? null
                      : getPassword(SCHEMA_REGISTRY_USER_INFO).value(),
                  Duration.ofMillis(getInt(SCHEMA_REGISTRY_TIMEOUT_MS)));
      try {
        writerSchemas =
            dir.isEmpty() && registry == null
                ? WriterSchemas.none()
                : WriterSchemas.of(dir.isEmpty() ? null : Path.of(dir), registry);
      } catch (IllegalArgumentException | UncheckedIOException e) {
        throw new ConfigException(SCHEMAS_DIR, dir, e.getMessage());
      }
    }
    return writerSchemas;
  }

  /** Properties for Kafka clients (admin, producers): bootstrap plus pass-through keys. */
  public Properties clientProperties() {
    var props = new Properties();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.putAll(originalsWithPrefix(PASSTHROUGH_PREFIX));
    return props;
  }

  /**
   * Properties for Kafka Streams: exactly-once v2, dead-letter handlers, then pass-through keys.
   */
  public Properties streamsProperties() {
    var props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID));
    props.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, getLong(COMMIT_INTERVAL_MS));
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(NUM_STREAM_THREADS));
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, getInt(NUM_STANDBY_REPLICAS));
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) getShort(TOPIC_REPLICATION_FACTOR));
    if (!getString(APPLICATION_SERVER).isEmpty()) {
      props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, getString(APPLICATION_SERVER));
    }
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, TopicCatalog.DEAD_LETTERS);
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
    props.put(BoundedRocksDbConfig.BLOCK_CACHE_BYTES, getLong(ROCKSDB_BLOCK_CACHE_BYTES));
    props.put(BoundedRocksDbConfig.WRITE_BUFFER_BYTES, getLong(ROCKSDB_WRITE_BUFFER_BYTES));
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class.getName());
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProcessingHandler.class.getName());
    // Kafka 4.x warns unless this is on; 5.0 makes it the default and drops the (deprecated) key.
    props.put("processing.exception.handler.global.enabled", true);
    // Freshness: the default 100 ms linger would add to produce -> lookup latency under EOS.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    // One produce request in flight. With transactions v2 (Kafka 4.x brokers) a new transaction's
    // first batch to a partition can be answered CONCURRENT_TRANSACTIONS while the previous
    // commit's markers are written; a second in-flight request with a later sequence then fails
    // with OutOfOrderSequenceException ("expected sequence 0 ... no existing state"), the
    // transaction aborts and every task is closed dirty and restored (KAFKA-14884, KAFKA-19880).
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
    props.putAll(originalsWithPrefix(PASSTHROUGH_PREFIX));
    return props;
  }
}
