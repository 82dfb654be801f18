package dev.tessera.serving.demo;

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
