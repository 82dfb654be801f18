package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.serving.config.ServingConfig;
import dev.tessera.serving.demo.DemoOrders;
import dev.tessera.serving.demo.EmbeddedKafka;
import dev.tessera.serving.demo.OrderProducer;
import dev.tessera.serving.node.TesseraNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tessera demo}: the whole system on one machine. Starts its own Kafka broker on
 * 127.0.0.1:9092 unless {@code --bootstrap-servers} names a running cluster, serves HTTP on
 * 127.0.0.1:8080, loads demo history and keeps producing live orders until Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run everything locally: Kafka (unless --bootstrap-servers), node, demo orders.")
final class DemoCommand implements Callable<Integer> {
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

  @Option(names = "--customers", defaultValue = "200", description = "Demo customers C-1..C-n.")
  int customers;

  @Option(names = "--history-days", defaultValue = "30", description = "Days of history.")
  int historyDays;

  @Option(names = "--rate", defaultValue = "5", description = "Live orders per second.")
  double rate;

  @Override
  public Integer call() throws Exception {
    var signal = new ShutdownSignal();
    EmbeddedKafka kafka = null;
    try {
      Map<String, String> settings = options.settings();
      if (options.bootstrapServers == null) {
        wipe(dataDir);
        requireFree("127.0.0.1", kafkaPort);
        System.out.printf("Starting Kafka on 127.0.0.1:%d (in-process) ...%n", kafkaPort);
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), "127.0.0.1", kafkaPort);
        settings.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      }
      settings.putIfAbsent(FeatureStoreConfig.STATE_DIR, dataDir.resolve("state").toString());
      settings.putIfAbsent(FeatureStoreConfig.APPLICATION_ID, "tessera-demo");
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
    try (TesseraNode node = TesseraNode.start(settings);
        var producer = new OrderProducer(config.topics().orders(), config.clientProperties())) {
      var demo = new DemoOrders(customers, 42);
      sendCustomers(config, demo.customers(Instant.now(), 42));
      producer.send(demo.history(Instant.now(), Duration.ofDays(historyDays)));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!node.featuresReady() && System.nanoTime() < deadline && !signal.isRequested()) {
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }
      printBanner(config.bootstrapServers(), new ServingConfig(settings).httpHost(), node);
      producer.stream(demo, rate, 0, signal::isRequested);
      System.out.printf("%nStopping: produced %d orders.%n", producer.produced());
    }
  }

  private static void sendCustomers(FeatureStoreConfig config, List<Customer> rows)
      throws Exception {
    Topic<String, Customer> topic = config.topics().customers();
    try (var producer =
        topic.idempotentProducer(config.clientProperties(), "tessera-demo-customers")) {
      for (Customer c : rows) {
        producer.send(new ProducerRecord<>(topic.name(), c.getCustomerId(), c));
      }
      producer.flush();
    }
  }

  private void printBanner(String bootstrap, String host, TesseraNode node) {
    String http = "http://" + host + ":" + node.httpPort();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    System.out.printf(
        """

        Tessera demo is running (streams %s).
          Kafka  %s
          HTTP   %s
          Data   %s customers C-1..C-%d, %d days of orders, %.0f new orders/s

        Try:
          curl -s %s/features/customer_churn/C-1
          curl -s '%s/features/customer_risk/C-1?amount=250&lat=52.52&lon=13.40'
          curl -s %s/serving-endpoints/churn/invocations -H 'Content-Type: application/json' \\
               -d '{"dataframe_records":[{"customer_id":"C-1"},{"customer_id":"C-2"}]}'
          echo 'C-1|{"order_id":"my-1","customer_id":"C-1","order_ts":"%s","order_total":25.0,"product_category":"books"}' \\
               | kcat -b %s -X partitioner=murmur2_random -t orders -P -K '|'
          echo 'C-1|not json' | kcat -b %s -X partitioner=murmur2_random -t orders -P -K '|'
          kcat -b %s -t tessera-dlq -C -e -f 'reason=%%h\\n%%s\\n'
          kcat -b %s -t predictions -C -e -o -5 -f '%%k %%S bytes\\n'
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
        http,
        http,
        http,
        now,
        bootstrap,
        bootstrap,
        bootstrap,
        bootstrap,
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

  private static void wipe(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not clear demo data dir " + dir, e);
    }
  }
}
