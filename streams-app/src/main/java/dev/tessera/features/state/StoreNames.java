package dev.tessera.features.state;

import java.time.Duration;
import java.util.List;

/**
 * Names of the feature stores. They also name the changelog topics ({@code
 * <application.id>-<store>-changelog}), so they must not change between releases.
 */
public final class StoreNames {
  /** Key-value store of the customers table, keyed by customer_id. */
  public static final String CUSTOMERS = "customers-profile";

  private StoreNames() {}

  /**
   * The empty store that keeps every store of a declared entity in one task, named by its key
   * fields, e.g. user_id-entity-anchor.
   */
  public static String entityAnchor(List<String> keys) {
    return String.join("-", keys) + "-entity-anchor";
  }

  /** Key-value store of the newest row of each entity of a declared table, e.g. users-table. */
  public static String table(String table) {
    return table + "-table";
  }

  /**
   * Key-value store of a view's lifetime partials of one source, e.g.
   * customer_churn-orders-lifetime.
   */
  public static String lifetime(String view, String topic) {
    return view + "-" + topic + "-lifetime";
  }

  /**
   * Window store of a view's partials of one source per tile, e.g.
   * customer_churn-orders-tiles-43200s.
   */
  public static String tiles(String view, String topic, Duration tile) {
    return view + "-" + topic + "-tiles-" + millisName(tile);
  }

  /**
   * Session store of a view's sessions of one source per gap, e.g.
   * customer_churn-clicks-sessions-1800s.
   */
  public static String sessions(String view, String topic, Duration gap) {
    return view + "-" + topic + "-sessions-" + millisName(gap);
  }

  private static String millisName(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
