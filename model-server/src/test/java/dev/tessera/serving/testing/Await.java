package dev.tessera.serving.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for a condition to hold, checking it every 50 ms, failing with a message at a deadline. */
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
      } catch (RuntimeException | AssertionError e) {
        last = e;
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
    throw new AssertionError("Timed out after " + timeout + " waiting for " + what, last);
  }
}
