package dev.tessera.serving.http.auth;

import dev.tessera.serving.config.ServingConfig;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down guessing of tokens: after {@value ServingConfig#AUTH_FAILURE_LIMIT} invalid tokens
 * from one remote address within {@value ServingConfig#AUTH_FAILURE_WINDOW_MS} (a fixed window
 * starting at the address's first failure), that address is blocked until the window ends. At most
 * {@link #MAX_ADDRESSES} addresses are tracked: when the table is full, expired windows are dropped
 * first, then arbitrary entries, so memory stays bounded whatever an attacker sends.
 *
 * <pre>{@code
 * var limit = new AuthFailureLimit(20, Duration.ofMinutes(1), System::currentTimeMillis);
 * limit.blockedForMillis("10.0.0.7"); // 0: not blocked
 * limit.recordFailure("10.0.0.7");    // after 20 of these within a minute: blocked
 * }</pre>
 */
public final class AuthFailureLimit {
  /** The most addresses whose failures are counted at once. */
  public static final int MAX_ADDRESSES = 10_000;

  private static final AuthFailureLimit OFF =
      new AuthFailureLimit(0, Duration.ofMillis(1), () -> 0);

  private final int limit;
  private final long windowMillis;
  private final LongSupplier clock;
  private final int maxAddresses;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /**
   * @param limit invalid tokens allowed per address and window; 0 turns the limit off
   * @param clock milliseconds, e.g. {@code System::currentTimeMillis}
   */
  public AuthFailureLimit(int limit, Duration window, LongSupplier clock) {
    this(limit, window, clock, MAX_ADDRESSES);
  }

  AuthFailureLimit(int limit, Duration window, LongSupplier clock, int maxAddresses) {
    if (limit < 0 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException(
          "The failure limit must be >= 0 and the window > 0, got " + limit + " and " + window);
    }
    this.limit = limit;
    this.windowMillis = window.toMillis();
    this.clock = clock;
    this.maxAddresses = maxAddresses;
  }

  /** The limit {@code config} sets, on the system clock. */
  public static AuthFailureLimit of(ServingConfig config) {
    return new AuthFailureLimit(
        config.authFailureLimit(), config.authFailureWindow(), System::currentTimeMillis);
  }

  /** No limit. */
  public static AuthFailureLimit off() {
    return OFF;
  }

  /** How long {@code address} stays blocked, in milliseconds; 0 if it may try a token now. */
  public long blockedForMillis(String address) {
    if (limit == 0 || windows.isEmpty()) {
      return 0; // the common case costs no lookup
    }
    Window w = windows.get(address);
    if (w == null) {
      return 0;
    }
    long left = w.start + windowMillis - clock.getAsLong();
    return w.failures >= limit && left > 0 ? left : 0;
  }

  /** Counts one invalid token presented by {@code address}. */
  public void recordFailure(String address) {
    if (limit == 0) {
      return;
    }
    long now = clock.getAsLong();
    if (!windows.containsKey(address) && windows.size() >= maxAddresses) {
      makeRoom(now);
    }
    windows.compute(
        address,
        (a, w) -> w == null || now - w.start >= windowMillis ? new Window(now, 1) : w.plusOne());
  }

  /** Addresses whose failures are counted now (for tests and the bound). */
  int tracked() {
    return windows.size();
  }

  private void makeRoom(long now) {
    windows.values().removeIf(w -> now - w.start >= windowMillis);
    for (Iterator<String> it = windows.keySet().iterator();
        it.hasNext() && windows.size() >= maxAddresses; ) {
      it.next();
      it.remove();
    }
  }

  private record Window(long start, int failures) {
    Window plusOne() {
      return new Window(start, failures == Integer.MAX_VALUE ? failures : failures + 1);
    }
  }
}
