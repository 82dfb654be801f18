package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.schemas.topic.TopicAdmin;
import dev.tessera.serving.demo.DemoOrders;
import dev.tessera.serving.demo.OrderProducer;
import dev.tessera.serving.demo.fraud.FraudEvent;
import dev.tessera.serving.demo.fraud.FraudFiles;
import dev.tessera.serving.demo.fraud.FraudLive;
import dev.tessera.serving.demo.fraud.FraudProducer;
import dev.tessera.serving.demo.fraud.FraudSink;
import dev.tessera.serving.demo.fraud.FraudTransaction;
import dev.tessera.serving.demo.fraud.FraudWorld;
import dev.tessera.serving.demo.world.ChurnWorld;
import dev.tessera.serving.demo.world.LiveWorld;
import dev.tessera.serving.demo.world.WorldEvent;
import dev.tessera.serving.demo.world.WorldFiles;
import dev.tessera.serving.demo.world.WorldLabel;
import dev.tessera.serving.demo.world.WorldProducer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tessera produce}: writes demo data. Without {@code --world}, demo orders to Kafka
 * (history, then a live stream). With {@code --world churn}, the churn demo world ({@link
 * ChurnWorld}): customers, orders, clicks and outcome labels, to Kafka or, with {@code --out}, to
 * files. With {@code --world fraud}, the card-fraud demo world ({@link FraudWorld}): users and
 * transactions as JSON, with a label per transaction, likewise.
 *
 * <pre>
 * tessera produce --history-days 30 --rate 20                      # demo orders, as before
 * tessera produce --world churn --customers 1000 --days 120 --rate 50
 * tessera produce --world churn --customers 5000 --days 180 --seed 7 --out world/
 * tessera produce --world fraud --customers 1000 --days 30 --out fraud/
 * tessera produce --world fraud --users 1000 --days 30 --rate 5   # to Kafka, then 5 live/s
 * </pre>
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Produce demo data to Kafka.",
      "",
      "Without --world: demo orders, --history-days of history, then --rate orders/s live.",
      "",
      "With --world churn: a world of --customers customers whose orders and clicks follow a"
          + " hidden churn propensity, --days of history up to --end, and churn labels (outcomes)"
          + " for weekly snapshots whose 30-day horizon closed before --end. Same --seed and"
          + " --end, same world. To Kafka: customers, orders, clicks, outcomes as fast as"
          + " possible, then --rate live events/s until --count events or Ctrl-C. With --out DIR:"
          + " <topic>.jsonl files (the JSON the topics accept) and labels.csv, plus --count live"
          + " events if given. See docs/DEMO-WORLD.md.",
      "",
      "With --world fraud: --customers (alias --users) card holders U-1..U-n in eight European"
          + " countries, --days (default 30) of their transactions up to --end, about 3%% of them"
          + " with bursts of fraud far from home, and a label per transaction. To Kafka: the"
          + " users (compacted) and transactions topics as JSON, then --rate live transactions/s"
          + " until --count or Ctrl-C. With --out DIR: users.jsonl, transactions.jsonl and"
          + " labels.csv (user_id,ts,label,amount,lat,lon), plus --count live transactions if"
          + " given.",
      ""
    })
final class ProduceCommand implements Callable<Integer> {
  /** The worlds {@code --world} knows. */
  enum World {
    churn,
    fraud
  }

  @Spec CommandSpec spec;

  @Mixin NodeOptions options;

  @Option(
      names = "--world",
      paramLabel = "NAME",
      description = "Generate a demo world instead of demo orders: ${COMPLETION-CANDIDATES}.")
  World world;

