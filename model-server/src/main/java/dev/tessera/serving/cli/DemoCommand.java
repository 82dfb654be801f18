package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.offline.EventLog;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.serving.config.ServingConfig;
import dev.tessera.serving.demo.DemoTraffic;
import dev.tessera.serving.demo.DemoTraining;
import dev.tessera.serving.demo.EmbeddedKafka;
import dev.tessera.serving.demo.world.ChurnWorld;
import dev.tessera.serving.demo.world.WorldEvent;
import dev.tessera.serving.demo.world.WorldProducer;
import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.endpoint.Guardrails;
import dev.tessera.serving.endpoint.ServedEntity;
import dev.tessera.serving.endpoint.TrafficSplit.Route;
import dev.tessera.serving.node.Directories;
import dev.tessera.serving.node.TesseraNode;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.registry.NewVersion;
import dev.tessera.serving.registry.RegistryClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tessera demo}: the whole system on one machine. Starts its own Kafka broker on
 * 127.0.0.1:9092 unless {@code --bootstrap-servers} names a running cluster, serves HTTP on
 * 127.0.0.1:8080, produces the churn demo world's history, trains and registers two models
 * (champion v1 on order features, challenger v2 with engagement) and keeps producing live events
 * until Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run everything locally: Kafka (unless --bootstrap-servers), node, the churn demo world,"
            + " two trained and registered models.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin NodeOptions options;

  @Option(
      names = "--kafka-port",
      defaultValue = "9092",
      description = "Port of the in-process broker.")
  int kafkaPort;

  @Option(
      names = "--data-dir",
      description = "Where the demo keeps Kafka and state (wiped at start).")
  Path dataDir = Path.of(System.getProperty("user.home"), ".tessera", "demo");

  @Option(names = "--customers", defaultValue = "300", description = "Demo customers C-1..C-n.")
  int customers;

  @Option(
      names = "--history-days",
      defaultValue = "120",
      description = "Days of history (more than 60: labels need 30 days of features and 30 ahead).")
  int historyDays;

  @Option(
      names = "--rate",
      defaultValue = "5",
      description = "Live events (orders and clicks) per second.")
  double rate;

  @Option(
      names = "--requests",
      defaultValue = "50",
      description =
          "Demo invocations of the churn endpoint per second, one customer each, with their"
              + " outcomes; 0 turns the load loop off.")
  double requestRate;

  // One customer per request, as a caller scoring a customer would: variants' latencies compare
  // exactly only on single-row requests.
  private static final int DEMO_ROWS_PER_REQUEST = 1;
  private static final long SEED = 42;
  private static final String MODEL = "churn";

  @Override
  public Integer call() throws Exception {
    if (historyDays <= 60 || customers < 50 || rate < 0 || requestRate < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "Need --history-days above 60 (labels look 30 days back and 30 ahead), --customers of"
              + " at least 50 (to train on) and a --rate and --requests of 0 or more; got "
              + historyDays
              + ", "
              + customers
              + ", "
              + rate
              + " and "
              + requestRate);
    }
    var signal = new ShutdownSignal();
    EmbeddedKafka kafka = null;
    try {
      Map<String, String> settings = options.settings();
      if (options.bootstrapServers == null) {
        // Checked first: a demo still running (or shutting down) holds the port, and its data dir
        // must not be wiped from under it.
        requireFree("127.0.0.1", kafkaPort);
        Directories.deleteRecursively(dataDir);
        System.out.printf("Starting Kafka on 127.0.0.1:%d (in-process) ...%n", kafkaPort);
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), "127.0.0.1", kafkaPort);
        settings.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      }
      settings.putIfAbsent(FeatureStoreConfig.STATE_DIR, dataDir.resolve("state").toString());
      settings.putIfAbsent(FeatureStoreConfig.APPLICATION_ID, "tessera-demo");
      // The demo's accelerated clock: a prediction's 30-day outcome arrives seconds later.
      settings.putIfAbsent(ServingConfig.EXPERIMENT_HORIZON_MS, "60000");
      run(settings, signal);
    } finally {
      if (kafka != null) {
        kafka.close();
      }
      signal.finished();
    }
    return 0;
  }

  private void run(Map<String, String> settings, ShutdownSignal signal) throws Exception {
    var config = new FeatureStoreConfig(settings);
    FeatureRegistry registry = config.registry();
    try (TesseraNode node = TesseraNode.start(settings);
        var producer = new WorldProducer(config.topics(), config.clientProperties())) {
      ChurnWorld world =
          ChurnWorld.create(
              customers, historyDays, SEED, Instant.now().truncatedTo(ChronoUnit.SECONDS));
      System.out.printf(
          "Producing the churn demo world: %d customers, %d days of orders and clicks ...%n",
          customers, historyDays);
      try (Stream<WorldEvent> history = world.history()) {
        history.forEach(producer::accept);
      }
      producer.flush();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!node.featuresReady() && System.nanoTime() < deadline && !signal.isRequested()) {
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }
      if (signal.isRequested()) {
        return;
      }
      trainAndRegister(config, registry, world, node);
      node.configureEndpoint(churnExperiment(), "tessera demo");
      String http = "http://" + new ServingConfig(settings).httpHost() + ":" + node.httpPort();
      var traffic =
          new DemoTraffic(
              world,
              http,
              config.topics().outcomes(),
              config.clientProperties(),
              requestRate,
              DEMO_ROWS_PER_REQUEST);
      if (requestRate > 0) {
        Thread load = new Thread(() -> traffic.run(signal::isRequested), "tessera-demo-traffic");
        load.setDaemon(true);
        load.start();
      }
      printBanner(config.bootstrapServers(), new ServingConfig(settings).httpHost(), node);
      long live = producer.stream(world.live(Instant.now(), rate), 0, signal::isRequested);
      System.out.printf(
          "%nStopping: produced %d live events; the load loop scored %d rows (%d failed"
              + " requests).%n",
          live, traffic.scored(), traffic.failed());
    }
  }

  /**
   * Trains v1 (order features) and v2 (orders and engagement) from the topics, registers both and
   * points champion at v1 and challenger at v2; the churn endpoint follows champion.
   */
  private void trainAndRegister(
      FeatureStoreConfig config, FeatureRegistry registry, ChurnWorld world, TesseraNode node) {
    System.out.printf(
        "Training churn v1 (churn_v1: orders) and v2 (churn_v2: orders + engagement) on %,d"
            + " labels, features replayed from the topics ...%n",
        world.labels().size());
    EventLog log =
        EventLog.fromKafka(
            config.clientProperties(),
            config.topics(),
            FeatureTopology.timeFields(registry.views()),
            Duration.ofMinutes(5));
    List<DemoTraining.Trained> models =
        DemoTraining.train(
            registry,
            world.labels(),
            log,
            List.of("churn_v1", "churn_v2"),
            Path.of(config.getString(FeatureStoreConfig.STATE_DIR)),
            new ProgressBar(System.err, "training set"));
    var versions = new ArrayList<Integer>();
    try (var client = RegistryClient.open(config)) {
      for (DemoTraining.Trained m : models) {
        ModelVersion v =
            client
                .writer()
                .createVersion(
                    NewVersion.trained(
                        MODEL,
                        m.service(),
                        m.onnx(),
                        "demo model on " + m.service() + " (" + DemoTraining.PARAMS + ")",
                        m.run(),
                        "tessera demo"));
        versions.add(v.version());
      }
      client.writer().setAlias(MODEL, "champion", versions.get(0));
      client.writer().setAlias(MODEL, "challenger", versions.get(1));
    }
    System.out.printf(
        "%nRegistered %s v%d (champion, churn_v1) and v%d (challenger, churn_v2):%n%s",
        MODEL, versions.get(0), versions.get(1), DemoTraining.sideBySide(models));
    // The endpoint swaps when this node's registry follower sees the alias.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!versions.get(0).equals(node.modelRegistry().aliases(MODEL).get("champion"))
        && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  /**
   * The seed use case's A/B test: champion (churn@champion) 90%, challenger (churn@challenger) 10%,
   * default guardrails.
   */
  static EndpointConfig churnExperiment() {
    return new EndpointConfig(
        TesseraNode.CHURN_ENDPOINT,
        List.of(
            ServedEntity.ofAlias("champion", MODEL, "champion"),
            ServedEntity.ofAlias("challenger", MODEL, "challenger")),
        List.of(new Route("champion", 90), new Route("challenger", 10)),
        TesseraNode.CHURN_ENDPOINT,
        Guardrails.defaults());
  }

  private void printBanner(String bootstrap, String host, TesseraNode node) {
    String http = "http://" + host + ":" + node.httpPort();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    System.out.printf(
        """

        Tessera demo is running (streams %s).
          Kafka  %s
          HTTP   %s
          Data   %s customers C-1..C-%d, %d days of orders and clicks, %.0f live events/s
          Models churn@champion = v1 (churn_v1), churn@challenger = v2 (churn_v2)
          A/B    endpoint churn: champion 90%% / challenger 10%%, sticky per customer; a load loop
                 scores %.0f requests/s and the world reveals each outcome 5 s later

        Try:
          curl -s %s/features/customer_churn/C-1
          curl -s '%s/features/customer_risk/C-1?amount=250&lat=52.52&lon=13.40'
          curl -s %s/serving-endpoints/churn/invocations -H 'Content-Type: application/json' \\
               -d '{"dataframe_records":[{"customer_id":"C-1"},{"customer_id":"C-2"}]}'
          curl -s %s/api/2.0/serving-endpoints/churn
          java -jar model-server/target/tessera.jar report churn     (after a minute or two)
          java -jar model-server/target/tessera.jar promote churn    (and: rollback churn)
          echo 'C-1|{"order_id":"my-1","customer_id":"C-1","order_ts":"%s","order_total":25.0,"product_category":"books"}' \\
               | kcat -b %s -X partitioner=murmur2_random -t orders -P -K '|'
          echo 'C-1|not json' | kcat -b %s -X partitioner=murmur2_random -t orders -P -K '|'
          kcat -b %s -t tessera-dlq -C -e -f 'reason=%%h\\n%%s\\n'
          kcat -b %s -t predictions -C -e -o -5 -f '%%k %%S bytes\\n'
          curl -s '%s/api/2.0/mlflow/registered-models/get?name=churn'
          curl -s %s/metrics | grep tessera_inference
          curl -s %s/health/ready

        Ctrl-C stops.
        """,
        node.streamsState(),
        bootstrap,
        http,
        dataDir,
        customers,
        historyDays,
        rate,
        requestRate,
        http,
        http,
        http,
        http,
        now,
        bootstrap,
        bootstrap,
        bootstrap,
        bootstrap,
        http,
        http,
        http);
  }

  private static void requireFree(String host, int port) {
    try (var socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IllegalStateException(
          "Port "
              + port
              + " is in use. Is a Kafka broker already running there? Use it with"
              + " --bootstrap-servers "
              + host
              + ":"
              + port
              + ", or pick another --kafka-port.",
          e);
    }
  }
}
