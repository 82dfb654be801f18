package dev.tessera.bench;

import dev.tessera.features.FeaturePipeline;
import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Ingestion benchmark: a fresh application (new application id, empty state dir) works through the
 * preloaded orders, clicks and customers with exactly-once v2, timed by {@link CatchUp}. {@code
 * --topology shipped} runs Tessera's {@link FeaturePipeline} with the shipped views, then, with
 * {@code --serve true}, still running and caught up, the freshness and lookup benchmarks ({@link
 * ServingBench}); {@code --topology one-count} runs the {@link OneCountTopology} baseline with the
 * same settings. Figures are written as {@code ingest.<scenario>.<variant>.*}.
 *
 * <pre>{@code
 * java -Xmx2g -cp ... dev.tessera.bench.IngestionBench --bootstrap 127.0.0.1:9092 \
 *     --topology shipped --scenario shuffled --serve true --work /tmp/bench \
 *     --results results.txt --customers 10000
 * }</pre>
 *
 * <p>Options for diagnosis: {@code --views a,b} runs only those shipped views; {@code
 * --budget-seconds N} stops after N seconds of processing and reports the rate so far; {@code
 * --kafka.<key> <value>} passes a Streams or client setting through.
 */
public final class IngestionBench {
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(5);

  private IngestionBench() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs args = BenchArgs.parse(argv);
    String topology = args.required("topology");
    if (!topology.equals("shipped") && !topology.equals("one-count")) {
      throw new IllegalArgumentException("--topology is shipped or one-count, got " + topology);
    }
    Path results = args.path("results");
    String variant = args.string("variant", topology);
    String prefix = "ingest." + args.string("scenario", "ordered") + "." + variant;
    Results.append(results, "load." + variant, Machine.loadAverage());
    String appId = "bench-" + variant + "-" + UUID.randomUUID();
    Path state = Files.createDirectories(args.path("work")).resolve(appId);
    var settings = new HashMap<String, Object>();
    settings.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, args.required("bootstrap"));
    settings.put(FeatureStoreConfig.APPLICATION_ID, appId);
    settings.put(FeatureStoreConfig.STATE_DIR, state.toString());
    // As a Tessera node runs: application.server set, so lookups go through key metadata.
    settings.put(FeatureStoreConfig.APPLICATION_SERVER, "127.0.0.1:" + freePort());
    settings.putAll(args.withPrefix(FeatureStoreConfig.PASSTHROUGH_PREFIX));
    var config = new FeatureStoreConfig(settings);
    FeatureRegistry registry = registry(args.string("views", ""));
    Duration budget = Duration.ofSeconds(args.longValue("budget-seconds", 0));
    boolean serve = Boolean.parseBoolean(args.string("serve", "false"));
    try (Admin admin = Admin.create(config.clientProperties())) {
      var progress = new GroupProgress(admin, appId, inputs(topology, registry));
      long deadBefore = DeadLetterCount.of(admin);
      if (topology.equals("shipped")) {
        FeaturePipeline[] pipeline = new FeaturePipeline[1];
        try {
          CatchUp run =
              CatchUp.measure(
                  () -> {
                    pipeline[0] = FeaturePipeline.start(config, registry);
                    return pipeline[0].streams();
                  },
                  progress,
                  CATCH_UP_TIMEOUT,
                  budget);
          report(results, prefix, run, DeadLetterCount.of(admin) - deadBefore);
          if (serve && run.caughtUp()) {
            new ServingBench(pipeline[0], config, args, results).run();
          }
        } finally {
          if (pipeline[0] != null) {
            pipeline[0].close();
          }
        }
      } else {
        var streams =
            new KafkaStreams(
                OneCountTopology.build(TopicCatalog.defaults()), config.streamsProperties());
        try {
          CatchUp run =
              CatchUp.measure(
                  () -> {
                    streams.start();
                    return streams;
                  },
                  progress,
                  CATCH_UP_TIMEOUT,
                  budget);
          report(results, prefix, run, DeadLetterCount.of(admin) - deadBefore);
        } finally {
          streams.close(Duration.ofSeconds(30));
        }
      }
    } finally {
      deleteTree(state);
      try (Admin admin = Admin.create(config.clientProperties())) {
        InternalTopics.delete(admin, appId);
      }
    }
  }

  /**
   * The shipped registry, or (experiments only) just the views named in {@code views} and the
   * services that read nothing else.
   */
  private static FeatureRegistry registry(String views) {
    FeatureRegistry shipped = ShippedFeatures.registry();
    if (views.isEmpty()) {
      return shipped;
    }
    Set<String> keep = Set.of(views.split(","));
    return new FeatureRegistry(
        shipped.views().stream().filter(v -> keep.contains(v.name())).toList(),
        shipped.services().stream()
            .filter(s -> s.features().stream().allMatch(f -> keep.contains(f.view())))
            .toList());
  }

  /** The topics the application reads: every view's sources and the customers table. */
  static List<String> inputs(String topology, FeatureRegistry registry) {
    if (topology.equals("one-count")) {
      return List.of(TopicCatalog.ORDERS, TopicCatalog.CLICKS, TopicCatalog.CUSTOMERS);
    }
    var topics = new TreeSet<String>();
    topics.add(TopicCatalog.CUSTOMERS);
    registry.views().forEach(v -> v.sources().forEach(s -> topics.add(s.topic())));
    return List.copyOf(topics);
  }

  private static void report(Path results, String prefix, CatchUp run, long deadLetters) {
    Results.append(results, prefix + ".events", run.records());
    Results.append(results, prefix + ".committed_share", (double) run.records() / run.total());
    Results.append(results, prefix + ".start_s", run.startSeconds());
    Results.append(results, prefix + ".catch_up_s", run.catchUpSeconds());
    Results.append(results, prefix + ".events_per_s", run.eventsPerSecond());
    if (!run.caughtUp()) {
      Results.append(results, prefix + ".second_half_events_per_s", run.secondHalfRate());
    }
    Results.append(results, prefix + ".dead_letters", deadLetters);
  }

  private static int freePort() {
    try (var socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on 127.0.0.1", e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
