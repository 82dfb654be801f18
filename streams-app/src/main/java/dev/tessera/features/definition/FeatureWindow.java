package dev.tessera.features.definition;

import java.time.Duration;
import java.util.Objects;

/**
 * The time span a feature aggregates over: the whole history of the key, or a sliding window of
 * fixed length ending at lookup time.
 *
 * <pre>{@code
 * FeatureWindow.sliding(Duration.ofDays(30)).tile(); // PT12H: 60 tiles per window
 * }</pre>
 *
 * <p>A sliding window is answered from tiles: partial aggregates per key per tile. A lookup at
 * {@code t} merges every tile whose start lies in {@code [align(t - length + 1), t]}, so the result
 * is exact up to one tile at the old end of the window.
 */
public final class FeatureWindow {
  /** Tiles per sliding window when the tile size is derived. */
  public static final int TILES_PER_WINDOW = 60;

  /** Most tiles a window may span when the tile size is declared. */
  public static final int MAX_TILES_PER_WINDOW = 64;

  private static final FeatureWindow LIFETIME = new FeatureWindow(null, null);

  private final Duration length;
  private final Duration tile;

  private FeatureWindow(Duration length, Duration tile) {
    this.length = length;
    this.tile = tile;
  }

  /** Every event the key ever had. */
  public static FeatureWindow lifetime() {
    return LIFETIME;
  }

  /**
   * A sliding window of the given length with a derived tile: length/60 when that is a whole number
   * of milliseconds, else the largest divisor of the length giving at most 64 tiles.
   */
  public static FeatureWindow sliding(Duration length) {
    Objects.requireNonNull(length, "length");
    long ms = length.toMillis();
    if (ms < 1) {
      throw new IllegalArgumentException("Window length must be positive, got " + length);
    }
    if (ms % TILES_PER_WINDOW == 0) {
      return sliding(length, Duration.ofMillis(ms / TILES_PER_WINDOW));
    }
    for (long tiles = Math.min(ms, MAX_TILES_PER_WINDOW); ; tiles--) {
      if (ms % tiles == 0) {
        return sliding(length, Duration.ofMillis(ms / tiles));
      }
    }
  }

  /** A sliding window with a declared tile; the length must be a whole number of tiles. */
  public static FeatureWindow sliding(Duration length, Duration tile) {
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(tile, "tile");
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("Window length must be positive, got " + length);
    }
    if (tile.toMillis() < 1 || length.toMillis() % tile.toMillis() != 0) {
      throw new IllegalArgumentException(
          "Window "
              + Durations.format(length)
              + " is not a whole number of tiles of "
              + Durations.format(tile));
    }
    if (length.toMillis() / tile.toMillis() > MAX_TILES_PER_WINDOW * 16L) {
      throw new IllegalArgumentException(
          "Window "
              + Durations.format(length)
              + " would span "
              + length.toMillis() / tile.toMillis()
              + " tiles of "
              + Durations.format(tile)
              + "; use a larger tile (at most "
              + MAX_TILES_PER_WINDOW * 16
              + " tiles, about 64 keep lookups fast)");
    }
    return new FeatureWindow(length, tile);
  }

  public boolean isLifetime() {
    return length == null;
  }

  /** Window length; undefined for lifetime windows. */
  public Duration length() {
    requireSliding();
    return length;
  }

  /** Tile size; undefined for lifetime windows. */
  public Duration tile() {
    requireSliding();
    return tile;
  }

  private void requireSliding() {
    if (isLifetime()) {
      throw new IllegalStateException("A lifetime window has no length or tile");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureWindow w
        && Objects.equals(length, w.length)
        && Objects.equals(tile, w.tile);
  }

  @Override
  public int hashCode() {
    return Objects.hash(length, tile);
  }

  @Override
  public String toString() {
    return isLifetime()
        ? "lifetime"
        : Durations.format(length) + " (tiles of " + Durations.format(tile) + ")";
  }
}
