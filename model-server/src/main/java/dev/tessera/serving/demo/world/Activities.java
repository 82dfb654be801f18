package dev.tessera.serving.demo.world;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Order;
import dev.tessera.serving.demo.Randoms;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds one order, or the clicks of one session, of a {@link Persona} at a point in time. Shared
 * by the history ({@link CustomerTimeline}) and the live phase ({@link LiveWorld}), so both follow
 * the same behaviour model.
 */
final class Activities {
  /** Most clicks in a session: bounds how long a session lasts (under a day). */
  static final int MAX_CLICKS = 40;

  /** Largest gap between two clicks of a session: well inside the 30-minute session gap. */
  static final long MAX_CLICK_GAP = 25 * Persona.MINUTE;

  private static final double MEAN_CLICK_GAP_SECONDS = 70;

  private Activities() {}

  static Order order(Persona p, String orderId, long t, SplittableRandom r) {
    double total = p.meanOrderValue * p.valueLevel(t) * Randoms.logNormal(r, 1, 0.35);
    String category =
        r.nextDouble() < 0.8
            ? p.favourites[r.nextInt(p.favourites.length)]
            : Persona.CATEGORIES[r.nextInt(Persona.CATEGORIES.length)];
    Order.Builder order =
        Order.newBuilder()
            .setOrderId(orderId)
            .setCustomerId(p.customerId)
            .setOrderTs(Instant.ofEpochMilli(t))
            .setOrderTotal(Math.max(100, Math.round(total * 100)) / 100.0)
            .setProductCategory(category);
    double where = r.nextDouble();
    if (where < 0.6) {
      // Delivered home, give or take a few km.
      order
          .setLat(round4(p.row.getHomeLat() + Randoms.uniform(r, -0.03, 0.03)))
          .setLon(round4(p.row.getHomeLon() + Randoms.uniform(r, -0.03, 0.03)));
    } else if (where < 0.65) {
      // Somewhere else entirely (a gift, a trip): what distance_from_home_km is for.
      order
          .setLat(round4(Randoms.uniform(r, -40, 60)))
          .setLon(round4(Randoms.uniform(r, -120, 150)));
    }
    return order.build();
  }

  /** Number of clicks of a session starting at {@code t}: shorter as the customer fades. */
  static int clickCount(Persona p, long t, SplittableRandom r) {
    double mean = p.clicksPerSession * p.depthLevel(t);
    return Math.min(MAX_CLICKS, 1 + Randoms.poisson(r, Math.max(0, mean - 1)));
  }

  /** Gaps between the clicks of a session at {@code t}, millis, each in [1 s, 25 min]. */
  static long[] clickGaps(Persona p, long t, int clicks, SplittableRandom r) {
    long[] gaps = new long[Math.max(0, clicks - 1)];
    double mean = MEAN_CLICK_GAP_SECONDS * 1000 * (0.5 + 0.5 * p.depthLevel(t));
    for (int i = 0; i < gaps.length; i++) {
      gaps[i] = Math.min(MAX_CLICK_GAP, Math.max(1000, (long) Randoms.exponential(r, mean)));
    }
    return gaps;
  }

  /**
   * Event types of a session's clicks: browsing opens with a search or a page view and adds to the
   * cart now and then; a session that ends in an order ends with add_to_cart, checkout.
   */
  static String[] clickTypes(int clicks, boolean endsInOrder, SplittableRandom r) {
    String[] types = new String[clicks];
    for (int i = 0; i < clicks; i++) {
      double u = r.nextDouble();
      if (i == 0) {
        types[i] = u < 0.35 ? "search" : "page_view";
      } else {
        types[i] = u < 0.62 ? "page_view" : u < 0.82 ? "search" : "add_to_cart";
      }
    }
    if (endsInOrder) {
      types[clicks - 1] = "checkout";
      if (clicks >= 2) {
        types[clicks - 2] = "add_to_cart";
      }
    }
    return types;
  }

  /** The clicks at the given times, ids {@code <sessionId>-<n>}. */
  static List<Click> clicks(Persona p, String sessionId, long[] times, String[] types) {
    var clicks = new ArrayList<Click>(times.length);
    for (int i = 0; i < times.length; i++) {
      clicks.add(click(p, sessionId, i, types[i], times[i]));
    }
    return clicks;
  }

  /** Click number {@code i} (0-based) of a session. */
  static Click click(Persona p, String sessionId, int i, String type, long t) {
    return Click.newBuilder()
        .setEventId(sessionId + "-" + (i + 1))
        .setCustomerId(p.customerId)
        .setSessionId(sessionId)
        .setEventType(type)
        .setEventTs(Instant.ofEpochMilli(t))
        .build();
  }

  private static double round4(double x) {
    return Math.round(x * 1e4) / 1e4;
  }
}
