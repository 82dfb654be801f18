package dev.tessera.serving.demo.world;

import dev.tessera.schemas.Customer;
import dev.tessera.serving.demo.Randoms;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The hidden make-up of one customer: how often they order and browse, what they spend, their churn
 * propensity and churn time, and the lulls (holidays) that make a loyal customer look like one
 * about to leave. Times are epoch millis.
 *
 * <p>Everything follows from {@code (seed, index, start)}; the constants are tuned so that a model
 * on 30-day features reaches an AUC of about 0.8 on order features and about 0.9 with engagement
 * (ChurnWorldQualityTest measures it).
 */
final class Persona {
  static final long DAY = Duration.ofDays(1).toMillis();
  static final long MINUTE = Duration.ofMinutes(1).toMillis();

  static final String[] TIERS = {"free", "basic", "premium"};
  // The categories of customer_churn.region in features.yaml, with a rough box of home locations.
  static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "us-west", "apac"};
  private static final double[][] REGION_BOXES = {
    {43, 56, -9, 3}, {45, 55, 6, 24}, {33, 45, -84, -71}, {32, 48, -123, -115}, {-35, 36, 100, 152}
  };
  static final String[] CATEGORIES = {
    "books", "electronics", "grocery", "fashion", "home", "toys", "sports", "beauty"
  };

  // Streams of Randoms.derive: one per purpose, so that no draw shifts another.
  static final long PERSONA_STREAM = 1;
  static final long ORDER_TIMES_STREAM = 2;
  static final long SESSION_TIMES_STREAM = 3;
  static final long ORDER_STREAM = 4;
  static final long SESSION_STREAM = 5;
  static final long LULL_STREAM = 6;

  final int index;
  final String customerId;
  final long seed;
  final Customer row;
  final double propensity;
  final long churnAt;
  final long orderFade;
  final long sessionFade;
  final double ordersPerDay;
  final double sessionsPerDay;
  final double meanOrderValue;
  final double clicksPerSession;
  final String[] favourites;
  private final long[] lullFrom;
  private final long[] lullTo;
  private final double[] lullLevel;

  private Persona(int index, long worldSeed, long start, long lullsUntil) {
    this.index = index;
    this.customerId = customerId(index);
    this.seed = Randoms.memberSeed(worldSeed, index);
    SplittableRandom r = Randoms.derive(seed, PERSONA_STREAM, 0);

    double tierDraw = r.nextDouble();
    int tier = tierDraw < 0.5 ? 0 : tierDraw < 0.8 ? 1 : 2;
    int region = r.nextInt(REGIONS.length);
    double[] box = REGION_BOXES[region];
    long tenureDays = 20 + r.nextInt(880);
    this.row =
        Customer.newBuilder()
            .setCustomerId(customerId)
            .setSignupTs(Instant.ofEpochMilli(start - tenureDays * DAY - r.nextLong(DAY)))
            .setSubscriptionTier(TIERS[tier])
            .setRegion(REGIONS[region])
            .setHomeLat(round4(Randoms.uniform(r, box[0], box[1])))
            .setHomeLon(round4(Randoms.uniform(r, box[2], box[3])))
            .build();

    // The hidden propensity: mostly idiosyncratic, a little from the profile (free and new
    // customers leave more), so profile features help a bit and behaviour helps most.
    double z = r.nextGaussian();
    double logit =
        -1.7 + 1.05 * z + (tier == 0 ? 0.35 : tier == 2 ? -0.45 : 0) + (tenureDays < 90 ? 0.4 : 0);
    this.propensity = Randoms.sigmoid(logit);
    double dailyHazard = -Math.log(1 - propensity) / 30;
    this.churnAt = start + (long) (Randoms.exponential(r, 1 / dailyHazard) * DAY);

    // One in eight leave abruptly (a competitor's offer, a move): their history hardly warns.
    boolean abrupt = r.nextDouble() < 0.3;
    double orderFadeDays = abrupt ? Randoms.uniform(r, 1, 6) : Randoms.uniform(r, 30, 60);
    // Engagement fades before spending does: people stop browsing before they stop buying.
    double sessionLead = abrupt ? Randoms.uniform(r, 1, 1.5) : Randoms.uniform(r, 1.2, 1.7);
    this.orderFade = (long) (orderFadeDays * DAY);
    this.sessionFade = (long) (orderFadeDays * sessionLead * DAY);

    // At-risk customers are a little less active all along, not only while they fade: they
    // browse less, order less often still and spend a little less per order.
    double activity = Randoms.logNormal(r, 1, 0.5) * Math.exp(-0.35 * z);
    this.ordersPerDay = 0.3 * activity * Math.exp(-0.3 * z) * Randoms.logNormal(r, 1, 0.35);
    this.sessionsPerDay = 0.6 * activity * Randoms.logNormal(r, 1, 0.35);
    this.meanOrderValue =
        Randoms.logNormal(r, 45, 0.45) * Math.exp(-0.15 * z) * (tier == 2 ? 1.3 : 1);
    this.clicksPerSession = Randoms.uniform(r, 3, 7);
    int favouriteCount = 1 + r.nextInt(3);
    this.favourites = new String[favouriteCount];
    for (int i = 0; i < favouriteCount; i++) {
      favourites[i] = CATEGORIES[r.nextInt(CATEGORIES.length)];
    }

    // Lulls: a few weeks of little activity about every 100 days, churner or not.
    SplittableRandom lulls = Randoms.derive(seed, LULL_STREAM, 0);
    int capacity = (int) ((lullsUntil - start) / (50 * DAY)) + 8;
    long[] from = new long[capacity];
    long[] to = new long[capacity];
    double[] level = new double[capacity];
    int n = 0;
    long t = start - 60 * DAY + (long) (Randoms.exponential(lulls, 100) * DAY);
    while (t < lullsUntil && n < capacity) {
      from[n] = t;
      to[n] = t + (long) (Randoms.uniform(lulls, 7, 21) * DAY);
      level[n] = Randoms.uniform(lulls, 0.05, 0.35);
      t = to[n] + (long) (Randoms.exponential(lulls, 100) * DAY);
      n++;
    }
    this.lullFrom = Arrays.copyOf(from, n);
    this.lullTo = Arrays.copyOf(to, n);
    this.lullLevel = Arrays.copyOf(level, n);
  }

  /**
   * @param worldSeed the world's seed
   * @param index 0-based customer index
   * @param start epoch millis where the history starts (signups lie before it)
   * @param lullsUntil epoch millis up to which lulls are drawn (end of history plus the live phase)
   */
  static Persona draw(long worldSeed, int index, long start, long lullsUntil) {
    return new Persona(index, worldSeed, start, lullsUntil);
  }

  static String customerId(int index) {
    return "C-" + (index + 1);
  }

  /**
   * 1 until {@code fade} before churn; then a drop to 0.6 (the customer disengages) and a linear
   * decline to 0 at {@code churnAt}; 0 after. The drop is what makes the fade visible in a 30-day
   * count well before churn; without it order features alone reached an AUC of only ~0.75.
   */
  double fade(long t, long fade) {
    long left = churnAt - t;
    if (left <= 0) {
      return 0;
    }
    if (left >= fade) {
      return 1;
    }
    double x = (double) left / fade;
    return 0.6 * x;
  }

  double lull(long t) {
    for (int i = 0; i < lullFrom.length && lullFrom[i] <= t; i++) {
      if (t < lullTo[i]) {
        return lullLevel[i];
      }
    }
    return 1;
  }

  /** Multiplier of the order rate at {@code t}. */
  double orderLevel(long t) {
    return fade(t, orderFade) * lull(t);
  }

  /** Multiplier of the session rate at {@code t}. */
  double sessionLevel(long t) {
    return fade(t, sessionFade) * lull(t);
  }

  /** Multiplier of order values: fading customers buy smaller baskets. */
  double valueLevel(long t) {
    return 0.5 + 0.5 * fade(t, orderFade);
  }

  /** Multiplier of clicks per session and of the time between clicks: shorter sessions. */
  double depthLevel(long t) {
    return 0.3 + 0.7 * fade(t, sessionFade);
  }

  CustomerTruth truth() {
    return new CustomerTruth(
        customerId,
        propensity,
        Instant.ofEpochMilli(churnAt),
        Duration.ofMillis(orderFade),
        Duration.ofMillis(sessionFade));
  }

  private static double round4(double x) {
    return Math.round(x * 1e4) / 1e4;
  }
}
