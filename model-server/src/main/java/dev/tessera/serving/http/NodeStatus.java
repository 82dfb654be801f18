package dev.tessera.serving.http;

/** What the health routes report about the node they run in. */
public interface NodeStatus {

  /** Kafka Streams state, e.g. RUNNING or REBALANCING. */
  String streamsState();

  /** Whether feature lookups can be answered. */
  boolean featuresReady();

  /** Number of models loaded and able to score. */
  int modelsLoaded();
}
