package dev.tessera.bench;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.serving.config.ServingConfig;
import dev.tessera.serving.node.TesseraNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;

/**
 * Predict over HTTP against a no-op Javalin handler, side by side in one JVM: a real {@link
 * TesseraNode} (shipped views, bootstrap ONNX model on the {@code churn} endpoint, prediction log)
 * catches up with the preloaded customers and orders, a {@link NoopServer} starts next to it, and
 * both get the same one-row MLflow requests of random preloaded customers:
 *
 * <ol>
 *   <li>warm-up, closed loop, unmeasured, until the rate stops improving ({@link Warmup});
 *   <li>each {@code --rates} rate for {@code --seconds}, open loop ({@link OpenLoop}, latency from
 *       each request's intended start), the two servers alternating which goes first;
 *   <li>the most each does, closed loop with {@code --max-workers} connections.
 * </ol>
 *
 * Figures are written as {@code predict.<tessera|noop>.<rate>.*} and {@code
 * predict.<tessera|noop>.max_per_s}.
 *
 * <pre>{@code
 * java -cp ... dev.tessera.bench.PredictBench --bootstrap 127.0.0.1:9092 --work /tmp/bench \
 *     --customers 2000 --rates 500,1000,2000 --seconds 10 --results results.txt
 * }</pre>
 */
public final class PredictBench {
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(3);
  private static final String HOST = "127.0.0.1";
  private static final String INVOCATIONS =
      "/serving-endpoints/" + TesseraNode.CHURN_ENDPOINT + "/invocations";

