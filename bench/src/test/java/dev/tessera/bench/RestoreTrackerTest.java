package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RestoreTrackerTest {
  private static final TopicPartition A = new TopicPartition("app-tiles-changelog", 0);
  private static final TopicPartition B = new TopicPartition("app-tiles-changelog", 1);
  private static final TopicPartition EMPTY = new TopicPartition("app-lifetime-changelog", 2);

  private final AtomicLong now = new AtomicLong();
  private final RestoreTracker tracker = new RestoreTracker(Set.of(A, B), now::get);

  @Test
  void shouldBeDoneOnlyWhenEveryExpectedPartitionHasEnded() {
    assertThat(tracker.done()).isFalse();
    tracker.onRestoreStart(A, "tiles", 0, 100);
    tracker.onRestoreEnd(A, "tiles", 100);
    assertThat(tracker.done()).isFalse();
    assertThat(tracker.missing()).containsExactly(B);

    tracker.onRestoreStart(B, "tiles", 0, 50);
    tracker.onRestoreEnd(B, "tiles", 50);

    assertThat(tracker.done()).isTrue();
    assertThat(tracker.missing()).isEmpty();
  }

  @Test
  void shouldWaitForAnUnexpectedPartitionThatStarted() {
    tracker.onRestoreStart(A, "tiles", 0, 100);
    tracker.onRestoreEnd(A, "tiles", 100);
    tracker.onRestoreStart(B, "tiles", 0, 50);
    tracker.onRestoreEnd(B, "tiles", 50);
    tracker.onRestoreStart(EMPTY, "lifetime", 0, 1);

    assertThat(tracker.done()).isFalse();

    tracker.onRestoreEnd(EMPTY, "lifetime", 0);
    assertThat(tracker.done()).isTrue();
    assertThat(tracker.partitionsRestored()).isEqualTo(3);
  }

  @Test
  void shouldSumTheRecordsOfEveryBatch() {
    tracker.onRestoreStart(A, "tiles", 0, 100);
    tracker.onBatchRestored(A, "tiles", 60, 60);
    tracker.onBatchRestored(A, "tiles", 100, 40);
    tracker.onBatchRestored(B, "tiles", 50, 50);

    assertThat(tracker.records()).isEqualTo(150);
  }

  @Test
  void shouldTimeFromTheFirstStartToTheLastEnd() {
    assertThat(tracker.seconds()).isNaN();
    now.set(1_000_000_000L);
    tracker.onRestoreStart(A, "tiles", 0, 100);
    now.set(1_500_000_000L);
    tracker.onRestoreStart(B, "tiles", 0, 50);
    now.set(2_000_000_000L);
    tracker.onRestoreEnd(B, "tiles", 50);
    now.set(3_500_000_000L);
    tracker.onRestoreEnd(A, "tiles", 100);

    assertThat(tracker.seconds()).isEqualTo(2.5);
  }

  @Test
  void shouldNotCountASuspendedRestoreAsStarted() {
    tracker.onRestoreStart(A, "tiles", 0, 100);
    tracker.onRestoreSuspended(A, "tiles", 30);

    assertThat(tracker.suspensions()).isEqualTo(1);
    assertThat(tracker.missing()).containsExactlyInAnyOrder(A, B);
  }
}
