package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.schemas.topic.TopicAdmin;
import dev.tessera.serving.demo.DemoOrders;
import dev.tessera.serving.demo.OrderProducer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tessera produce}: writes demo orders to Kafka (history, then a live stream). */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = "Produce demo orders: --history-days of history, then --rate orders/s live.")
final class ProduceCommand implements Callable<Integer> {
  @Mixin NodeOptions options;

  @Option(names = "--customers", defaultValue = "200", description = "Customers C-1..C-n.")
  int customers;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed.")
  long seed;

  @Option(
      names = "--history-days",
      defaultValue = "0",
      description = "Days of history to produce first (at most 30 count for orders_30d).")
  int historyDays;

  @Option(names = "--rate", defaultValue = "10", description = "Live orders per second.")
  double rate;

  @Option(
      names = "--count",
      defaultValue = "0",
      description = "Stop after this many live orders (0: until Ctrl-C).")
  long count;

  @Override
  public Integer call() {
    var signal = new ShutdownSignal();
    var config = new FeatureStoreConfig(options.settings());
    try (Admin admin = Admin.create(config.clientProperties())) {
      TopicAdmin.ensure(admin, config.topics().all(), Duration.ofSeconds(30));
    }
    var demo = new DemoOrders(customers, seed);
    try (var producer = new OrderProducer(config.topics().orders(), config.clientProperties())) {
      if (historyDays > 0) {
        producer.send(demo.history(Instant.now(), Duration.ofDays(historyDays)));
        System.out.printf("Produced %d historical orders%n", producer.produced());
      }
      if (rate > 0) {
        producer.stream(demo, rate, count, signal::isRequested);
      }
      System.out.printf("Produced %d orders in all%n", producer.produced());
    } finally {
      signal.finished();
    }
    return 0;
  }
}