  private PredictBench() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs args = BenchArgs.parse(argv);
    Path results = args.path("results");
    Results.append(results, "load.predict", Machine.loadAverage());
    String appId = "bench-predict-" + UUID.randomUUID();
    Path state = Files.createDirectories(args.path("work")).resolve(appId);
    var settings = new HashMap<String, String>();
    settings.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, args.required("bootstrap"));
    settings.put(FeatureStoreConfig.APPLICATION_ID, appId);
    settings.put(FeatureStoreConfig.STATE_DIR, state.toString());
    settings.put(ServingConfig.HTTP_HOST, HOST);
    settings.put(ServingConfig.HTTP_PORT, "0");
    String[] keys = new String[args.intValue("customers", 2_000)];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = EventGenerator.customerId(i);
    }
    try (Admin admin = Admin.create(new FeatureStoreConfig(settings).clientProperties())) {
      try (TesseraNode node = TesseraNode.start(settings);
          NoopServer noop = NoopServer.start()) {
        awaitCaughtUp(admin, appId);
        var tessera = new Target("tessera", node.httpPort(), INVOCATIONS, keys);
        var baseline = new Target("noop", noop.port(), NoopServer.PATH, keys);
        checkFeaturesFound(tessera, keys);
        new PredictBench.Session(args, results, List.of(tessera, baseline)).run();
      } finally {
        InternalTopics.delete(admin, appId);
      }
    } finally {
      IngestionBench.deleteTree(state);
    }
  }

  /** Waits until the node's application has committed every preloaded input record. */
  private static void awaitCaughtUp(Admin admin, String appId) {
    var progress =
        new GroupProgress(
            admin, appId, IngestionBench.inputs("shipped", ShippedFeatures.registry()));
    long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
    long started = System.nanoTime();
    while (!progress.caughtUp()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "The node committed "
                + progress.committedInputRecords()
                + " of "
                + progress.inputRecords()
                + " input records in "
                + CATCH_UP_TIMEOUT);
      }
      LockSupport.parkNanos(100_000_000);
    }
    System.out.printf(
        "[progress] node caught up with %d input records in %.1f s%n",
        progress.inputRecords(), (System.nanoTime() - started) / 1e9);
  }

  /** Most preloaded customers have orders: the lookups of a predict must find them. */
  private static void checkFeaturesFound(Target tessera, String[] keys) throws Exception {
    int found = 0;
    int sample = Math.min(50, keys.length);
    try (var c = new HttpConnection(HOST, tessera.port)) {
      for (int i = 0; i < sample; i++) {
        int status = c.send(tessera.requests[i]);
        if (status != 200) {
          throw new IllegalStateException(
              "POST " + tessera.path + " answered " + status + ": " + c.lastBody());
        }
        if (c.lastBody().contains("\"features_found\":true")) {
          found++;
        }
      }
    }
    if (found < sample / 2) {
      throw new IllegalStateException(
          "Only " + found + " of " + sample + " predictions found features: is the preload there?");
    }
  }

  /** One server under load: its port, route and a pre-encoded request per customer. */
  static final class Target {
    final String name;
    final int port;
    final String path;
    final byte[][] requests;

    Target(String name, int port, String path, String[] keys) {
      this.name = name;
      this.port = port;
      this.path = path;
      this.requests = new byte[keys.length][];
      for (int i = 0; i < keys.length; i++) {
        requests[i] =
            HttpConnection.post(
                HOST,
                port,
                path,
                "{\"dataframe_records\":[{\"customer_id\":\"" + keys[i] + "\"}]}");
      }
    }
  }

  /** The measurements of one JVM, on connections opened once per target. */
  private static final class Session {
    private final BenchArgs args;
    private final Path results;
    private final List<Target> targets;
    private final int workers;
    private final int maxWorkers;

    Session(BenchArgs args, Path results, List<Target> targets) {
      this.args = args;
      this.results = results;
      this.targets = targets;
      this.workers = args.intValue("workers", 8);
      this.maxWorkers = args.intValue("max-workers", 4);
    }

    void run() throws Exception {
      // Closed-loop rounds of a second until a server has served enough requests and its rate stops
      // improving (the JIT is done with its request path); a fixed 5 s left the node at a fifth of
      // its later rate.
      for (Target t : targets) {
        var warmup =
            new Warmup(
                5,
                args.intValue("warmup-max-seconds", 40),
                args.longValue("warmup-requests", 40_000),
                0.1);
        try (var load = new Load(t, maxWorkers)) {
          while (!warmup.done()) {
            warmup.round(OpenLoop.maxThroughput(maxWorkers, 1, load));
          }
        }
        System.out.printf(
            "[progress] warm-up %s: %d s, best %.0f req/s%n",
            t.name, warmup.rounds(), warmup.best());
      }
      Duration length = Duration.ofSeconds(args.longValue("seconds", 10));
      String[] rates = args.string("rates", "500,1000,2000").split(",");
      for (int r = 0; r < rates.length; r++) {
        int rate = Integer.parseInt(rates[r].strip());
        // Alternate which server goes first, so that drift on the machine hits both alike.
        for (Target t : r % 2 == 0 ? targets : reversed(targets)) {
          try (var load = new Load(t, workers)) {
            var schedule = OpenLoop.Schedule.of(System.nanoTime() + 10_000_000, rate, length);
            report(t.name + "." + rate, OpenLoop.run(schedule, workers, load, OpenLoop.SYSTEM));
          }
        }
      }
      double maxSeconds = args.doubleValue("max-seconds", 5);
      for (Target t : reversed(targets)) {
        try (var load = new Load(t, maxWorkers)) {
          Results.append(
              results,
              "predict." + t.name + ".max_per_s",
              OpenLoop.maxThroughput(maxWorkers, maxSeconds, load));
        }
      }
      Results.append(results, "predict.workers", workers);
      Results.append(results, "predict.max_workers", maxWorkers);
    }

    private void report(String name, OpenLoop.Outcome o) {
      String prefix = "predict." + name;
      Histogram h = o.nanos();
      Results.append(results, prefix + ".p50_ms", h.getValueAtPercentile(50) / 1e6);
      Results.append(results, prefix + ".p99_ms", h.getValueAtPercentile(99) / 1e6);
      Results.append(results, prefix + ".p999_ms", h.getValueAtPercentile(99.9) / 1e6);
      Results.append(results, prefix + ".max_ms", h.getMaxValue() / 1e6);
      Results.append(results, prefix + ".per_s", o.achievedPerSecond());
      Results.append(results, prefix + ".errors", o.errors());
      Results.append(
          results, prefix + ".late_p50_ms", o.lateNanos().getValueAtPercentile(50) / 1e6);
      Results.append(
          results, prefix + ".late_p99_ms", o.lateNanos().getValueAtPercentile(99) / 1e6);
    }

    private static <T> List<T> reversed(List<T> list) {
      var r = new ArrayList<>(list);
      Collections.reverse(r);
      return r;
    }
  }

  /** Requests of random customers to one target, one connection and random stream per worker. */
  private static final class Load implements OpenLoop.Call, AutoCloseable {
    private final Target target;
    private final HttpConnection[] connections;
    private final SplittableRandom[] randoms;

    Load(Target target, int workers) {
      this.target = target;
      this.connections = new HttpConnection[workers];
      this.randoms = new SplittableRandom[workers];
      var seeds = new SplittableRandom(7);
      for (int w = 0; w < workers; w++) {
        connections[w] = new HttpConnection(HOST, target.port);
        randoms[w] = seeds.split();
      }
    }

    @Override
    public boolean call(int worker, long index) throws Exception {
      byte[] request = target.requests[randoms[worker].nextInt(target.requests.length)];
      return connections[worker].send(request) == 200;
    }

    @Override
    public void close() {
      for (HttpConnection c : connections) {
        c.close();
      }
    }
  }
}
