package dev.tessera.serving.demo.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Order;
import dev.tessera.serving.training.LogisticRegressionTrainer;
import dev.tessera.serving.training.LogisticRegressionTrainer.Coefficients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Is the world a fair churn problem? Computes point-in-time features per label straight from the
 * generated events, the way the shipped {@code customer_churn} view defines them, fits the logistic
 * regression on half of the customers and measures the AUC on the other half.
 */
class ChurnWorldQualityTest {
  private static final Instant END = Instant.parse("2026-06-01T00:00:00Z");
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long WINDOW = Duration.ofDays(30).toMillis();
  private static final long SESSION_GAP = Duration.ofMinutes(30).toMillis();

  /** days_since_last_order, total_orders, lifetime_revenue, avg_order_value, orders_30d. */
  private static final int ORDER_FEATURES = 5;

  /** ... plus sessions_last_30d, page_views_30d, cart_adds_30d, avg_session_duration. */
  private static final int ALL_FEATURES = 9;

  private static float[][] features;
  private static int[] labels;
  private static boolean[] holdout;
  private static double orderAuc;
  private static double allAuc;

  @BeforeAll
  static void fit() {
    computeFeatures(ChurnWorld.create(1_500, 150, 7, END));
    orderAuc = holdoutAuc(ORDER_FEATURES);
    allAuc = holdoutAuc(ALL_FEATURES);
    // For the record (target/surefire-reports/*-output.txt): the figures docs/DEMO-WORLD.md quotes.
    System.out.printf(
        "%d labels, %.1f%% positive; holdout AUC order features %.3f, with engagement %.3f%n",
        labels.length, 100 * Arrays.stream(labels).average().orElse(0), orderAuc, allAuc);
  }

  private static void computeFeatures(ChurnWorld world) {
    Map<String, History> histories = new HashMap<>();
    world
        .history()
        .forEach(
            e -> {
              if (e.value() instanceof Order o) {
                histories.computeIfAbsent(e.key(), k -> new History()).add(o);
              } else if (e.value() instanceof Click c) {
                histories.computeIfAbsent(e.key(), k -> new History()).add(c);
              }
            });
    List<WorldLabel> all = world.labels();
    features = new float[all.size()][];
    labels = new int[all.size()];
    holdout = new boolean[all.size()];
    long start = world.start().toEpochMilli();
    for (int i = 0; i < all.size(); i++) {
      WorldLabel label = all.get(i);
      History h = histories.getOrDefault(label.customerId(), new History());
      features[i] = h.features(label.ts().toEpochMilli(), start);
      labels[i] = label.label();
      holdout[i] = Integer.parseInt(label.customerId().substring(2)) % 2 == 0;
    }
  }

  @Test
  void shouldHaveASensibleClassBalance() {
    double positives = Arrays.stream(labels).average().orElse(0);

    assertThat(labels).hasSizeGreaterThan(10_000);
    assertThat(positives).isBetween(0.10, 0.35);
  }

  @Test
  void shouldGiveOrderFeaturesARealisticAuc() {
    assertThat(orderAuc).isBetween(0.75, 0.90);
  }

  @Test
  void shouldAddLiftWithEngagementFeatures() {
    assertThat(allAuc).isGreaterThan(orderAuc + 0.03);
    assertThat(allAuc).isBetween(0.80, 0.95);
  }

  @Test
  void shouldNotLetAnyFeatureGiveTheLabelAway() {
    for (int j = 0; j < ALL_FEATURES; j++) {
      double[] column = new double[labels.length];
      for (int i = 0; i < labels.length; i++) {
        column[i] = features[i][j];
      }
      double auc = auc(column, labels);
      assertThat(Math.max(auc, 1 - auc)).as("AUC of feature %d alone", j).isLessThan(0.9);
    }
    assertThat(allAuc).isLessThan(0.97);
  }

