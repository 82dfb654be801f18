package dev.tessera.serving.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C (SIGINT/SIGTERM) into a flag the main thread polls or waits on; the JVM then waits
 * for the main thread to finish closing everything before it exits.
 */
final class ShutdownSignal {
  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);

  ShutdownSignal() {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  requested.countDown();
                  try {
                    finished.await(60, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "tessera-shutdown"));
  }

  boolean isRequested() {
    return requested.getCount() == 0;
  }

  void await() throws InterruptedException {
    requested.await();
  }

  /** Called by the main thread once everything is closed. */
  void finished() {
    finished.countDown();
  }
}
