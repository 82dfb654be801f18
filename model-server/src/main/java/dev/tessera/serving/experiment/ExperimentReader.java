package dev.tessera.serving.experiment;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads {@link VariantStats} per variant of an endpoint from the evaluation job's store, merging
 * the partials of every local partition.
 *
 * <pre>{@code
 * var reader = new ExperimentReader(experimentStreams);
 * Map<String, VariantStats> variants = reader.variants("churn");
 * }</pre>
 *
 * <p>A node holds only its own partitions; with several nodes a full report merges every node's
 * {@link #entries} ({@link #merge}), which the experiment REST route does. Throws Kafka's {@code
 * InvalidStateStoreException} while the store is not queryable (rebalancing): the caller answers a
 * retryable 503.
 */
public final class ExperimentReader {
  private final KafkaStreams streams;

  public ExperimentReader(KafkaStreams streams) {
    this.streams = streams;
  }

  /** The endpoint's variants (sorted by name) over the local partitions. */
  public Map<String, VariantStats> variants(String endpoint) {
    return variants(localStore(), endpoint);
  }

  /** Every endpoint's variants over the local partitions. */
  public Map<String, Map<String, VariantStats>> all() {
    return all(localStore());
  }

  /** The raw entries of one experiment over the local partitions, for another node to merge. */
  public List<KeyValue<String, byte[]>> entries(String experiment) {
    return StatsStore.entries(localStore(), experiment);
  }

  /** The variants of one experiment from the entries of several nodes. */
  public static Map<String, VariantStats> merge(
      List<KeyValue<String, byte[]>> entries, String experiment) {
    return StatsStore.merge(entries, experiment);
  }

  /** Names of the experiments with figures on this node, e.g. {@code churn:champion=churn/1}. */
  public List<String> experiments() {
    return List.copyOf(all().keySet());
  }

  private ReadOnlyKeyValueStore<String, byte[]> localStore() {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
            EvaluationTopology.STATS_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
  }

  /** The endpoint's variants in {@code store} (e.g. a test driver's store). */
  public static Map<String, VariantStats> variants(
      ReadOnlyKeyValueStore<String, byte[]> store, String endpoint) {
    return StatsStore.read(store, endpoint);
  }

  /** Every endpoint's variants in {@code store}. */
  public static Map<String, Map<String, VariantStats>> all(
      ReadOnlyKeyValueStore<String, byte[]> store) {
    return StatsStore.readAll(store);
  }
}
