package dev.tessera.bench;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.schemas.topic.TopicAdmin;
import dev.tessera.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * Creates Tessera's topics (3 partitions) and fills them with a customer row per customer and
 * {@code --events} orders and clicks of the last {@code --span-hours} (default 30 days), Avro
 * single-object encoded, with an idempotent producer. The ingestion benchmark then replays them.
 * {@code --order time} (default) writes them in event-time order, as a live shop fills its topics;
 * {@code --order shuffled} in random order, as a bulk backfill might. {@code --placement misplaced}
 * puts every event on another partition than its key hashes to, as librdkafka's default partitioner
 * puts most keys (default {@code key}: where Java's partitioner puts them). {@code --reset true}
 * first deletes the event topics. Figures go to {@code preload.*}, or {@code <prefix>.*} with
 * {@code --results-prefix}.
 *
 * <pre>{@code
 * java -cp ... dev.tessera.bench.Preload --bootstrap 127.0.0.1:9092 --events 1000000 \
 *     --customers 10000 --results results.txt
 * }</pre>
 */
public final class Preload {
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private Preload() {}

  public static void main(String[] argv) {
    BenchArgs args = BenchArgs.parse(argv);
    String bootstrap = args.required("bootstrap");
    long events = args.longValue("events", 1_000_000);
    int customers = args.intValue("customers", 10_000);
    Path results = args.path("results");
    String prefix = args.string("results-prefix", "preload");
    var generator =
        new EventGenerator(
            customers,
            args.longValue("seed", 42),
            Instant.now(),
            Duration.ofHours(args.longValue("span-hours", 30 * 24)));

    boolean misplaced = args.string("placement", "key").equals("misplaced");
    String order = args.string("order", "time");
    if (!order.equals("time") && !order.equals("shuffled")) {
      throw new IllegalArgumentException("--order is time or shuffled, got " + order);
    }
    TopicCatalog topics = TopicCatalog.defaults();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      if (Boolean.parseBoolean(args.string("reset", "false"))) {
        EventTopics.delete(admin, topics, ADMIN_TIMEOUT);
      }
      TopicAdmin.ensure(admin, topics.all(), ADMIN_TIMEOUT);
      EventTopics.awaitLeaders(admin, topics, ADMIN_TIMEOUT);
    }
    long started = System.nanoTime();
    var failure = new AtomicReference<Exception>();
    Callback check = (meta, e) -> failure.compareAndSet(null, e);
    var counts = new Counts();
    try (var orders = producer(topics.orders(), bootstrap);
        var clicks = producer(topics.clicks(), bootstrap);
        var profiles = producer(topics.customers(), bootstrap)) {
      for (int c = 0; c < customers; c++) {
        Customer row = generator.customer(c);
        profiles.send(
            new ProducerRecord<>(
                topics.customers().name(),
                null,
                row.getSignupTs().toEpochMilli(),
                row.getCustomerId(),
                row),
            check);
      }
      EventGenerator.Sink send =
          new EventGenerator.Sink() {
            @Override
            public void order(Order o) {
              counts.orders++;
              orders.send(
                  record(topics.orders(), o.getCustomerId(), o.getOrderTs(), o, misplaced), check);
            }

            @Override
            public void click(Click c) {
              counts.clicks++;
              clicks.send(
                  record(topics.clicks(), c.getCustomerId(), c.getEventTs(), c, misplaced), check);
            }
          };
      if (order.equals("time")) {
        generator.events(events, send);
      } else {
        shuffled(generator, events, args.longValue("seed", 42), send);
      }
      orders.flush();
      clicks.flush();
      profiles.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("Preload failed to produce", failure.get());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long total = events + customers;
    Results.append(results, prefix + ".events", total);
    Results.append(results, prefix + ".customers", customers);
    Results.append(results, prefix + ".orders", counts.orders);
    Results.append(results, prefix + ".clicks", counts.clicks);
    Results.append(results, prefix + ".events_per_s", total / seconds);
  }

  private static final class Counts {
    long orders;
    long clicks;
  }

  /** The same events in a random order, as a bulk export (e.g. sorted by anything but time). */
  private static void shuffled(
      EventGenerator generator, long events, long seed, EventGenerator.Sink sink) {
    var all = new ArrayList<Object>();
    generator.events(
        events,
        new EventGenerator.Sink() {
          @Override
          public void order(Order o) {
            all.add(o);
          }

          @Override
          public void click(Click c) {
            all.add(c);
          }
        });
    Collections.shuffle(all, new Random(seed));
    for (Object event : all) {
      if (event instanceof Order o) {
        sink.order(o);
      } else {
        sink.click((Click) event);
      }
    }
  }

  /**
   * An event's record, on the partition the producer's default partitioner gives its key, or, when
   * {@code misplaced}, on the next one: never where a lookup reads it.
   */
  private static <V> ProducerRecord<String, V> record(
      Topic<String, V> topic, String key, Instant time, V value, boolean misplaced) {
    Integer partition =
        misplaced
            ? (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) + 1)
                % topic.partitions()
            : null;
    // The record timestamp is the event time, so a topology without an extractor sees it too.
    return new ProducerRecord<>(topic.name(), partition, time.toEpochMilli(), key, value);
  }

  /** Idempotent, batched for bulk loading; the default partitioner puts keys where lookups go. */
  private static <V> KafkaProducer<String, V> producer(Topic<String, V> topic, String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            20,
            ProducerConfig.BATCH_SIZE_CONFIG,
            256 * 1024,
            ProducerConfig.CLIENT_ID_CONFIG,
            "tessera-bench-preload-" + topic.name()),
        topic.keySerde().serializer(),
        topic.valueSerde().serializer());
  }
}
