package dev.tessera.serving.demo.fraud;

import java.util.Map;

/**
 * Where the records of a {@link FraudWorld} go: Kafka ({@link FraudProducer}) or files ({@link
 * FraudFiles#open}).
 *
 * <pre>{@code
 * try (FraudSink sink = FraudFiles.open(Path.of("fraud"))) {
 *   world.history().forEach(sink::accept);
 * }
 * }</pre>
 */
public interface FraudSink extends AutoCloseable {
  /** Writes one record; records of a topic keep the order they are accepted in. */
  void accept(FraudEvent event);

  /** Waits until everything accepted so far is written; throws if anything failed. */
  void flush();

  /** Records accepted so far per topic: {@code users}, then {@code transactions}. */
  Map<String, Long> counts();

  /** Flushes and releases the sink. */
  @Override
  void close();
}
