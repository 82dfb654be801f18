package dev.tessera.serving.demo.world;

import dev.tessera.schemas.Click;
import dev.tessera.serving.demo.Randoms;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The history of one customer, generated incrementally in event-time order so that a world of many
 * customers can be streamed day by day without holding all events.
 *
 * <p>Orders and sessions start as two Poisson processes at the customer's base rates, thinned by
 * the persona's level at each candidate time (fading before churn, lulls). A session that starts
 * within 30 minutes of the previous one's last click is dropped, so sessions stay apart by more
 * than the 30-minute gap the session features use. Half of the orders come with a checkout session
 * just before them. Nothing happens at or after {@code min(end, churnAt)}.
 */
final class CustomerTimeline {
  static final long SESSION_GAP = 30 * Persona.MINUTE;

  /**
   * Candidates are materialised this far ahead of what is emitted: a checkout session lies before
   * its order by less than this (at most 40 clicks 25 minutes apart), so no event is emitted after
   * a later one.
   */
  private static final long LOOKAHEAD = Persona.DAY;

  private static final Comparator<Pending> ORDER =
      Comparator.comparingLong(Pending::time).thenComparingLong(Pending::sequence);

  private record Pending(long time, long sequence, WorldEvent event) {}

  private final Persona persona;
  private final long start;
  private final long limit;
  private final SplittableRandom orderTimes;
  private final SplittableRandom sessionTimes;
  private final PriorityQueue<Pending> pending = new PriorityQueue<>(ORDER);
  private long nextOrder;
  private long nextSession;
  private long orderCandidates;
  private long sessionCandidates;
  private long lastSessionEnd = Long.MIN_VALUE / 2;
  private long sequence;

  CustomerTimeline(Persona persona, long start, long end) {
    this.persona = persona;
    this.start = start;
    this.limit = Math.min(end, persona.churnAt);
    this.orderTimes = Randoms.derive(persona.seed, Persona.ORDER_TIMES_STREAM, 0);
    this.sessionTimes = Randoms.derive(persona.seed, Persona.SESSION_TIMES_STREAM, 0);
    this.nextOrder = start + gap(orderTimes, persona.ordersPerDay);
    this.nextSession = start + gap(sessionTimes, persona.sessionsPerDay);
  }

  /** Adds every event before {@code until} not added yet to {@code out}, oldest first. */
  void advance(long until, List<WorldEvent> out) {
    long horizon = Math.min(limit, until + LOOKAHEAD);
    while (Math.min(nextOrder, nextSession) < horizon) {
      if (nextOrder <= nextSession) {
        long t = nextOrder;
        long candidate = orderCandidates++;
        boolean accepted = orderTimes.nextDouble() < persona.orderLevel(t);
        nextOrder = t + gap(orderTimes, persona.ordersPerDay);
        if (accepted) {
          placeOrder(t, candidate);
        }
      } else {
        long t = nextSession;
        long candidate = sessionCandidates++;
        boolean accepted = sessionTimes.nextDouble() < persona.sessionLevel(t);
        nextSession = t + gap(sessionTimes, persona.sessionsPerDay);
        if (accepted) {
          browse(t, candidate);
        }
      }
    }
    while (!pending.isEmpty() && pending.peek().time() < until) {
      out.add(pending.poll().event());
    }
  }

  private void placeOrder(long t, long candidate) {
    SplittableRandom r = Randoms.derive(persona.seed, Persona.ORDER_STREAM, candidate);
    String id = "o-" + persona.customerId + "-" + (candidate + 1);
    add(t, WorldEvent.of(Activities.order(persona, id, t, r)));
    if (r.nextDouble() >= 0.5) {
      return;
    }
    int clicks = Math.max(2, Activities.clickCount(persona, t, r));
    long[] gaps = Activities.clickGaps(persona, t, clicks, r);
    long[] times = new long[clicks];
    times[clicks - 1] = t - 5_000 - r.nextLong(85_000);
    for (int i = clicks - 2; i >= 0; i--) {
      times[i] = times[i + 1] - gaps[i];
    }
    // A checkout session that would run into the previous session, or start before the
    // history, is left out: the order stands alone (placed from an app, say).
    if (times[0] <= lastSessionEnd + SESSION_GAP || times[0] < start) {
      return;
    }
    String sessionId = "s-" + persona.customerId + "-o" + (candidate + 1);
    addClicks(sessionId, times, Activities.clickTypes(clicks, true, r));
  }

  private void browse(long t, long candidate) {
    if (t <= lastSessionEnd + SESSION_GAP) {
      return;
    }
    SplittableRandom r = Randoms.derive(persona.seed, Persona.SESSION_STREAM, candidate);
    int clicks = Activities.clickCount(persona, t, r);
    long[] gaps = Activities.clickGaps(persona, t, clicks, r);
    int kept = 1;
    long[] times = new long[clicks];
    times[0] = t;
    for (int i = 1; i < clicks && times[i - 1] + gaps[i - 1] < limit; i++) {
      times[i] = times[i - 1] + gaps[i - 1];
      kept++;
    }
    String sessionId = "s-" + persona.customerId + "-" + (candidate + 1);
    String[] types = Activities.clickTypes(clicks, false, r);
    addClicks(sessionId, Arrays.copyOf(times, kept), Arrays.copyOf(types, kept));
  }

  private void addClicks(String sessionId, long[] times, String[] types) {
    for (Click click : Activities.clicks(persona, sessionId, times, types)) {
      add(click.getEventTs().toEpochMilli(), WorldEvent.of(click));
    }
    lastSessionEnd = times[times.length - 1];
  }

  private void add(long time, WorldEvent event) {
    pending.add(new Pending(time, sequence++, event));
  }

  /** Time to the next candidate of a Poisson process with {@code perDay} events a day. */
  private static long gap(SplittableRandom random, double perDay) {
    return Math.max(1, (long) (Randoms.exponential(random, 1 / perDay) * Persona.DAY));
  }
}
