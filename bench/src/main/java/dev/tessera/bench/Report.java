package dev.tessera.bench;

import ai.onnxruntime.OrtEnvironment;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ml.dmlc.xgboost4j.java.Booster;
import org.apache.kafka.common.utils.AppInfoParser;
import org.eclipse.jetty.util.Jetty;

/**
 * Writes the figures of a bench session into the marked blocks of {@code docs/BENCHMARKS.md}: the
 * machine and versions, then the median and the range of every measurement over the runs, checked
 * against the targets of DESIGN.md. The pipeline benchmarks go to the {@code bench:start} block,
 * the predict benchmark to {@code bench:predict:start}, the scoring benchmark to {@code
 * bench:scoring:start} and the restore benchmark to {@code bench:restore:start}; a session that ran
 * only some of them leaves the other blocks as they were.
 *
 * <pre>{@code
 * java -cp ... dev.tessera.bench.Report --results results.txt --doc docs/BENCHMARKS.md \
 *     --broker-version 4.3.1 --redis "redis-server 7.0.15"
 * }</pre>
 */
public final class Report {
  private static final Pattern JAR_VERSION = Pattern.compile("-([0-9][0-9A-Za-z.+-]*)\\.jar$");

  private Report() {}

  public static void main(String[] argv) throws IOException {
    BenchArgs args = BenchArgs.parse(argv);
    Map<String, List<Double>> results = Results.read(args.path("results"));
    Path doc = args.path("doc");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    boolean pipeline =
        results.keySet().stream()
            .anyMatch(k -> k.startsWith("ingest.") || k.startsWith("freshness."));
    if (pipeline) {
      String body =
          header(args, results)
              + new ResultsTable(results, args.longValue("budget-seconds", 0)).markdown()
              + "\n";
      text = MarkedBlock.replace(text, body);
    }
    if (ScoringTable.present(results)) {
      text =
          MarkedBlock.replace(
              text, "scoring", scoringHeader(args, results) + new ScoringTable(results).markdown());
    }
    if (RestoreTable.present(results)) {
      text =
          MarkedBlock.replace(
              text, "restore", restoreHeader(args, results) + new RestoreTable(results).markdown());
    }
    if (PredictTable.present(results)) {
      text =
          MarkedBlock.replace(
              text, "predict", predictHeader(args, results) + new PredictTable(results).markdown());
    }
    Files.writeString(doc, text, StandardCharsets.UTF_8);
    System.out.println("[bench] wrote the results of " + doc);
  }

  /**
   * The start every block shares: the marker comment, "### Latest TITLE: date", the machine with
   * {@code load}, and Java with the benchmark JVM's options up to the closing backtick.
   */
  private static String lead(BenchArgs args, String title, String load) {
    return "<!-- Written by scripts/bench.sh (dev.tessera.bench.Report); a new run replaces it. -->\n"
        + "### Latest "
        + title
        + ": "
        + LocalDate.now(ZoneOffset.UTC)
        + "\n\n"
        + "- Machine: "
        + Machine.describe()
        + "; 1-minute load average as each benchmark JVM started: "
        + load
        + ".\n"
        + "- Java: "
        + Machine.java()
        + ", benchmark JVM `"
        + args.string("jvm-options", "-Xmx2g");
  }

  private static String predictHeader(BenchArgs args, Map<String, List<Double>> results) {
    return lead(args, "predict run", load(results, name -> name.equals("load.predict")))
        + "`; Javalin "
        + Javalin.class.getPackage().getImplementationVersion()
        + " (Jetty "
        + Jetty.VERSION
        + "), ONNX Runtime "
        + OrtEnvironment.class.getPackage().getImplementationVersion()
        + "; Kafka broker "
        + args.string("broker-version", "?")
        + " on the same machine.\n"
        + "- Data: "
        + ResultsTable.count(results, "predict.preload.customers")
        + " customers with "
        + ResultsTable.count(results, "predict.preload.orders")
        + " orders and "
        + ResultsTable.count(results, "predict.preload.clicks")
        + " clicks over the last 30 days, in event-time order; each run's node caught up with them"
        + " before the load started.\n"
        + "- Load: one JVM holds the node, the no-op server and the load generator (blocking"
        + " keep-alive HTTP/1.1 connections, "
        + ResultsTable.count(results, "predict.workers")
        + " for the fixed rates); one-row MLflow `dataframe_records` of random preloaded customers."
        + " Latency runs from each request's intended start (open loop). Each benchmark ran "
        + args.string("runs", "?")
        + " times (a fresh JVM each); a figure is the median of the runs (min–max), a ratio the"
        + " median of the runs' ratios.\n\n";
  }

