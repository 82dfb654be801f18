package dev.tessera.serving.demo;

import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Demo orders for customers {@code C-1 .. C-n}: each customer orders at a rate of their own, from
 * several a week to almost never, so features and scores differ between customers. Deterministic
 * for a seed.
 *
 * <pre>{@code
 * var demo = new DemoOrders(200, 42);
 * List<Order> past = demo.history(Instant.now(), Duration.ofDays(45));
 * Order next = demo.next(Instant.now());
 * }</pre>
 */
public final class DemoOrders {
  private static final String[] CATEGORIES = {
    "books", "electronics", "grocery", "fashion", "home", "toys", "sports", "beauty"
  };

  private static final String[] TIERS = {"free", "basic", "premium"};
  private static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "us-west", "apac"};

  private final double[] ordersPerDay;
  private final double totalRate;
  private final SplittableRandom random;
  private long sequence;

  public DemoOrders(int customers, long seed) {
    if (customers < 1) {
      throw new IllegalArgumentException("Need at least one customer, got " + customers);
    }
    var rates = new Random(seed);
    this.ordersPerDay = new double[customers];
    double total = 0;
    for (int i = 0; i < customers; i++) {
      // Log-uniform between one order in 50 days and one a day.
      ordersPerDay[i] = Math.exp(Math.log(0.02) + rates.nextDouble() * -Math.log(0.02));
      total += ordersPerDay[i];
    }
    this.totalRate = total;
    this.random = new SplittableRandom(seed);
  }

  public static String customerId(int index) {
    return "C-" + (index + 1);
  }

  /**
   * The customers table rows: signed up 60–400 days before {@code now}, a subscription tier, a
   * region and a home location. Deterministic for the seed.
   */
  public List<Customer> customers(Instant now, long seed) {
    var r = new Random(seed);
    var rows = new ArrayList<Customer>();
    for (int c = 0; c < ordersPerDay.length; c++) {
      rows.add(
          Customer.newBuilder()
              .setCustomerId(customerId(c))
              .setSignupTs(now.minus(Duration.ofDays(60 + r.nextInt(340))))
              .setSubscriptionTier(TIERS[r.nextInt(TIERS.length)])
              .setRegion(REGIONS[c % REGIONS.length])
              .setHomeLat(Math.round((35 + r.nextDouble() * 25) * 1e4) / 1e4)
              .setHomeLon(Math.round((-10 + r.nextDouble() * 30) * 1e4) / 1e4)
              .build());
    }
    return rows;
  }

  /** Orders of every customer over {@code span} up to {@code end}, oldest first. */
  public List<Order> history(Instant end, Duration span) {
    var orders = new ArrayList<Order>();
    double days = span.toMillis() / 86_400_000.0;
    long start = end.toEpochMilli() - span.toMillis();
    for (int c = 0; c < ordersPerDay.length; c++) {
      long n = poisson(ordersPerDay[c] * days);
      for (long i = 0; i < n; i++) {
        long ts = start + (long) (random.nextDouble() * span.toMillis());
        orders.add(order(c, Instant.ofEpochMilli(ts)));
      }
    }
    orders.sort(Comparator.comparing(Order::getOrderTs));
    return orders;
  }

  /** One order placed at {@code now} by a customer drawn in proportion to their rate. */
  public Order next(Instant now) {
    double pick = random.nextDouble() * totalRate;
    int c = 0;
    while (c < ordersPerDay.length - 1 && pick >= ordersPerDay[c]) {
      pick -= ordersPerDay[c];
      c++;
    }
    return order(c, now);
  }

  private Order order(int customer, Instant ts) {
    return Order.newBuilder()
        .setOrderId("demo-" + (++sequence))
        .setCustomerId(customerId(customer))
        .setOrderTs(ts)
        .setOrderTotal(Math.round((5 + random.nextDouble() * 195) * 100) / 100.0)
        .setProductCategory(CATEGORIES[random.nextInt(CATEGORIES.length)])
        .build();
  }

  private long poisson(double mean) {
    // Knuth's method is fine for the small means of a demo.
    double limit = Math.exp(-mean);
    double p = 1;
    long k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > limit);
    return k - 1;
  }
}
