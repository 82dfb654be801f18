package dev.tessera.features.state;

import dev.tessera.features.aggregate.PartialLayout;
import dev.tessera.features.definition.AggregateFeature;
import dev.tessera.features.definition.EventSource;
import dev.tessera.features.definition.FeatureDefinition;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.definition.SessionFeature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * How a view's stored features are kept: per source, one lifetime record per key, one window store
 * per tile size (one record per key per tile holding every feature's partial), one session store
 * per inactivity gap. The topology writes and the lookup reads through the same layout.
 *
 * <pre>{@code
 * ViewLayout layout = ViewLayout.of(view);
 * for (ViewLayout.SourceLayout s : layout.sources()) { ... s.tiles() ... }
 * }</pre>
 */
public final class ViewLayout {
  private final FeatureView view;
  private final List<String> columns;
  private final List<SourceLayout> sources = new ArrayList<>();

  private ViewLayout(FeatureView view) {
    this.view = view;
    this.columns = view.columns();
    Duration grace = view.grace();
    for (EventSource source : view.sources()) {
      String topic = source.topic();
      List<AggregateFeature> lifetime = view.lifetime(topic);
      LifetimeGroup lifetimeGroup =
          lifetime.isEmpty()
              ? null
              : new LifetimeGroup(
                  StoreNames.lifetime(view.name(), topic),
                  PartialLayout.of(lifetime),
                  columnsOf(lifetime));
      var tiles = new ArrayList<TileGroup>();
      view.slidingByTile(topic)
          .forEach(
              (tile, features) -> {
                long[] lengths =
                    features.stream().mapToLong(f -> f.window().length().toMillis()).toArray();
                Duration longest = Duration.ofMillis(max(lengths));
                tiles.add(
                    new TileGroup(
                        StoreNames.tiles(view.name(), topic, tile),
                        tile,
                        longest.plus(grace).plus(tile),
                        PartialLayout.of(features),
                        columnsOf(features),
                        lengths));
              });
      var byGap = new LinkedHashMap<Duration, List<SessionFeature>>();
      for (SessionFeature f : view.sessions(topic)) {
        byGap.computeIfAbsent(f.gap(), g -> new ArrayList<>()).add(f);
      }
      var sessions = new ArrayList<SessionGroup>();
      byGap.forEach(
          (gap, features) -> {
            Duration longest =
                features.stream()
                    .map(SessionFeature::window)
                    .max(Duration::compareTo)
                    .orElseThrow();
            sessions.add(
                new SessionGroup(
                    StoreNames.sessions(view.name(), topic, gap),
                    gap,
                    longest.plus(grace).plus(gap),
                    features,
                    columnsOf(features)));
          });
      sources.add(new SourceLayout(source, lifetimeGroup, tiles, sessions));
    }
  }

  public static ViewLayout of(FeatureView view) {
    return new ViewLayout(view);
  }

  private static long max(long[] values) {
    long m = Long.MIN_VALUE;
    for (long v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  private int[] columnsOf(List<? extends FeatureDefinition> features) {
    return features.stream().mapToInt(f -> columnOf(f.name())).toArray();
  }

  /** Index in {@link #columns()} of the (first) column of a feature. */
  public int columnOf(String feature) {
    int at = 0;
    for (FeatureDefinition f : view.features()) {
      if (f.name().equals(feature)) {
        return at;
      }
      at += f.columns().size();
    }
    throw new IllegalArgumentException("View " + view.name() + " has no feature " + feature);
  }

  public FeatureView view() {
    return view;
  }

  /** The view's columns, in order. */
  public List<String> columns() {
    return columns;
  }

  public List<SourceLayout> sources() {
    return sources;
  }

  /** Every store of the view. */
  public List<String> storeNames() {
    var names = new ArrayList<String>();
    for (SourceLayout s : sources) {
      if (s.lifetime() != null) {
        names.add(s.lifetime().store());
      }
      s.tiles().forEach(t -> names.add(t.store()));
      s.sessions().forEach(t -> names.add(t.store()));
    }
    return names;
  }

  /**
   * A store that decides which node holds the view's data for a key: every store of a view is
   * partitioned by the view's entity key and lives in one task; a view with no stored features
   * reads only its table (the customers table unless it declares one).
   */
  public String anchorStore() {
    List<String> names = storeNames();
    if (!names.isEmpty()) {
      return names.get(0);
    }
    return view.table() == null ? StoreNames.CUSTOMERS : StoreNames.table(view.table().name());
  }

  /** A view's stores fed by one source. */
  public record SourceLayout(
      EventSource source,
      LifetimeGroup lifetime,
      List<TileGroup> tiles,
      List<SessionGroup> sessions) {}

  /**
   * Lifetime features of one source.
   *
   * @param columns column index of each feature, in layout order
   */
  public record LifetimeGroup(String store, PartialLayout layout, int[] columns) {}

  /**
   * Sliding features of one source sharing a tile size.
   *
   * @param retention how long tiles are kept: the longest window + grace + one tile
   * @param lengths window length of each feature in millis, in layout order
   */
  public record TileGroup(
      String store,
      Duration tile,
      Duration retention,
      PartialLayout layout,
      int[] columns,
      long[] lengths) {

    /**
     * Whether a lookup at {@code now} or later could read the tile holding {@code time}. Tiles
     * outside the store's retention measured from the wall clock are skipped at write: loading
     * history would otherwise create and drop a window-store segment for every few minutes of it.
     */
    public boolean servable(long time, long now) {
      return time > now - retention.toMillis();
    }

    /** Start of the tile holding {@code time}. */
    public long tileStart(long time) {
      return time - Math.floorMod(time, tile.toMillis());
    }
  }

  /** Session features of one source sharing an inactivity gap. */
  public record SessionGroup(
      String store,
      Duration gap,
      Duration retention,
      List<SessionFeature> features,
      int[] columns) {}
}
