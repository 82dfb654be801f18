package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.offline.EventLog;
import dev.tessera.features.offline.LabelRow;
import dev.tessera.serving.config.RetrainConfig;
import dev.tessera.serving.config.ServingConfig;
import dev.tessera.serving.demo.DemoTraffic;
import dev.tessera.serving.demo.DemoTraining;
import dev.tessera.serving.demo.EmbeddedKafka;
import dev.tessera.serving.demo.fraud.FraudEvent;
import dev.tessera.serving.demo.fraud.FraudProducer;
import dev.tessera.serving.demo.fraud.FraudTransaction;
import dev.tessera.serving.demo.fraud.FraudWorld;
import dev.tessera.serving.demo.world.ChurnWorld;
import dev.tessera.serving.demo.world.WorldEvent;
import dev.tessera.serving.demo.world.WorldLabel;
import dev.tessera.serving.demo.world.WorldProducer;
import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.endpoint.Guardrails;
import dev.tessera.serving.endpoint.ServedEntity;
import dev.tessera.serving.endpoint.TrafficSplit.Route;
import dev.tessera.serving.node.Directories;
import dev.tessera.serving.node.TesseraNode;
import dev.tessera.serving.registry.NewVersion;
import dev.tessera.serving.registry.RegistryClient;
import dev.tessera.serving.retrain.CycleReport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * 127.0.0.1:8080, produces the churn demo world's history, trains and registers the champion (v1,
 * order features), runs one retraining cycle that registers v2 (with engagement) as challenger if
 * it passes the gates, and keeps producing live events and requests until Ctrl-C; the node promotes
 * the challenger when the experiment says so.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run everything locally: Kafka (unless --bootstrap-servers), node, the churn demo world,"
            + " a trained champion and a retraining cycle whose challenger is promoted by itself.")
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
      names = "--fraud-users",
      defaultValue = "500",
      description =
          "Users U-1..U-n of the fraud world (30 days of transactions), served by the endpoint"
              + " fraud; 0 leaves it out.")
  int fraudUsers;

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
  private static final String FRAUD_MODEL = "fraud";
  private static final String FRAUD_SERVICE = "fraud_v1";
  private static final int FRAUD_DAYS = 30;
  private static final Duration CHAMPION_AGE = Duration.ofDays(14);
  // Half: with a few hundred customers (assignment is per customer) a smaller arm holds too few
  // for the experiment to decide within minutes.
  private static final int CHALLENGER_PERCENT = 50;

  private CycleReport lastCycle;
  private String fraudPair = "{\"user_id\":\"U-1\",\"merchant_id\":\"M-1\"}";

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
      // Retraining learns from the world's 30-day outcomes only: the load loop's live outcomes are
      // on the accelerated clock, for the experiment, and would label the wrong instants.
      settings.putIfAbsent(RetrainConfig.LABEL_SOURCE, ChurnWorld.OUTCOME_SOURCE);
      settings.putIfAbsent(RetrainConfig.FEATURE_SERVICE, "churn_v2");
      settings.putIfAbsent(RetrainConfig.CHALLENGER_PERCENT, Integer.toString(CHALLENGER_PERCENT));
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
      trainAndRetrain(config, registry, world, node);
      if (fraudUsers > 0) {
        serveFraud(config, registry, node);
      }
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
   * Trains v1 on the order features as the champion, on the labels up to two weeks ago as a model
   * in production would have been; then runs one retraining cycle (docs/TRAINING.md, "Retraining
   * loop") with the engagement features, which — if it passes the gates — registers v2 as
   * challenger with {@value #CHALLENGER_PERCENT}% of the traffic; the node promotes it by itself
   * once the experiment on the live outcomes says so.
   */
  private void trainAndRetrain(
      FeatureStoreConfig config, FeatureRegistry registry, ChurnWorld world, TesseraNode node) {
    List<WorldLabel> older = labelsBefore(world.labels(), CHAMPION_AGE);
    System.out.printf(
        "Training the champion, churn v1 (churn_v1: orders), on %,d labels older than %d days,"
            + " features replayed from the topics ...%n",
        older.size(), CHAMPION_AGE.toDays());
    EventLog log =
        EventLog.fromKafka(
            config.clientProperties(), config.topics(), registry.views(), Duration.ofMinutes(5));
    DemoTraining.Trained v1 =
        DemoTraining.train(
                registry,
                older,
                log,
                List.of("churn_v1"),
                Path.of(config.getString(FeatureStoreConfig.STATE_DIR)),
                new ProgressBar(System.err, "training set"))
            .get(0);
    int champion;
    try (var client = RegistryClient.open(config)) {
      champion =
          client
              .writer()
              .createVersion(
                  NewVersion.trained(
                      MODEL,
                      v1.service(),
                      v1.onnx(),
                      "demo champion on " + v1.service() + " (" + DemoTraining.PARAMS + ")",
                      v1.run(),
                      "tessera demo"))
              .version();
      client.writer().setAlias(MODEL, "champion", champion);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Integer.valueOf(champion).equals(node.modelRegistry().aliases(MODEL).get("champion"))
        && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
    node.configureEndpoint(championOnly(), "tessera demo");
    System.out.printf(
        "Registered %s v%d (champion, churn_v1). Retraining cycle: a candidate on churn_v2 (orders"
            + " + engagement), judged with the champion on the newest labels ...%n",
        MODEL, champion);
    lastCycle = node.retraining().runNow(TesseraNode.CHURN_ENDPOINT, false, "tessera demo");
    System.out.print(lastCycle.toText());
  }

  /**
   * The fraud world beside churn (docs/FEATURES.md, "Bring your own topics"): its users and
   * transactions produced to the topics the shipped definitions declare, a model trained on
   * fraud_v1 from a point-in-time replay of them, registered as fraud v1 (alias champion) and
   * served by the endpoint fraud.
   */
  private void serveFraud(FeatureStoreConfig config, FeatureRegistry registry, TesseraNode node) {
    FraudWorld world =
        FraudWorld.create(
            fraudUsers, FRAUD_DAYS, SEED, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    // The newest transaction's pair, so that the banner's lookup finds a transaction of the day.
    FraudTransaction newest = world.transactions().get(world.transactions().size() - 1);
    fraudPair =
        "{\"user_id\":\"" + newest.userId() + "\",\"merchant_id\":\"" + newest.merchantId() + "\"}";
    System.out.printf(
        "Producing the fraud world: %d users, %d days of card transactions ...%n",
        fraudUsers, FRAUD_DAYS);
    try (var producer =
            new FraudProducer(
                config.clientProperties(), config.topics().orders().partitions(), SEED);
        Stream<FraudEvent> history = world.history()) {
      history.forEach(producer::accept);
      producer.flush();
    }
    List<LabelRow> rows =
        world.labels().stream()
            .map(
                l ->
                    new LabelRow(
                        l.userId(),
                        l.ts(),
                        l.label(),
                        Map.of("amount", l.amount(), "lat", l.lat(), "lon", l.lon())))
            .toList();
    FeatureRegistry fraud = registry.forService(FRAUD_SERVICE);
    System.out.printf(
        "Training fraud v1 (%s) on %,d transactions, features replayed from the topics ...%n",
        FRAUD_SERVICE, rows.size());
    EventLog log =
        EventLog.fromKafka(
            config.clientProperties(), config.topics(), fraud.views(), Duration.ofMinutes(5));
    DemoTraining.Trained v1 =
        DemoTraining.train(
                fraud,
                FRAUD_MODEL,
                rows,
                log,
                List.of(FRAUD_SERVICE),
                Path.of(config.getString(FeatureStoreConfig.STATE_DIR)),
                new ProgressBar(System.err, "training set"))
            .get(0);
    int version;
    try (var client = RegistryClient.open(config)) {
      version =
          client
              .writer()
              .createVersion(
                  NewVersion.trained(
                      FRAUD_MODEL,
                      v1.service(),
                      v1.onnx(),
                      "demo fraud model on " + v1.service() + " (" + DemoTraining.PARAMS + ")",
                      v1.run(),
                      "tessera demo"))
              .version();
      client.writer().setAlias(FRAUD_MODEL, "champion", version);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Integer.valueOf(version)
            .equals(node.modelRegistry().aliases(FRAUD_MODEL).get("champion"))
        && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
    node.configureEndpoint(
        new EndpointConfig(
            FRAUD_MODEL,
            List.of(ServedEntity.ofAlias("champion", FRAUD_MODEL, "champion")),
            List.of(new Route("champion", 100)),
            FRAUD_MODEL,
            Guardrails.defaults()),
        "tessera demo");
    System.out.printf(
        "Registered %s v%d (champion, %s; holdout AUC %.4f), served by the endpoint fraud.%n",
        FRAUD_MODEL, version, FRAUD_SERVICE, v1.run().holdoutMetrics().auc());
  }

  private static List<WorldLabel> labelsBefore(List<WorldLabel> labels, Duration age) {
    Instant newest = labels.stream().map(WorldLabel::ts).max(Instant::compareTo).orElseThrow();
    return labels.stream().filter(l -> l.ts().isBefore(newest.minus(age))).toList();
  }

  /** The churn endpoint before the cycle: churn@champion alone, default guardrails. */
  static EndpointConfig championOnly() {
    return new EndpointConfig(
        TesseraNode.CHURN_ENDPOINT,
        List.of(ServedEntity.ofAlias("champion", MODEL, "champion")),
        List.of(new Route("champion", 100)),
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
          Models churn@champion = v1 (churn_v1); retraining cycle %s: %s
          A/B    endpoint churn, sticky per customer; a load loop scores %.0f requests/s and the
                 world reveals each outcome 5 s later; the node promotes the challenger by itself
                 when the experiment says so (watch: tessera report churn, endpoint events)
          Fraud  %s

        Try:
          curl -s %s/features/customer_churn/C-1
          curl -s '%s/features/customer_risk/C-1?amount=250&lat=52.52&lon=13.40'
          curl -s %s/serving-endpoints/churn/invocations -H 'Content-Type: application/json' \\
               -d '{"dataframe_records":[{"customer_id":"C-1"},{"customer_id":"C-2"}]}'
          curl -s %s/api/2.0/serving-endpoints/churn
          curl -s %s/serving-endpoints/fraud/invocations -H 'Content-Type: application/json' \\
               -d '{"dataframe_records":[{"user_id":"U-1","amount":900,"lat":40.42,"lon":-3.70}]}'
          curl -s %s/features/lookup -H 'Content-Type: application/json' \\
               -d '{"view":"user_merchant_transactions","rows":[%s]}'
          java -jar model-server/target/tessera.jar report churn     (after a minute or two)
          java -jar model-server/target/tessera.jar retrain churn --dry-run
          java -jar model-server/target/tessera.jar features describe customer_churn
          java -jar model-server/target/tessera.jar promote churn    (and: rollback churn)
          echo 'C-1|{"order_id":"my-1","customer_id":"C-1","order_ts":"%s","order_total":25.0,"product_category":"books"}' \\
               | kcat -b %s -t orders -P -K '|'
          echo 'C-1|not json' | kcat -b %s -t orders -P -K '|'
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
        lastCycle.cycle(),
        lastCycle.decision() == CycleReport.Decision.CHALLENGER
            ? "churn@challenger = v"
                + lastCycle.candidateVersion()
                + " (churn_v2), "
                + CHALLENGER_PERCENT
                + "% of the traffic"
            : lastCycle.decision() + " (" + lastCycle.reason() + ")",
        requestRate,
        fraudUsers > 0
            ? "endpoint fraud = fraud v1 (fraud_v1) on "
                + fraudUsers
                + " users' transactions and the users table (docs/DEMO-WORLD.md)"
            : "left out (--fraud-users 0)",
        http,
        http,
        http,
        http,
        http,
        http,
        fraudPair,
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
