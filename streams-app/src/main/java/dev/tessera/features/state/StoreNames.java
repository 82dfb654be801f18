package dev.tessera.features.state;

import java.time.Duration;

/**
 * Names of the feature stores. They also name the changelog topics ({@code
 * <application.id>-<store>-changelog}), so they must not change between releases.
 */
public final class StoreNames {
  private StoreNames() {}

  /** Key-value store of a view's lifetime partials. */
  public static String lifetime(String view) {
    return view + "-lifetime";
  }

  /**
   * Window store of a view's partials per tile of the given size, e.g. customer_churn-tiles-43200s.
   */
  public static String tiles(String view, Duration tile) {
    return view + "-tiles-" + tile.toSeconds() + "s";
  }
}
