package dev.tessera.serving.control;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * The control topics' writers share one transactional id per topic, so a writer that starts fences
 * the one writing; the fenced one wrote nothing and may simply write again.
 *
 * <pre>{@code
 * EndpointStore.Versioned v = Fencing.retry(() -> writeOnce(config));
 * }</pre>
 */
public final class Fencing {
  private static final int MAX_ATTEMPTS = 8;

  private Fencing() {}

  /** Whether {@code e} says the writer was fenced: directly or, from a failed send, as a cause. */
  public static boolean fenced(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code write} again after a random, growing pause each time another writer fenced it (two
   * writers retrying at once would otherwise keep fencing each other).
   *
   * @throws ProducerFencedException if it was fenced {@value #MAX_ATTEMPTS} times
   */
  public static <T> T retry(Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (RuntimeException e) {
        if (!fenced(e)) {
          throw e;
        }
        if (attempt == MAX_ATTEMPTS) {
          var error =
              new ProducerFencedException(
                  "Fenced by other writers " + MAX_ATTEMPTS + " times; nothing was written");
          error.initCause(e);
          throw error;
        }
        long maxPauseMillis = Math.min(1_000, 20L << attempt);
        LockSupport.parkNanos(
            TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(1, maxPauseMillis)));
      }
    }
  }
}
