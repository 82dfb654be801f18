package dev.tessera.serving.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Sends a demo world's live phase paced by its event times: event {@code k} goes out when the wall
 * clock has moved on from the first send by as much as event {@code k}'s time from the first
 * event's time, so that records started at {@code Instant.now()} carry roughly the time they are
 * sent.
 *
 * <pre>{@code
 * long sent = LivePacing.send(world.live(Instant.now(), 5.0), producer::accept, 0, stop);
 * }</pre>
 */
public final class LivePacing {
  private static final long STOP_CHECK_NANOS = Duration.ofMillis(100).toNanos();

  private LivePacing() {}

  /** A live phase: events in time order, each time known before the event is drawn. */
  public interface Live<E> extends Iterator<E> {
    /** The time of the event {@link #next()} returns. */
    Instant nextTime();
  }

  /**
   * Sends events until {@code limit} were sent (0: no limit), {@code stop} says so (checked at
   * least every 100 ms) or the phase ends.
   *
   * @return the number of events sent
   */
  public static <E> long send(
      Live<E> live, Consumer<? super E> send, long limit, BooleanSupplier stop) {
    long sent = 0;
    long startNanos = System.nanoTime();
    Instant first = live.nextTime();
    while ((limit == 0 || sent < limit) && !stop.getAsBoolean() && live.hasNext()) {
      long due = startNanos + Duration.between(first, live.nextTime()).toNanos();
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(Math.min(wait, STOP_CHECK_NANOS));
        continue; // re-check stop before sending
      }
      send.accept(live.next());
      sent++;
    }
    return sent;
  }
}
