package dev.tessera.serving.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;

class FencingTest {
  @Test
  void shouldWriteAgainWhenFencedDirectlyOrThroughACause() {
    var calls = new AtomicInteger();
    String written =
        Fencing.retry(
            () -> {
              switch (calls.incrementAndGet()) {
                case 1 -> throw new ProducerFencedException("fenced");
                case 2 ->
                    throw new KafkaException(
                        "commit failed", new InvalidProducerEpochException("old epoch"));
                default -> {
                  return "written";
                }
              }
            });
    assertThat(written).isEqualTo("written");
    assertThat(calls).hasValue(3);
  }

  @Test
  void shouldNotRetryOtherErrors() {
    var calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Fencing.retry(
                    () -> {
                      calls.incrementAndGet();
                      throw new IllegalArgumentException("bad config");
                    }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void shouldGiveUpAfterEightFencedAttempts() {
    var calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Fencing.retry(
                    () -> {
                      calls.incrementAndGet();
                      throw new InvalidProducerEpochException("old epoch");
                    }))
        .isInstanceOf(ProducerFencedException.class)
        .hasMessageContaining("8 times");
    assertThat(calls).hasValue(8);
  }
}