  private static String scoringHeader(BenchArgs args, Map<String, List<Double>> results) {
    List<Double> parity = results.getOrDefault("scoring.parity_max_diff", List.of());
    return lead(args, "scoring run", load(results, name -> name.equals("load.scoring")))
        + "`; ONNX Runtime "
        + OrtEnvironment.class.getPackage().getImplementationVersion()
        + ", XGBoost4J "
        + jarVersion(Booster.class)
        + ".\n"
        + "- Model: "
        + ResultsTable.count(results, "scoring.trees")
        + " trees of depth "
        + ResultsTable.count(results, "scoring.depth")
        + " on "
        + ResultsTable.count(results, "scoring.features")
        + " features (the `churn_v2` vector), trained with `XgboostTrainer` on synthetic"
        + " churn-shaped rows and exported with `XgboostOnnxExporter`; both engines one thread."
        + " Scores of the "
        + ResultsTable.count(results, "scoring.rows")
        + " benchmark rows agreed within "
        + (parity.isEmpty()
            ? "?"
            : String.format(
                Locale.ROOT,
                "%.1e",
                parity.stream().mapToDouble(Double::doubleValue).max().orElse(0)))
        + " (at most 1e-5 allowed), one row per call and in one batch.\n"
        + "- Each benchmark ran "
        + args.string("runs", "?")
        + " times (a fresh JVM each, the engines taking turns in short slices); a figure is the"
        + " median of the runs (min–max), a factor the median of the runs' factors.\n\n";
  }

  private static String restoreHeader(BenchArgs args, Map<String, List<Double>> results) {
    return lead(args, "restore run", load(results, name -> name.equals("load.restore")))
        + "`; Kafka broker "
        + args.string("broker-version", "?")
        + " (one standalone KRaft node on the same machine, same disk), Kafka Streams "
        + AppInfoParser.getVersion()
        + "; exactly-once v2, one stream thread, no standby, as a node runs.\n"
        + "- Data: "
        + ResultsTable.count(results, "restore.preload.customers")
        + " customers with "
        + ResultsTable.count(results, "restore.preload.orders")
        + " orders and "
        + ResultsTable.count(results, "restore.preload.clicks")
        + " clicks over the last 30 days, in event-time order; the shipped views worked through"
        + " them, stopped, lost their state dir and restored it from the changelogs.\n"
        + "- Each benchmark ran "
        + args.string("runs", "?")
        + " times (a fresh JVM and application each); a figure is the median of the runs, with"
        + " their min–max. A GB is 10^9 bytes of changelog log segments on the broker.\n\n";
  }

  /** A library's version from its jar's manifest, else from the jar's file name. */
  static String jarVersion(Class<?> type) {
    String version = type.getPackage().getImplementationVersion();
    if (version != null) {
      return version;
    }
    var source = type.getProtectionDomain().getCodeSource();
    if (source == null) {
      return "?";
    }
    return versionInJarName(source.getLocation().getPath());
  }

  /** {@code .../xgboost4j_2.12-3.0.4.jar} → {@code 3.0.4}; "?" if the name has no version. */
  static String versionInJarName(String path) {
    Matcher m = JAR_VERSION.matcher(path);
    return m.find() ? m.group(1) : "?";
  }

  private static String load(Map<String, List<Double>> results, Predicate<String> which) {
    var loads = new ArrayList<Double>();
    results.forEach(
        (name, values) -> {
          if (which.test(name)) {
            loads.addAll(values);
          }
        });
    return loads.isEmpty()
        ? "not recorded"
        : "median "
            + ResultsTable.number(Summary.of(loads).median())
            + ", range "
            + ResultsTable.number(Summary.of(loads).min())
            + "–"
            + ResultsTable.number(Summary.of(loads).max());
  }

  private static String header(BenchArgs args, Map<String, List<Double>> results) {
    String load =
        load(
            results,
            name ->
                name.startsWith("load.")
                    && !name.equals("load.predict")
                    && !name.equals("load.scoring")
                    && !name.equals("load.restore"));
    String redis = args.string("redis", "");
    return lead(args, "run", load + " (a busy machine shows here first)")
        + "`.\n"
        + "- Kafka: broker "
        + args.string("broker-version", "?")
        + " (one standalone KRaft node from `scripts/kafka-local.sh`, on the same machine);"
        + " Kafka Streams and clients "
        + AppInfoParser.getVersion()
        + "; exactly-once v2, commit interval 100 ms, one stream thread, as a node runs.\n"
        + "- Data: "
        + ResultsTable.count(results, "preload.customers")
        + " customer rows, "
        + ResultsTable.count(results, "preload.orders")
        + " orders and "
        + ResultsTable.count(results, "preload.clicks")
        + " clicks over the last 30 days, 3 partitions per topic, Avro single-object values,"
        + " preloaded with an idempotent producer at "
        + ResultsTable.count(results, "preload.events_per_s")
        + " events/s.\n"
        + "- Redis: "
        + (redis.isEmpty() ? "not measured" : redis)
        + ".\n"
        + "- Each benchmark ran "
        + args.string("runs", "?")
        + " times (a fresh JVM each, shipped and one-count alternating first); a figure is the"
        + " median of the runs, with their min–max. On the time-ordered history the shipped views"
        + " got "
        + args.string("budget-seconds", "?")
        + " s of processing per run. Freshness and lookups ran in the shipped pipeline of the"
        + " shuffled scenario once it had caught up, so its stores hold the full 30 days.\n\n";
  }
}
