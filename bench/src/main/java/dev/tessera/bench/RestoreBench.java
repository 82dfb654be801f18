package dev.tessera.bench;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.schemas.topic.TopicAdmin;
import dev.tessera.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Restore time per GB of state: the shipped feature views (the topology and settings {@code
 * FeaturePipeline} runs) work through the preloaded topics until caught up, with exactly-once v2
 * and no standby, and stop; the application's local state dir is deleted, and the same application
 * starts again. It is timed from {@code start()} until every changelog partition that holds data
 * has been restored (a {@link RestoreTracker} as global restore listener) and the application is
 * RUNNING. The changelog size is the Admin API's description of the broker's log dirs ({@link
 * ChangelogSize}).
 *
 * <p>Figures go to {@code restore.*}: {@code seconds}, {@code changelog_bytes}, {@code records},
 * {@code s_per_gb}, {@code records_per_s}, {@code mb_per_s}, and {@code fill_s} (the first run's
 * catch-up, for comparison).
 *
 * <pre>{@code
 * java -Xmx1g -cp ... dev.tessera.bench.RestoreBench --bootstrap 127.0.0.1:9092 \
 *     --work /tmp/bench --results results.txt
 * }</pre>
 */
public final class RestoreBench {
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  private static final long POLL_NANOS = 5_000_000;

  private RestoreBench() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs args = BenchArgs.parse(argv);
    Path results = args.path("results");
    Results.append(results, "load.restore", Machine.loadAverage());
    String appId = "bench-restore-" + UUID.randomUUID();
    Path state = Files.createDirectories(args.path("work")).resolve(appId);
    var settings = new HashMap<String, Object>();
    settings.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, args.required("bootstrap"));
    settings.put(FeatureStoreConfig.APPLICATION_ID, appId);
    settings.put(FeatureStoreConfig.STATE_DIR, state.toString());
    settings.put(FeatureStoreConfig.NUM_STANDBY_REPLICAS, 0);
    settings.putAll(args.withPrefix(FeatureStoreConfig.PASSTHROUGH_PREFIX));
    var config = new FeatureStoreConfig(settings);
    FeatureRegistry registry = ShippedFeatures.registry();
    Duration fillTimeout = Duration.ofMinutes(args.longValue("fill-timeout-minutes", 20));
    Duration restoreTimeout = Duration.ofMinutes(args.longValue("restore-timeout-minutes", 20));
    try (Admin admin = Admin.create(config.clientProperties())) {
      TopicCatalog topics =
          config
              .topics()
              .withPartitions(TopicAdmin.ensure(admin, config.topics().all(), ADMIN_TIMEOUT));
      try {
        // 1. Build the state: the application works through the preload, then stops cleanly.
        var progress = new GroupProgress(admin, appId, IngestionBench.inputs("shipped", registry));
        KafkaStreams fill = streams(config, registry, topics);
        try {
          CatchUp run =
              CatchUp.measure(
                  () -> {
                    fill.start();
                    return fill;
                  },
                  progress,
                  fillTimeout,
                  Duration.ZERO);
          Results.append(results, "restore.fill_s", run.startSeconds() + run.catchUpSeconds());
          Results.append(results, "restore.input_records", run.records());
        } finally {
          close(fill);
        }
        long localBytes = size(state);

        // 2. What a restore has to read, then the local state goes.
        Map<TopicPartition, Long> changelogs = ChangelogSize.of(admin, appId);
        long bytes = ChangelogSize.total(changelogs);
        IngestionBench.deleteTree(state);

        // 3. The same application again, from its changelogs only.
        var tracker =
            new RestoreTracker(
                changelogs.entrySet().stream()
                    .filter(e -> e.getValue() > 0)
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toSet()),
                System::nanoTime);
        KafkaStreams restore = streams(config, registry, topics);
        restore.setGlobalStateRestoreListener(tracker);
        double seconds;
        try {
          long start = System.nanoTime();
          restore.start();
          awaitRestored(restore, tracker, start + restoreTimeout.toNanos());
          seconds = (System.nanoTime() - start) / 1e9;
        } finally {
          close(restore);
        }
        var rate = new RestoreRate(seconds, bytes, tracker.records());
        Results.append(results, "restore.seconds", seconds);
        Results.append(results, "restore.listener_s", tracker.seconds());
        Results.append(results, "restore.changelog_bytes", bytes);
        Results.append(results, "restore.changelog_partitions", changelogs.size());
        Results.append(results, "restore.partitions_restored", tracker.partitionsRestored());
        Results.append(results, "restore.suspensions", tracker.suspensions());
        Results.append(results, "restore.records", tracker.records());
        Results.append(results, "restore.local_bytes_before", localBytes);
        Results.append(results, "restore.local_bytes_after", size(state));
        Results.append(results, "restore.s_per_gb", rate.secondsPerGb());
        Results.append(results, "restore.records_per_s", rate.recordsPerSecond());
        Results.append(results, "restore.mb_per_s", rate.megabytesPerSecond());
      } finally {
        InternalTopics.delete(admin, appId);
      }
    } finally {
      IngestionBench.deleteTree(state);
    }
  }

  /**
   * The shipped views' topology with a node's settings, as {@code FeaturePipeline.start} builds it.
   */
  private static KafkaStreams streams(
      FeatureStoreConfig config, FeatureRegistry registry, TopicCatalog topics) {
    return new KafkaStreams(FeatureTopology.build(registry, topics), config.streamsProperties());
  }

  private static void awaitRestored(KafkaStreams streams, RestoreTracker tracker, long deadline) {
    long reported = System.nanoTime();
    while (!(tracker.done() && streams.state() == KafkaStreams.State.RUNNING)) {
      KafkaStreams.State state = streams.state();
      if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
        throw new IllegalStateException("Streams stopped (" + state + ") while restoring");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Not restored in time, in state "
                + state
                + "; changelog partitions not restored: "
                + tracker.missing());
      }
      if (System.nanoTime() - reported > 10_000_000_000L) {
        reported = System.nanoTime();
        System.out.printf(
            "[progress] restoring: %d records, %d partitions done, state %s%n",
            tracker.records(), tracker.partitionsRestored(), state);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  private static void close(KafkaStreams streams) {
    streams.close(
        CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(60)));
  }

  /** Bytes of the files under {@code dir}, 0 if it does not exist. */
  private static long size(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(RestoreBench::fileSize).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot walk " + dir, e);
    }
  }

  private static long fileSize(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      // RocksDB deletes files (compaction) while we walk.
      return 0;
    }
  }
}
