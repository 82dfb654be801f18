package dev.tessera.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Writes the figures of a bench session into the marked block of {@code docs/BENCHMARKS.md}: the
 * machine and versions, then the median and the range of every measurement over the runs, checked
 * against the targets of DESIGN.md.
 *
 * <pre>{@code
 * java -cp ... dev.tessera.bench.Report --results results.txt --doc docs/BENCHMARKS.md \
 *     --broker-version 4.3.1 --redis "redis-server 7.0.15"
 * }</pre>
 */
public final class Report {
  private Report() {}

  public static void main(String[] argv) throws IOException {
    BenchArgs args = BenchArgs.parse(argv);
    Map<String, List<Double>> results = Results.read(args.path("results"));
    Path doc = args.path("doc");
    String body =
        header(args, results)
            + new ResultsTable(results, args.longValue("budget-seconds", 0)).markdown()
            + "\n";
    String old = Files.readString(doc, StandardCharsets.UTF_8);
    Files.writeString(doc, MarkedBlock.replace(old, body), StandardCharsets.UTF_8);
    System.out.println("[bench] wrote the results block of " + doc);
  }

  private static String header(BenchArgs args, Map<String, List<Double>> results) {
    var loads = new ArrayList<Double>();
    results.forEach(
        (name, values) -> {
          if (name.startsWith("load.")) {
            loads.addAll(values);
          }
        });
    String load =
        loads.isEmpty()
            ? "not recorded"
            : "median "
                + ResultsTable.number(Summary.of(loads).median())
                + ", range "
                + ResultsTable.number(Summary.of(loads).min())
                + "–"
                + ResultsTable.number(Summary.of(loads).max());
    String redis = args.string("redis", "");
    return "<!-- Written by scripts/bench.sh (dev.tessera.bench.Report); a new run replaces it. -->\n"
        + "### Latest run: "
        + LocalDate.now(ZoneOffset.UTC)
        + "\n\n"
        + "- Machine: "
        + Machine.describe()
        + "; 1-minute load average as each benchmark JVM started: "
        + load
        + " (a busy machine shows here first).\n"
        + "- Java: "
        + Machine.java()
        + ", benchmark JVM `"
        + args.string("jvm-options", "-Xmx2g")
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
