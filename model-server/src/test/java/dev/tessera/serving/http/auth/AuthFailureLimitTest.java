package dev.tessera.serving.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailureLimitTest {
  private final AtomicLong now = new AtomicLong(1_000_000);

  @Test
  void shouldBlockAnAddressAfterTheLimitUntilItsWindowEnds() {
    var limit = new AuthFailureLimit(3, Duration.ofSeconds(60), now::get);
    for (int i = 0; i < 3; i++) {
      assertThat(limit.blockedForMillis("10.0.0.1")).isZero();
      limit.recordFailure("10.0.0.1");
      now.addAndGet(1_000);
    }
    assertThat(limit.blockedForMillis("10.0.0.1")).isEqualTo(57_000);
    assertThat(limit.blockedForMillis("10.0.0.2")).isZero();
    now.addAndGet(57_000);
    assertThat(limit.blockedForMillis("10.0.0.1")).isZero();
    // A new window starts with the next failure.
    limit.recordFailure("10.0.0.1");
    assertThat(limit.blockedForMillis("10.0.0.1")).isZero();
  }

  @Test
  void shouldForgetFailuresOfAnExpiredWindow() {
    var limit = new AuthFailureLimit(2, Duration.ofSeconds(10), now::get);
    limit.recordFailure("a");
    now.addAndGet(10_000);
    limit.recordFailure("a");
    assertThat(limit.blockedForMillis("a")).isZero();
    limit.recordFailure("a");
    assertThat(limit.blockedForMillis("a")).isEqualTo(10_000);
  }

  @Test
  void shouldNeverTrackMoreThanTheBoundWhateverAddressesSend() {
    var limit = new AuthFailureLimit(5, Duration.ofSeconds(60), now::get, 100);
    for (int i = 0; i < 100_000; i++) {
      limit.recordFailure("addr-" + i);
      assertThat(limit.tracked()).isLessThanOrEqualTo(100);
    }
    // Within the bound, an address that keeps guessing is still blocked.
    for (int i = 0; i < 5; i++) {
      limit.recordFailure("guesser");
    }
    assertThat(limit.blockedForMillis("guesser")).isPositive();
    assertThat(new AuthFailureLimit(5, Duration.ofSeconds(1), now::get).tracked()).isZero();
    assertThat(AuthFailureLimit.MAX_ADDRESSES).isEqualTo(10_000);
  }

  @Test
  void shouldNeverBlockWhenTheLimitIsZero() {
    var limit = new AuthFailureLimit(0, Duration.ofSeconds(60), now::get);
    for (int i = 0; i < 1_000; i++) {
      limit.recordFailure("a");
    }
    assertThat(limit.blockedForMillis("a")).isZero();
    assertThat(limit.tracked()).isZero();
  }
}
