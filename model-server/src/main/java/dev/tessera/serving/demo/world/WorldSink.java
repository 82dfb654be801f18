package dev.tessera.serving.demo.world;

import java.util.Map;

/**
 * Where the records of a {@link ChurnWorld} go: Kafka ({@link WorldProducer}) or files ({@link
 * WorldFiles#open}).
 *
 * <pre>{@code
 * try (WorldSink sink = WorldFiles.open(Path.of("world"))) {
 *   world.history().forEach(sink::accept);
 * }
 * }</pre>
 */
public interface WorldSink extends AutoCloseable {
  /** Writes one record; records of a topic keep the order they are accepted in. */
  void accept(WorldEvent event);

  /** Waits until everything accepted so far is written; throws if anything failed. */
  void flush();

  /** Records accepted so far per topic, in topic order. */
  Map<String, Long> counts();

  /** Flushes and releases the sink. */
  @Override
  void close();
}
