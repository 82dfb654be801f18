package dev.tessera.serving.experiment;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Layout of {@value EvaluationTopology#STATS_STORE}: small records per (endpoint, variant) so that
 * one row rewrites a few bytes, not the whole histogram.
 *
 * <ul>
 *   <li>{@code <endpoint>\0<variant>\0c} → predictions, errors, log loss nano-nats (3 longs)
 *   <li>{@code <endpoint>\0<variant>\0l} → the latency KLL sketch
 *   <li>{@code <endpoint>\0<variant>\0h<bin, 5 digits>} → positives, negatives of the bin (2
 *       longs), deleted when both are 0
 * </ul>
 *
 * A store holds one partition's partials; {@link #read} merges every entry it is given, so reading
 * a composite store over all local partitions merges them.
 */
final class StatsStore {
  private static final char SEP = '\0';

  private final KeyValueStore<String, byte[]> store;

  StatsStore(KeyValueStore<String, byte[]> store) {
    this.store = store;
  }

  private static String prefix(String endpoint, String variant) {
    return endpoint + SEP + variant + SEP;
  }

  void addPrediction(String endpoint, String variant, double score, long latencyUs) {
    String prefix = prefix(endpoint, variant);
    addCounters(prefix, 1, VariantStats.isError(score) ? 1 : 0, 0);
    String latencyKey = prefix + 'l';
    byte[] bytes = store.get(latencyKey);
    var sketch =
        bytes == null
            ? org.apache.datasketches.kll.KllDoublesSketch.newHeapInstance(VariantStats.KLL_K)
            : VariantStats.latencyFrom(bytes);
    sketch.update(latencyUs);
    store.put(latencyKey, sketch.toByteArray());
  }

  /** Adds ({@code sign} 1) or takes back ({@code sign} -1) a labelled row. */
  void addLabelled(String endpoint, String variant, double score, int label, int sign) {
    String prefix = prefix(endpoint, variant);
    addCounters(prefix, 0, 0, sign * Statistics.logLossNanos(score, label));
    String binKey = prefix + 'h' + pad5(ScoreHistogram.bin(score));
    byte[] bytes = store.get(binKey);
    long positives = 0;
    long negatives = 0;
    if (bytes != null) {
      var buffer = ByteBuffer.wrap(bytes);
      positives = buffer.getLong();
      negatives = buffer.getLong();
    }
    if (label == 1) {
      positives += sign;
    } else {
      negatives += sign;
    }
    if (positives == 0 && negatives == 0) {
      store.delete(binKey);
    } else {
      store.put(binKey, ByteBuffer.allocate(16).putLong(positives).putLong(negatives).array());
    }
  }

  /** Counts a customer the first time the variant scores it ({@code seen} says whether it did). */
  void addUnit(String endpoint, String variant) {
    String key = prefix(endpoint, variant) + 'n';
    byte[] bytes = store.get(key);
    long n = bytes == null ? 0 : ByteBuffer.wrap(bytes).getLong();
    store.put(key, ByteBuffer.allocate(8).putLong(n + 1).array());
  }

  private void addCounters(String prefix, long predictions, long errors, long logLossNanos) {
    String key = prefix + 'c';
    byte[] bytes = store.get(key);
    var buffer = bytes == null ? ByteBuffer.allocate(24) : ByteBuffer.wrap(bytes);
    long p = buffer.getLong(0) + predictions;
    long e = buffer.getLong(8) + errors;
    long l = buffer.getLong(16) + logLossNanos;
    store.put(key, ByteBuffer.allocate(24).putLong(p).putLong(e).putLong(l).array());
  }

  private static String pad5(int bin) {
    String digits = Integer.toString(bin);
    return "00000".substring(digits.length()) + digits;
  }

  /** Every endpoint's variants, merged over all entries of {@code store}. */
  static Map<String, Map<String, VariantStats>> readAll(
      ReadOnlyKeyValueStore<String, byte[]> store) {
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      return read(it);
    }
  }

  /** One endpoint's variants (sorted by name), merged over all entries of {@code store}. */
  static Map<String, VariantStats> read(
      ReadOnlyKeyValueStore<String, byte[]> store, String endpoint) {
    try (KeyValueIterator<String, byte[]> it =
        store.range(endpoint + SEP, endpoint + (char) (SEP + 1))) {
      return read(it).getOrDefault(endpoint, Map.of());
    }
  }

  /** The entries of one experiment in {@code store}, to merge with another node's. */
  static List<KeyValue<String, byte[]>> entries(
      ReadOnlyKeyValueStore<String, byte[]> store, String experiment) {
    var entries = new ArrayList<KeyValue<String, byte[]>>();
    try (KeyValueIterator<String, byte[]> it =
        store.range(experiment + SEP, experiment + (char) (SEP + 1))) {
      it.forEachRemaining(entries::add);
    }
    return entries;
  }

  /** The variants of one experiment from entries of any number of partitions and nodes. */
  static Map<String, VariantStats> merge(
      List<KeyValue<String, byte[]>> entries, String experiment) {
    return read(entries.iterator()).getOrDefault(experiment, Map.of());
  }

  private static Map<String, Map<String, VariantStats>> read(
      Iterator<KeyValue<String, byte[]>> it) {
    var result = new TreeMap<String, Map<String, VariantStats>>();
    while (it.hasNext()) {
      KeyValue<String, byte[]> entry = it.next();
      String key = entry.key;
      int first = key.indexOf(SEP);
      int second = key.indexOf(SEP, first + 1);
      if (first < 0 || second < 0 || second + 1 >= key.length()) {
        throw new IllegalStateException("Malformed key in " + EvaluationTopology.STATS_STORE);
      }
      VariantStats stats =
          result
              .computeIfAbsent(key.substring(0, first), e -> new TreeMap<>())
              .computeIfAbsent(key.substring(first + 1, second), v -> new VariantStats());
      var buffer = ByteBuffer.wrap(entry.value);
      switch (key.charAt(second + 1)) {
        case 'c' -> stats.addCounters(buffer.getLong(), buffer.getLong(), buffer.getLong());
        case 'l' -> stats.mergeLatency(VariantStats.latencyFrom(entry.value));
        case 'n' -> stats.addUnits(buffer.getLong());
        case 'h' ->
            stats
                .histogram()
                .add(
                    Integer.parseInt(key.substring(second + 2)),
                    buffer.getLong(),
                    buffer.getLong());
        default ->
            throw new IllegalStateException(
                "Unknown record kind in " + EvaluationTopology.STATS_STORE + ": " + key);
      }
    }
    var copy = new LinkedHashMap<String, Map<String, VariantStats>>();
    result.forEach((endpoint, variants) -> copy.put(endpoint, variants));
    return copy;
  }
}
