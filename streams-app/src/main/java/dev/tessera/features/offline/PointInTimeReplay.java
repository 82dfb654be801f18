package dev.tessera.features.offline;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.query.FeatureLookup;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.features.query.ViewLookup;
import dev.tessera.features.state.FeatureStores;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.features.topology.PipelineActivity;
import dev.tessera.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Replays an event log through the feature topology itself, synchronously, and answers lookups as
 * of any instant the replay has reached: the online store's answer at that instant, computed by the
 * same topology, stores, aggregates and on-demand functions. Events are fed in event-time order up
 * to the instant asked for, so an event after it can never change the answer.
 *
 * <p>Runs the topology in Kafka Streams' {@link TopologyTestDriver} (one partition per topic,
 * stores in memory, see {@link FeatureStores#IN_MEMORY}; the driver's own files in a new directory
 * that {@link #close} deletes). Its wall clock is the instant the replay advances to, so that, as
 * on a node, tiles no lookup from then on can read are not written: a replay of months would
 * otherwise roll a window-store segment every few minutes of it.
 *
 * <pre>{@code
 * try (var replay = new PointInTimeReplay(registry, log)) {
 *   replay.advanceTo(t);
 *   FeatureVector v = replay.lookup("customer_churn", "C-1", t, Map.of());
 * }
 * }</pre>
 */
public final class PointInTimeReplay implements ViewLookup, AutoCloseable {
  private final List<LoggedEvent> events;
  private final Path stateDir;
  private final TopologyTestDriver driver;
  private final Map<String, TestInputTopic<String, byte[]>> inputs = new HashMap<>();
  private final TestOutputTopic<byte[], byte[]> deadLetters;
  private final FeatureLookup lookup;
  private int next;
  private long reached = 0;
  private long rejected;

  /** A replay whose stores live in a new directory under the system's temporary directory. */
  public PointInTimeReplay(FeatureRegistry registry, EventLog log) {
    this(registry, log, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** A replay whose stores live in a new directory under {@code workDir}. */
  public PointInTimeReplay(FeatureRegistry registry, EventLog log, Path workDir) {
    this.events = log.events();
    try {
      Files.createDirectories(workDir);
      this.stateDir = Files.createTempDirectory(workDir, "tessera-offline-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a state directory for the replay", e);
    }
    TopicCatalog topics = TopicCatalog.create(1, (short) 1, log.writerSchemas());
    var config =
        new FeatureStoreConfig(
            Map.of(
                "state.dir", stateDir.toString(),
                "application.id", "tessera-offline",
                "kafka.statestore.cache.max.bytes", "0"));
    this.driver =
        new TopologyTestDriver(
            FeatureTopology.build(
                registry.views(),
                topics,
                new PipelineActivity(registry.views(), 0),
                FeatureStores.IN_MEMORY),
            config.streamsProperties(),
            Instant.EPOCH);
    for (String topic : FeatureTopology.timeFields(registry.views()).keySet()) {
      inputs.put(
          topic, driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer()));
    }
    this.deadLetters =
        driver.createOutputTopic(
            TopicCatalog.DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.lookup = new FeatureLookup(new DriverStores(driver), registry);
  }

  /** Feeds every event with time at or before {@code time}; returns how many it fed. */
  public int advanceTo(long time) {
    if (time < reached) {
      throw new IllegalArgumentException(
          "The replay is at "
              + Instant.ofEpochMilli(reached)
              + "; it cannot go back to "
              + Instant.ofEpochMilli(time)
              + " (sort the rows by time)");
    }
    // Lookups come at this instant or later, so the driver's wall clock moves here first: tiles no
    // such lookup can read are skipped, as a node skips them when history arrives.
    driver.advanceWallClockTime(Duration.ofMillis(time - reached));
    reached = time;
    int fed = 0;
    while (next < events.size() && events.get(next).time() <= time) {
      LoggedEvent e = events.get(next++);
      TestInputTopic<String, byte[]> input = inputs.get(e.topic());
      if (input != null) {
        input.pipeInput(e.key(), e.value(), e.time());
        fed++;
      }
    }
    if (driver.producedTopicNames().contains(TopicCatalog.DEAD_LETTERS)) {
      rejected += deadLetters.getQueueSize();
      deadLetters.readRecordsToList();
    }
    return fed;
  }

  /** Events fed so far. */
  public int fed() {
    return next;
  }

  /** Events the topology dead-lettered so far (e.g. late, wrong key). */
  public long rejected() {
    return rejected;
  }

  /**
   * Every column of {@code view} for {@code key} as of {@code asOf}, which the replay must have
   * reached.
   */
  @Override
  public FeatureVector lookup(String view, String key, long asOf, Map<String, Double> request) {
    if (asOf > reached) {
      throw new IllegalArgumentException(
          "Advance the replay to " + Instant.ofEpochMilli(asOf) + " before looking up as of it");
    }
    return lookup.lookup(view, key, asOf, request);
  }

  @Override
  public void close() {
    try {
      driver.close();
    } finally {
      try (Stream<Path> files = Files.walk(stateDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // Only a temporary directory is left behind.
      }
    }
  }
}