  @Option(
      names = {"--customers", "--users"},
      paramLabel = "N",
      defaultValue = "200",
      description =
          "Customers C-1..C-n, or with --world fraud users U-1..U-n (default ${DEFAULT-VALUE}).")
  int customers;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      defaultValue = "42",
      description = "Random seed (default 42).")
  long seed;

  @Option(
      names = "--days",
      paramLabel = "DAYS",
      description =
          "World: days of history before --end (churn: default 120, labels need more than 60;"
              + " fraud: default 30).")
  Integer days;

  @Option(
      names = "--end",
      paramLabel = "INSTANT",
      description =
          "World: end of the history, ISO-8601 such as 2026-06-01T00:00:00Z (default: now).")
  Instant end;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "World: write files to DIR instead of Kafka.")
  Path out;

  @Option(
      names = "--history-days",
      paramLabel = "DAYS",
      description =
          "Demo orders: days of history to produce first (at most 30 count for orders_30d;"
              + " default 0).")
  Integer historyDays;

  @Option(
      names = "--rate",
      paramLabel = "PER_SECOND",
      defaultValue = "10",
      description =
          "Live events (orders without --world, transactions with --world fraud) per second; 0:"
              + " no live phase (default 10).")
  double rate;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after this many live events (0: until Ctrl-C; with --out: none).")
  long count;

  @Override
  public Integer call() {
    validate();
    if (world == null) {
      produceOrders();
      return 0;
    }
    Instant until = end != null ? end : Instant.now().truncatedTo(ChronoUnit.SECONDS);
    if (world == World.fraud) {
      FraudWorld fraud = FraudWorld.create(customers, days == null ? 30 : days, seed, until);
      if (out != null) {
        writeFraudFiles(fraud);
      } else {
        produceFraud(fraud);
      }
      return 0;
    }
    ChurnWorld churn = ChurnWorld.create(customers, days == null ? 120 : days, seed, until);
    if (out != null) {
      writeFiles(churn);
    } else {
      produceWorld(churn);
    }
    return 0;
  }

  private void validate() {
    if (customers < 1) {
      throw invalid("--customers must be at least 1, got " + customers);
    }
    if (!Double.isFinite(rate) || rate < 0) {
      throw invalid("--rate must be a number >= 0, got " + rate);
    }
    if (count < 0) {
      throw invalid("--count must be >= 0, got " + count);
    }
    if (world == null) {
      String worldOnly =
          days != null ? "--days" : end != null ? "--end" : out != null ? "--out" : null;
      if (worldOnly != null) {
        throw invalid(
            worldOnly
                + " needs --world churn or --world fraud (for demo orders use --history-days)");
      }
      if (historyDays != null && historyDays < 0) {
        throw invalid("--history-days must be >= 0, got " + historyDays);
      }
      return;
    }
    if (historyDays != null) {
      throw invalid("--history-days is for demo orders; with --world use --days");
    }
    if (days != null && days < 1) {
      throw invalid("--days must be at least 1, got " + days);
    }
    if (out != null && count > 0 && rate == 0) {
      throw invalid("--count live events need a --rate > 0 to space their event times");
    }
  }

  private ParameterException invalid(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private void produceOrders() {
    var signal = new ShutdownSignal();
    var config = new FeatureStoreConfig(options.settings());
    try (Admin admin = Admin.create(config.clientProperties())) {
      TopicAdmin.ensure(admin, config.topics().all(), Duration.ofSeconds(30));
    }
    var demo = new DemoOrders(customers, seed);
    int history = historyDays == null ? 0 : historyDays;
    try (var producer = new OrderProducer(config.topics().orders(), config.clientProperties())) {
      if (history > 0) {
        producer.send(demo.history(Instant.now(), Duration.ofDays(history)));
        System.out.printf("Produced %d historical orders%n", producer.produced());
      }
      if (rate > 0) {
        producer.stream(demo, rate, count, signal::isRequested);
      }
      System.out.printf("Produced %d orders in all%n", producer.produced());
    } finally {
      signal.finished();
    }
  }

  private void writeFiles(ChurnWorld churn) {
    PrintWriter stdout = spec.commandLine().getOut();
    describe(churn, stdout);
    Map<String, Long> counts;
    try (WorldFiles.Writer writer = WorldFiles.open(out)) {
      churn.history().forEach(writer::accept);
      WorldFiles.writeLabels(out.resolve(WorldFiles.LABELS_FILE), churn.labels());
      stdout.printf("History: %s%n", summary(writer.counts()));
      if (count > 0) {
        LiveWorld live = churn.live(churn.end(), rate);
        for (long i = 0; i < count && live.hasNext(); i++) {
          writer.accept(live.next());
        }
        stdout.printf(
            "Live:    %d events from %s at %s/s of event time%n", count, churn.end(), rate);
      }
      counts = writer.counts();
    }
    stdout.printf(
        "Wrote %s and %s to %s%n",
        counts.keySet().stream().map(WorldFiles::fileName).collect(Collectors.joining(", ")),
        WorldFiles.LABELS_FILE,
        out);
    stdout.flush();
  }

  private void produceWorld(ChurnWorld churn) {
    PrintWriter stdout = spec.commandLine().getOut();
    var signal = new ShutdownSignal();
    try {
      var config = new FeatureStoreConfig(options.settings());
      try (Admin admin = Admin.create(config.clientProperties())) {
        TopicAdmin.ensure(admin, config.topics().all(), Duration.ofSeconds(30));
      }
      describe(churn, stdout);
      try (var producer = new WorldProducer(config.topics(), config.clientProperties())) {
        long started = System.nanoTime();
        // A large history takes a while: Ctrl-C stops it too (the shutdown hook waits a minute).
        Iterator<WorldEvent> history = churn.history().iterator();
        while (history.hasNext() && !signal.isRequested()) {
          producer.accept(history.next());
        }
        producer.flush();
        double seconds = (System.nanoTime() - started) / 1e9;
        stdout.printf(
            "History: %s in %.1f s%s%n",
            summary(producer.counts()),
            seconds,
            history.hasNext() ? " (stopped early by Ctrl-C)" : "");
        stdout.flush();
        if (rate > 0 && !signal.isRequested()) {
          // Live event times start now (or at --end if that is later) and advance with the clock.
          Instant from = Instant.now().isAfter(churn.end()) ? Instant.now() : churn.end();
          stdout.printf(
              "Live:    %s events/s from %s, %s (Ctrl-C stops)%n",
              rate,
              from.truncatedTo(ChronoUnit.SECONDS),
              count == 0 ? "no limit" : count + " events");
          stdout.flush();
          long sent = producer.stream(churn.live(from, rate), count, signal::isRequested);
          stdout.printf("Live:    %d events sent%n", sent);
        }
        stdout.printf("Produced %s in all%n", summary(producer.counts()));
        stdout.flush();
      }
    } finally {
      signal.finished();
    }
  }

  private void describe(ChurnWorld churn, PrintWriter stdout) {
    List<WorldLabel> labels = churn.labels();
    long positives = labels.stream().filter(l -> l.label() == 1).count();
    long churned = churn.truth().stream().filter(t -> t.churnsBefore(churn.end())).count();
    stdout.printf(
        "World churn: %d customers, %d days from %s to %s, seed %d; %d churned by the end%n",
        churn.customerCount(), churn.days(), churn.start(), churn.end(), churn.seed(), churned);
    if (labels.isEmpty()) {
      stdout.printf(
          "Labels:  none: a snapshot needs 30 days of history before it and 30 days after it;"
              + " use --days 61 or more%n");
    } else {
      stdout.printf(
          "Labels:  %d (%.1f%% positive) at %d weekly snapshots from %s to %s%n",
          labels.size(),
          100.0 * positives / labels.size(),
          churn.snapshots().size(),
          labels.get(0).ts(),
          labels.get(labels.size() - 1).ts());
    }
    stdout.flush();
  }

  private void writeFraudFiles(FraudWorld fraud) {
    PrintWriter stdout = spec.commandLine().getOut();
    describe(fraud, stdout);
    Map<String, Long> counts;
    try (FraudFiles.Writer writer = FraudFiles.open(out)) {
      long frauds = sendHistory(fraud, writer, () -> false);
      stdout.printf("History: %s (%s)%n", summary(writer.counts()), fraudShare(frauds, writer));
      if (count > 0) {
        FraudLive live = fraud.live(fraud.end(), rate);
        for (long i = 0; i < count; i++) {
          writer.accept(live.next());
        }
        stdout.printf(
            "Live:    %d transactions from %s at %s/s of event time%n", count, fraud.end(), rate);
      }
      counts = writer.counts();
    }
    stdout.printf(
        "Wrote %s and %s to %s%n",
        counts.keySet().stream().map(FraudFiles::fileName).collect(Collectors.joining(", ")),
        FraudFiles.LABELS_FILE,
        out);
    stdout.flush();
  }

  private void produceFraud(FraudWorld fraud) {
    PrintWriter stdout = spec.commandLine().getOut();
    var signal = new ShutdownSignal();
    try {
      var config = new FeatureStoreConfig(options.settings());
      // As many partitions as the event topics: the node checks that the topics read for one
      // entity agree, and creates declared topics so too.
      var events = config.topics().orders();
      Map<String, Integer> partitions;
      try (Admin admin = Admin.create(config.clientProperties())) {
        partitions =
            TopicAdmin.ensure(
                admin,
                FraudProducer.topics(events.partitions(), events.replicationFactor()),
                Duration.ofSeconds(30));
      }
      describe(fraud, stdout);
      try (var producer =
          new FraudProducer(
              config.clientProperties(), partitions.get(FraudEvent.TRANSACTIONS), seed)) {
        long started = System.nanoTime();
        // A large history takes a while: Ctrl-C stops it too (the shutdown hook waits a minute).
        long frauds = sendHistory(fraud, producer, signal::isRequested);
        producer.flush();
        double seconds = (System.nanoTime() - started) / 1e9;
        stdout.printf(
            "History: %s (%s) in %.1f s%s%n",
            summary(producer.counts()),
            fraudShare(frauds, producer),
            seconds,
            signal.isRequested() ? " (stopped early by Ctrl-C)" : "");
        stdout.flush();
        if (rate > 0 && !signal.isRequested()) {
          // Live event times start now (or at --end if that is later) and advance with the clock.
          Instant from = Instant.now().isAfter(fraud.end()) ? Instant.now() : fraud.end();
          stdout.printf(
              "Live:    %s transactions/s from %s, %s (Ctrl-C stops)%n",
              rate,
              from.truncatedTo(ChronoUnit.SECONDS),
              count == 0 ? "no limit" : count + " transactions");
          stdout.flush();
          long sent = producer.stream(fraud.live(from, rate), count, signal::isRequested);
          stdout.printf("Live:    %d transactions sent%n", sent);
        }
        stdout.printf("Produced %s in all%n", summary(producer.counts()));
        stdout.flush();
      }
    } finally {
      signal.finished();
    }
  }

  /** Sends the history until {@code stop}; returns the number of fraud transactions sent. */
  private static long sendHistory(FraudWorld fraud, FraudSink sink, BooleanSupplier stop) {
    long frauds = 0;
    try (Stream<FraudEvent> history = fraud.history()) {
      Iterator<FraudEvent> events = history.iterator();
      while (events.hasNext() && !stop.getAsBoolean()) {
        FraudEvent event = events.next();
        sink.accept(event);
        if (event instanceof FraudTransaction t && t.fraud()) {
          frauds++;
        }
      }
    }
    return frauds;
  }

  private static String fraudShare(long frauds, FraudSink sink) {
    long transactions = sink.counts().getOrDefault(FraudEvent.TRANSACTIONS, 0L);
    return String.format(
        "%,d fraud, %.2f%%", frauds, transactions == 0 ? 0.0 : 100.0 * frauds / transactions);
  }

  private void describe(FraudWorld fraud, PrintWriter stdout) {
    stdout.printf(
        "World fraud: %d users, %d days from %s to %s, seed %d; %d move, %d victims of %d fraud"
            + " episodes%n",
        fraud.userCount(),
        fraud.days(),
        fraud.start(),
        fraud.end(),
        fraud.seed(),
        fraud.moves().size(),
        fraud.victims().size(),
        fraud.episodeCount());
    stdout.flush();
  }

  private static String summary(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .map(e -> String.format("%,d %s", e.getValue(), e.getKey()))
        .collect(Collectors.joining(", "));
  }
}
