package dev.tessera.serving.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Waits for a condition to hold, checking it every 50 ms, failing with a message at a deadline, or
 * at once when the probe throws {@link Abort}.
 */
public final class Await {
  private Await() {}

  /** Returns the first non-null value {@code probe} gives, or fails after {@code timeout}. */
  public static <T> T until(Duration timeout, String what, Supplier<T> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (System.nanoTime() < deadline) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
      } catch (Abort e) {
        throw e;
      } catch (RuntimeException | AssertionError e) {
        last = e;
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
    throw new AssertionError("Timed out after " + timeout + " waiting for " + what, last);
  }

  /** Thrown by a probe to stop waiting at once: the condition can no longer come true. */
  public static final class Abort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Abort(String message) {
      super(message);
    }
  }
}
