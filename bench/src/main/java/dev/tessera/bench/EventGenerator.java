package dev.tessera.bench;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Synthetic shop traffic for customers {@code C-1 .. C-n}: one profile row per customer, then
 * orders and clicks spread evenly over a time span, in event-time order as a live shop would write
 * them. Clicks come in sessions of 1–9 events 10 s to 2 min apart, so session features see real
 * sessions. Deterministic for a seed.
 *
 * <pre>{@code
 * var gen = new EventGenerator(10_000, 42, Instant.now(), Duration.ofDays(30));
 * Customer c = gen.customer(0);
 * gen.events(1_000_000, sink);
 * }</pre>
 */
public final class EventGenerator {
  /** Share of orders among the events; the rest are clicks. */
  static final double ORDER_SHARE = 0.2;

  private static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "us-west", "apac"};
  private static final double[][] REGION_CENTRES = {
    {51.5, -0.1}, {50.1, 8.7}, {40.7, -74.0}, {37.8, -122.4}, {1.35, 103.8}
  };
  private static final String[] TIERS = {"free", "basic", "premium"};
  private static final String[] CATEGORIES = {
    "books", "electronics", "grocery", "fashion", "home", "toys", "sports", "beauty"
  };
  private static final String[] CLICK_TYPES = {
    "page_view", "page_view", "page_view", "page_view",
    "page_view", "page_view", "search", "search",
    "add_to_cart", "checkout"
  };
  private static final int MAX_SESSION_CLICKS = 9;
  private static final double MEAN_SESSION_CLICKS = (1 + MAX_SESSION_CLICKS) / 2.0;

  private final int customers;
  private final long seed;
  private final long end;
  private final long span;

  public EventGenerator(int customers, long seed, Instant end, Duration span) {
    if (customers < 1) {
      throw new IllegalArgumentException("Need at least one customer, got " + customers);
    }
    this.customers = customers;
    this.seed = seed;
    this.end = end.toEpochMilli();
    this.span = span.toMillis();
  }

  /** Receives generated events. */
  public interface Sink {
    void order(Order order);

    void click(Click click);
  }

  public static String customerId(int index) {
    return "C-" + (index + 1);
  }

  public int customers() {
    return customers;
  }

  /** The profile row of customer {@code index}: the same for the same seed. */
  public Customer customer(int index) {
    var random = new SplittableRandom(seed * 31 + index);
    int region = random.nextInt(REGIONS.length);
    long signupDays = 60 + random.nextLong(900);
    return Customer.newBuilder()
        .setCustomerId(customerId(index))
        .setSignupTs(Instant.ofEpochMilli(end - Duration.ofDays(signupDays).toMillis()))
        .setSubscriptionTier(TIERS[random.nextInt(TIERS.length)])
        .setRegion(REGIONS[region])
        .setHomeLat(REGION_CENTRES[region][0] + random.nextDouble(-2, 2))
        .setHomeLon(REGION_CENTRES[region][1] + random.nextDouble(-2, 2))
        .build();
  }

  /** Emits {@code count} orders and clicks of random customers in event-time order. */
  public void events(long count, Sink sink) {
    var random = new SplittableRandom(seed);
    double clickShare = 1 - ORDER_SHARE;
    double arrivals = count * (ORDER_SHARE + clickShare / MEAN_SESSION_CLICKS);
    double gap = span / arrivals;
    double orderOdds = ORDER_SHARE / (ORDER_SHARE + clickShare / MEAN_SESSION_CLICKS);
    long start = end - span;
    var pending = new PriorityQueue<Click>(Comparator.comparing(Click::getEventTs));
    long emitted = 0;
    long sessions = 0;
    for (long k = 0; emitted < count; k++) {
      long t = Math.min(end, start + (long) (k * gap));
      while (!pending.isEmpty()
          && pending.peek().getEventTs().toEpochMilli() <= t
          && emitted < count) {
        sink.click(pending.poll());
        emitted++;
      }
      if (emitted == count) {
        break;
      }
      int c = random.nextInt(customers);
      if (random.nextDouble() < orderOdds) {
        sink.order(order(random, c, t, emitted));
        emitted++;
      } else {
        String session = "s-" + (++sessions);
        int clicks = 1 + random.nextInt(MAX_SESSION_CLICKS);
        long ts = t;
        for (int i = 0; i < clicks; i++) {
          pending.add(click(random, c, session, ts, k * MAX_SESSION_CLICKS + i));
          ts = Math.min(end, ts + 10_000 + random.nextLong(110_000));
        }
      }
    }
  }

  private Order order(SplittableRandom random, int c, long ts, long sequence) {
    Customer home = customer(c);
    boolean away = random.nextDouble() < 0.05;
    return Order.newBuilder()
        .setOrderId("o-" + sequence)
        .setCustomerId(customerId(c))
        .setOrderTs(Instant.ofEpochMilli(ts))
        .setOrderTotal(Math.round(Math.exp(3.3 + 0.7 * random.nextGaussian()) * 100) / 100.0)
        .setProductCategory(CATEGORIES[random.nextInt(CATEGORIES.length)])
        .setLat(
            away ? random.nextDouble(-60, 60) : home.getHomeLat() + random.nextDouble(-0.1, 0.1))
        .setLon(
            away ? random.nextDouble(-180, 180) : home.getHomeLon() + random.nextDouble(-0.1, 0.1))
        .build();
  }

  private static Click click(
      SplittableRandom random, int c, String session, long ts, long sequence) {
    return Click.newBuilder()
        .setEventId("e-" + sequence)
        .setCustomerId(customerId(c))
        .setSessionId(session)
        .setEventType(CLICK_TYPES[random.nextInt(CLICK_TYPES.length)])
        .setEventTs(Instant.ofEpochMilli(ts))
        .build();
  }

  /** An order of {@code customer} at {@code ts}, as a live shop would send it now. */
  public Order liveOrder(SplittableRandom random, int customer, long ts, String orderId) {
    Order o = order(random, customer, ts, 0);
    o.setOrderId(orderId);
    return o;
  }
}
