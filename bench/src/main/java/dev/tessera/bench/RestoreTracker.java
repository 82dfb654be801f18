package dev.tessera.bench;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Follows the restoration of a Kafka Streams application's stores from their changelogs: which
 * changelog partitions have started and finished restoring, the records restored, and the time from
 * the first start to the last end. Streams calls it from its restoring threads; {@link #done}
 * answers from any other.
 *
 * <pre>{@code
 * var tracker = new RestoreTracker(changelogPartitionsWithData, System::nanoTime);
 * streams.setGlobalStateRestoreListener(tracker);
 * streams.start();
 * // ... until tracker.done() and streams.state() == RUNNING
 * }</pre>
 */
final class RestoreTracker implements StateRestoreListener {
  private final Set<TopicPartition> expected;
  private final LongSupplier clock;
  private final Set<TopicPartition> started = new HashSet<>();
  private final Set<TopicPartition> ended = new HashSet<>();
  private long records;
  private long firstStart = -1;
  private long lastEnd = -1;
  private int suspended;

  /**
   * @param expected the changelog partitions that hold data: each must be restored
   * @param clock nanoseconds ({@code System::nanoTime})
   */
  RestoreTracker(Set<TopicPartition> expected, LongSupplier clock) {
    this.expected = Set.copyOf(expected);
    this.clock = clock;
  }

  @Override
  public synchronized void onRestoreStart(
      TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
    if (firstStart < 0) {
      firstStart = clock.getAsLong();
    }
    started.add(partition);
  }

  @Override
  public synchronized void onBatchRestored(
      TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
    records += numRestored;
  }

  @Override
  public synchronized void onRestoreEnd(
      TopicPartition partition, String storeName, long totalRestored) {
    ended.add(partition);
    lastEnd = clock.getAsLong();
  }

  /**
   * A task moved away mid-restore (a rebalance): its partition restarts later, from a checkpoint.
   */
  @Override
  public synchronized void onRestoreSuspended(
      TopicPartition partition, String storeName, long totalRestored) {
    started.remove(partition);
    suspended++;
  }

  /** Whether every expected partition, and every one that started, has finished restoring. */
  synchronized boolean done() {
    return ended.containsAll(expected) && ended.containsAll(started);
  }

  /** Expected partitions not restored yet, for a message on timeout. */
  synchronized Set<TopicPartition> missing() {
    var missing = new HashSet<>(expected);
    missing.removeAll(ended);
    return missing;
  }

  synchronized long records() {
    return records;
  }

  synchronized int partitionsRestored() {
    return ended.size();
  }

  synchronized int suspensions() {
    return suspended;
  }

  /** From the first partition's start to the last one's end, seconds; NaN before any ended. */
  synchronized double seconds() {
    return firstStart < 0 || lastEnd < 0 ? Double.NaN : (lastEnd - firstStart) / 1e9;
  }
}