  private static double holdoutAuc(int width) {
    var trainX = new ArrayList<float[]>();
    var trainY = new ArrayList<Integer>();
    for (int i = 0; i < labels.length; i++) {
      if (!holdout[i]) {
        trainX.add(transform(features[i], width));
        trainY.add(labels[i]);
      }
    }
    Coefficients fit =
        LogisticRegressionTrainer.fit(
            trainX.toArray(float[][]::new),
            trainY.stream().mapToInt(Integer::intValue).toArray(),
            0.001,
            2_000);
    var scores = new ArrayList<Double>();
    var truth = new ArrayList<Integer>();
    for (int i = 0; i < labels.length; i++) {
      if (holdout[i]) {
        scores.add(fit.probability(transform(features[i], width)));
        truth.add(labels[i]);
      }
    }
    return auc(
        scores.stream().mapToDouble(Double::doubleValue).toArray(),
        truth.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The first {@code width} features, counts and amounts on a log scale (LR is linear in them). */
  private static float[] transform(float[] row, int width) {
    float[] out = new float[width];
    for (int j = 0; j < width; j++) {
      out[j] = (float) Math.log1p(Math.max(0, row[j]));
    }
    return out;
  }

  /** Rank-based AUC (Mann-Whitney U), ties counted as half. */
  static double auc(double[] scores, int[] y) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double rankSum = 0;
    long positives = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (y[order[k]] == 1) {
          rankSum += rank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = scores.length - positives;
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /** One customer's events, oldest first. */
  private static final class History {
    final List<long[]> orders = new ArrayList<>(); // time, cents
    final List<long[]> clicks = new ArrayList<>(); // time, 0 page_view / 1 add_to_cart / 2 other

    void add(Order o) {
      orders.add(new long[] {o.getOrderTs().toEpochMilli(), Math.round(o.getOrderTotal() * 100)});
    }

    void add(Click c) {
      long type =
          switch (c.getEventType()) {
            case "page_view" -> 0;
            case "add_to_cart" -> 1;
            default -> 2;
          };
      clicks.add(new long[] {c.getEventTs().toEpochMilli(), type});
    }

    /** The features at {@code t}, from events at or before {@code t} only. */
    float[] features(long t, long start) {
      long last = Long.MIN_VALUE;
      int total = 0;
      int recent = 0;
      double revenue = 0;
      for (long[] o : orders) {
        if (o[0] > t) {
          break;
        }
        total++;
        revenue += o[1] / 100.0;
        last = o[0];
        if (o[0] > t - WINDOW) {
          recent++;
        }
      }
      // No order yet: as long ago as the history goes back.
      double daysSince = (t - (total == 0 ? start : last)) / (double) DAY;
      int pageViews = 0;
      int cartAdds = 0;
      int sessions = 0;
      double duration = 0;
      long sessionStart = 0;
      long sessionEnd = 0;
      boolean open = false;
      for (long[] c : clicks) {
        if (c[0] > t) {
          break;
        }
        if (c[0] > t - WINDOW) {
          pageViews += c[1] == 0 ? 1 : 0;
          cartAdds += c[1] == 1 ? 1 : 0;
        }
        if (!open || c[0] - sessionEnd > SESSION_GAP) {
          if (open && sessionEnd > t - WINDOW) {
            sessions++;
            duration += (sessionEnd - sessionStart) / 1000.0;
          }
          sessionStart = c[0];
        }
        sessionEnd = c[0];
        open = true;
      }
      if (open && sessionEnd > t - WINDOW) {
        sessions++;
        duration += (sessionEnd - sessionStart) / 1000.0;
      }
      return new float[] {
        (float) daysSince,
        total,
        (float) revenue,
        total == 0 ? 0 : (float) (revenue / total),
        recent,
        sessions,
        pageViews,
        cartAdds,
        sessions == 0 ? 0 : (float) (duration / sessions)
      };
    }
  }
}
