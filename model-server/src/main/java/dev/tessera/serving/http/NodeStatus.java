package dev.tessera.serving.http;

/** What the health routes report about the node they run in. */
public interface NodeStatus {

  /** Kafka Streams state, e.g. RUNNING or REBALANCING. */
  String streamsState();

  /** Whether feature lookups can be answered. */
  boolean featuresReady();

  /** Number of models loaded and able to score. */
  int modelsLoaded();

  /** Whether the node has endpoints to serve (none: a node of features only). */
  default boolean servesEndpoints() {
    return true;
  }

  /** Ready: lookups can be answered and, if it serves endpoints, a model is loaded. */
  default boolean ready() {
    return featuresReady() && (modelsLoaded() > 0 || !servesEndpoints());
  }
}
