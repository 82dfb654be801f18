package dev.tessera.serving.experiment;

import dev.tessera.features.topology.RejectedEventException;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.Prediction;
import dev.tessera.schemas.topic.TopicCatalog;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * The experiment evaluation job: joins {@code predictions} with {@code outcomes} (both keyed by
 * customer, so co-partitioned) and keeps per (endpoint, variant) the figures of {@link
 * VariantStats} in the store {@value #STATS_STORE}. A pure factory: no I/O.
 *
 * <pre>{@code
 * Topology topology = EvaluationTopology.build(topics, EvaluationSettings.defaults());
 * // application.id: <node application.id>-experiments, exactly-once v2
 * new KafkaStreams(topology, props).start();
 * }</pre>
 *
 * <p>Join rule: a prediction at {@code ts} is labelled by the first outcome (by {@code outcome_ts},
 * ties by arrival) of its customer with {@code outcome_ts} in {@code (ts + delay, ts + delay +
 * horizon]} (delay 0 and horizon 30 days by default; see docs/EXPERIMENTS.md). Stream time runs on
 * event time ({@code Prediction.ts}, {@code Outcome.outcome_ts}); a record whose time is more than
 * {@code grace} behind stream time when it arrives is not joined (a late prediction still counts as
 * a row, for traffic, errors and latency). Matching is eager: a row is labelled as soon as its
 * outcome arrives and relabelled if an earlier one turns up within grace, so the figures are always
 * those of the rule applied to the records seen so far.
 */
public final class EvaluationTopology {
  /** Per-(endpoint, variant) figures: counters, latency sketch, histogram bins. */
  public static final String STATS_STORE = "experiment-stats";

  /** Predictions still waiting for (or holding) their outcome, keyed by customer and time. */
  public static final String PREDICTIONS_STORE = "experiment-predictions";

  /** Outcomes that may still label a prediction, keyed by customer and time. */
  public static final String OUTCOMES_STORE = "experiment-outcomes";

  /**
   * Customers each (experiment, variant) has scored: {@code <experiment>\0<variant>\0<customer>}.
   */
  public static final String UNITS_STORE = "experiment-units";

  /** Name of the joining processor. */
  public static final String JOIN = "experiment-join";

  private EvaluationTopology() {}

  public static Topology build(TopicCatalog topics, EvaluationSettings settings) {
    var builder = new StreamsBuilder();
    // Cached: the counters and the latency sketch of a variant change with every row; the cache
    // sends one changelog record per key and commit instead of one per row.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATS_STORE), Serdes.String(), Serdes.ByteArray())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(PREDICTIONS_STORE),
            Serdes.String(),
            Serdes.ByteArray()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(OUTCOMES_STORE), Serdes.String(), Serdes.Integer()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(UNITS_STORE), Serdes.String(), Serdes.ByteArray()));

    var predictions = topics.predictions();
    var outcomes = topics.outcomes();
    KStream<String, Object> predictionStream =
        builder.stream(
                predictions.name(),
                Consumed.with(predictions.keySerde(), predictions.valueSerde())
                    .withTimestampExtractor(new EventTime())
                    .withName("experiment-" + predictions.name() + "-source"))
            .mapValues(v -> (Object) v, Named.as("experiment-" + predictions.name() + "-upcast"));
    KStream<String, Object> outcomeStream =
        builder.stream(
                outcomes.name(),
                Consumed.with(outcomes.keySerde(), outcomes.valueSerde())
                    .withTimestampExtractor(new EventTime())
                    .withName("experiment-" + outcomes.name() + "-source"))
            .mapValues(
                (k, v) -> (Object) checked(k, v),
                Named.as("experiment-" + outcomes.name() + "-upcast"));
    predictionStream
        .merge(outcomeStream, Named.as("experiment-merge"))
        .process(
            () -> new EvaluationProcessor(settings),
            Named.as(JOIN),
            STATS_STORE,
            PREDICTIONS_STORE,
            OUTCOMES_STORE,
            UNITS_STORE);
    return builder.build();
  }

  /**
   * The outcome, or a {@link RejectedEventException} (a dead letter, with the node's handlers) when
   * it could never label anything: no value, no key, a key other than its customer, a time before
   * 1970, or a label other than 0 or 1 (the statistics read a label as a class).
   */
  static Outcome checked(String key, Outcome o) {
    if (o == null) {
      throw new RejectedEventException("value", "null value: outcomes needs an event");
    }
    if (key == null || key.isEmpty()) {
      throw new RejectedEventException(
          "key", "missing key: records on outcomes must be keyed by customer_id");
    }
    if (!key.equals(o.getCustomerId())) {
      throw new RejectedEventException(
          "key", "key '" + key + "' does not match customer_id '" + o.getCustomerId() + "'");
    }
    if (o.getOutcomeTs().toEpochMilli() < 0) {
      throw new RejectedEventException("time", "outcome_ts is before 1970: " + o.getOutcomeTs());
    }
    if (o.getLabel() != 0 && o.getLabel() != 1) {
      throw new RejectedEventException("label", "label must be 0 or 1, got " + o.getLabel());
    }
    return o;
  }

  /** Event time of predictions and outcomes; anything else keeps the partition's time. */
  static final class EventTime implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
      Instant time = null;
      if (record.value() instanceof Prediction p) {
        time = p.getTs();
      } else if (record.value() instanceof Outcome o) {
        time = o.getOutcomeTs();
      }
      if (time != null && time.toEpochMilli() >= 0) {
        return time.toEpochMilli();
      }
      return Math.max(record.timestamp(), Math.max(partitionTime, 0));
    }
  }
}
