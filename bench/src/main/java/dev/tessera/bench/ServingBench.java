package dev.tessera.bench;

import dev.tessera.features.FeaturePipeline;
import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.query.FeatureLookup;
import dev.tessera.features.query.FeatureRouter;
import dev.tessera.features.query.FeatureStoreAccess;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.features.query.ViewLookup;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.topic.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * What a caught-up feature pipeline serves: a check that every preloaded order was counted, then
 * freshness (produce → visible, {@link FreshnessProbe}) and single-thread lookup latency of whole
 * vectors ({@link LookupLatency}) through the node's router, and through a plain local {@link
 * FeatureLookup} for comparison.
 */
final class ServingBench {
  private static final Map<String, Double> RISK_REQUEST =
      Map.of("amount", 120.0, "lat", 48.14, "lon", 11.58);

  private final FeaturePipeline pipeline;
  private final FeatureStoreConfig config;
  private final Path results;
  private final EventGenerator customers;
  private final String[] keys;
  private final BenchArgs args;

  ServingBench(FeaturePipeline pipeline, FeatureStoreConfig config, BenchArgs args, Path results) {
    this.pipeline = pipeline;
    this.config = config;
    this.args = args;
    this.results = results;
    // Only the customer ids and homes matter here; the seed makes them the preloaded ones.
    this.customers =
        new EventGenerator(
            args.intValue("customers", 10_000),
            args.longValue("seed", 42),
            Instant.now(),
            Duration.ofDays(30));
    this.keys = new String[customers.customers()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = EventGenerator.customerId(i);
    }
  }

  void run() throws InterruptedException {
    FeatureRouter router = pipeline.router();
    checkEveryOrderCounted(router);
    freshness(router);
    Duration warmup = Duration.ofSeconds(args.longValue("lookup-warmup-seconds", 2));
    Duration measure = Duration.ofSeconds(args.longValue("lookup-seconds", 6));
    long now = System.currentTimeMillis();
    Results.append(
        results,
        "lookup.churn.columns",
        router.lookup(ShippedFeatures.CUSTOMER_CHURN, keys[0], now, Map.of()).values().length);
    LookupLatency.measure(
            key -> sum(router.lookup(ShippedFeatures.CUSTOMER_CHURN, key, now(), Map.of())),
            keys,
            warmup,
            measure)
        .append(results, "lookup.churn");
    LookupLatency.measure(
            key -> sum(router.lookup(ShippedFeatures.CUSTOMER_RISK, key, now(), RISK_REQUEST)),
            keys,
            warmup,
            measure)
        .append(results, "lookup.risk");
    ViewLookup local =
        new FeatureLookup(FeatureStoreAccess.of(pipeline.streams()), ShippedFeatures.registry());
    LookupLatency.measure(
            key -> sum(local.lookup(ShippedFeatures.CUSTOMER_CHURN, key, now(), Map.of())),
            keys,
            warmup,
            measure)
        .append(results, "lookup.churn-local");
  }

  /** Every preloaded order is in some customer's total_orders (also warms the lookup path up). */
  private void checkEveryOrderCounted(FeatureRouter router) {
    long counted = 0;
    long now = now();
    for (String key : keys) {
      counted +=
          (long)
              router
                  .lookup(ShippedFeatures.CUSTOMER_CHURN, key, now, Map.of())
                  .value("total_orders");
    }
    long produced = ordersOnTopic();
    if (counted != produced) {
      throw new IllegalStateException(
          "total_orders of all customers sum to " + counted + ", but " + produced + " were sent");
    }
  }

  private void freshness(FeatureRouter router) throws InterruptedException {
    Topic<String, Order> orders = pipeline.topics().orders();
    var probe = new FreshnessProbe(router, customers, args.doubleValue("freshness-rate", 200));
    Histogram micros;
    try (KafkaProducer<String, Order> producer =
        orders.idempotentProducer(config.clientProperties(), "tessera-bench-freshness")) {
      micros =
          probe.run(
              o -> producer.send(new ProducerRecord<>(orders.name(), o.getCustomerId(), o)),
              Duration.ofSeconds(args.longValue("freshness-warmup-seconds", 12)),
              Duration.ofSeconds(args.longValue("freshness-seconds", 12)));
    }
    Results.append(results, "freshness.p50_ms", micros.getValueAtPercentile(50) / 1e3);
    Results.append(results, "freshness.p99_ms", micros.getValueAtPercentile(99) / 1e3);
    Results.append(results, "freshness.max_ms", micros.getMaxValue() / 1e3);
    Results.append(results, "freshness.samples", micros.getTotalCount());
    Results.append(results, "freshness.given_up", probe.givenUp());
    // Under exactly-once a commit (flush every store, end the transaction) stalls processing:
    // what the stream thread reported for its commits over the last minute or so.
    Results.append(results, "freshness.commit_latency_avg_ms", threadMetric("commit-latency-avg"));
    Results.append(results, "freshness.commit_latency_max_ms", threadMetric("commit-latency-max"));
  }

  private double threadMetric(String name) {
    return pipeline.streams().metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals(name))
        .filter(e -> e.getKey().group().equals("stream-thread-metrics"))
        .map(e -> e.getValue().metricValue())
        .filter(v -> v instanceof Number)
        .mapToDouble(v -> ((Number) v).doubleValue())
        .max()
        .orElse(Double.NaN);
  }

  private long ordersOnTopic() {
    Topic<String, Order> orders = pipeline.topics().orders();
    var specs = new java.util.HashMap<TopicPartition, OffsetSpec>();
    for (int p = 0; p < orders.partitions(); p++) {
      specs.put(new TopicPartition(orders.name(), p), OffsetSpec.latest());
    }
    try (Admin admin = Admin.create(config.clientProperties())) {
      return admin.listOffsets(specs).all().get(10, TimeUnit.SECONDS).values().stream()
          .mapToLong(i -> i.offset())
          .sum();
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new KafkaException("Cannot read end offsets of " + orders.name(), e);
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static double sum(FeatureVector v) {
    double s = 0;
    for (double x : v.values()) {
      s += x;
    }
    return s;
  }
}
