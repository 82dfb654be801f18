package dev.tessera.serving.experiment;

import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.Prediction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies the join rule of {@link EvaluationTopology} to one partition of predictions and outcomes.
 * Keys of the two waiting stores are {@code <customer>\0<time, 19 digits>[\0<request id>]}, so a
 * customer's rows in a time range are one range scan.
 */
final class EvaluationProcessor implements Processor<String, Object, Void, Void> {
  private static final char SEP = '\0';
  private static final long NO_MATCH = -1;

  private final long delay;
  private final long horizon;
  private final long grace;
  private final long purgeInterval;
  private ProcessorContext<Void, Void> context;
  private StatsStore stats;
  private KeyValueStore<String, byte[]> predictions;
  private KeyValueStore<String, Integer> outcomes;
  private KeyValueStore<String, byte[]> units;

  EvaluationProcessor(EvaluationSettings settings) {
    this.delay = settings.delay().toMillis();
    this.horizon = settings.horizon().toMillis();
    this.grace = settings.grace().toMillis();
    this.purgeInterval = settings.purgeInterval().toMillis();
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.stats = new StatsStore(context.getStateStore(EvaluationTopology.STATS_STORE));
    this.predictions = context.getStateStore(EvaluationTopology.PREDICTIONS_STORE);
    this.outcomes = context.getStateStore(EvaluationTopology.OUTCOMES_STORE);
    this.units = context.getStateStore(EvaluationTopology.UNITS_STORE);
    context.schedule(
        java.time.Duration.ofMillis(purgeInterval), PunctuationType.STREAM_TIME, this::purge);
  }

  @Override
  public void process(Record<String, Object> record) {
    if (record.value() instanceof Prediction p) {
      onPrediction(record.key(), p);
    } else if (record.value() instanceof Outcome o) {
      onOutcome(record.key(), o);
    }
  }

  /** The experiment a prediction belongs to: its assignment's, else its endpoint. */
  static String experimentOf(Prediction p) {
    String id = p.getAssignment() == null ? null : p.getAssignment().getExperimentId();
    return id == null || id.isEmpty() ? p.getEndpoint() : id;
  }

  private boolean late(long time) {
    return time < context.currentStreamTimeMs() - grace;
  }

  private void onPrediction(String customer, Prediction p) {
    // Figures are kept per experiment (what each entity served), so different models never mix.
    String endpoint = experimentOf(p);
    String variant = p.getServedEntity();
    double score = p.getScore();
    stats.addPrediction(endpoint, variant, score, p.getLatencyUs());
    if (customer != null) {
      // Predictions are keyed by customer, so a customer is counted in one partition only.
      String unit = endpoint + SEP + variant + SEP + customer;
      if (units.get(unit) == null) {
        units.put(unit, new byte[0]);
        stats.addUnit(endpoint, variant);
      }
    }
    long ts = p.getTs().toEpochMilli();
    if (customer == null || ts < 0 || VariantStats.isError(score) || late(ts)) {
      return;
    }
    long matchedTs = NO_MATCH;
    int matchedLabel = 0;
    try (KeyValueIterator<String, Integer> it =
        outcomes.range(key(customer, ts + delay + 1), key(customer, ts + delay + horizon))) {
      if (it.hasNext()) {
        KeyValue<String, Integer> first = it.next();
        matchedTs = timeOf(first.key);
        matchedLabel = first.value;
        stats.addLabelled(endpoint, variant, score, matchedLabel, 1);
      }
    }
    predictions.put(
        key(customer, ts) + SEP + p.getRequestId(),
        encode(endpoint, variant, score, matchedTs, matchedLabel));
  }

  private void onOutcome(String customer, Outcome o) {
    long ts = o.getOutcomeTs().toEpochMilli();
    if (customer == null || ts < 0 || late(ts)) {
      return;
    }
    String outcomeKey = key(customer, ts);
    if (outcomes.get(outcomeKey) != null) {
      return; // an outcome at the same time arrived first and already labels its predictions
    }
    int label = o.getLabel();
    outcomes.put(outcomeKey, label);
    if (ts - delay < 1) {
      return;
    }
    var updates = new ArrayList<KeyValue<String, byte[]>>();
    try (KeyValueIterator<String, byte[]> it =
        predictions.range(
            key(customer, Math.max(0, ts - delay - horizon)),
            key(customer, ts - delay - 1) + '\1')) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> entry = it.next();
        Pending pending = decode(entry.value);
        if (pending.matchedTs == NO_MATCH || ts < pending.matchedTs) {
          if (pending.matchedTs != NO_MATCH) {
            stats.addLabelled(
                pending.endpoint, pending.variant, pending.score, pending.matchedLabel, -1);
          }
          stats.addLabelled(pending.endpoint, pending.variant, pending.score, label, 1);
          updates.add(
              KeyValue.pair(
                  entry.key, encode(pending.endpoint, pending.variant, pending.score, ts, label)));
        }
      }
    }
    updates.forEach(u -> predictions.put(u.key, u.value));
  }

  /**
   * Deletes what can no longer change a figure: a prediction once no on-time outcome can fall in
   * its horizon ({@code ts + delay + horizon + grace < now}), an outcome once no waiting or on-time
   * prediction can precede it within the horizon ({@code ts ≤ now − delay − horizon − grace}).
   */
  private void purge(long now) {
    long predictionLimit = now - delay - horizon - grace;
    deleteWhere(predictions, predictionLimit, false);
    deleteWhere(outcomes, predictionLimit, true);
  }

  private static <V> void deleteWhere(
      KeyValueStore<String, V> store, long limit, boolean inclusive) {
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, V> it = store.all()) {
      while (it.hasNext()) {
        String key = it.next().key;
        long time = timeOf(key);
        if (time < limit || (inclusive && time == limit)) {
          expired.add(key);
        }
      }
    }
    expired.forEach(store::delete);
  }

  static String key(String customer, long time) {
    String digits = Long.toString(time);
    return customer + SEP + "0000000000000000000".substring(digits.length()) + digits;
  }

  static long timeOf(String key) {
    int start = key.indexOf(SEP) + 1;
    return Long.parseLong(key, start, start + 19, 10);
  }

  private record Pending(
      String endpoint, String variant, double score, long matchedTs, int matchedLabel) {}

  private static byte[] encode(
      String endpoint, String variant, double score, long matchedTs, int matchedLabel) {
    byte[] e = endpoint.getBytes(StandardCharsets.UTF_8);
    byte[] v = variant.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + e.length + v.length + 20)
        .putInt(e.length)
        .put(e)
        .putInt(v.length)
        .put(v)
        .putDouble(score)
        .putLong(matchedTs)
        .putInt(matchedLabel)
        .array();
  }

  private static Pending decode(byte[] bytes) {
    var buffer = ByteBuffer.wrap(bytes);
    byte[] e = new byte[buffer.getInt()];
    buffer.get(e);
    byte[] v = new byte[buffer.getInt()];
    buffer.get(v);
    return new Pending(
        new String(e, StandardCharsets.UTF_8),
        new String(v, StandardCharsets.UTF_8),
        buffer.getDouble(),
        buffer.getLong(),
        buffer.getInt());
  }
}
