package dev.tessera.features.topology;

import dev.tessera.features.aggregate.PartialLayout;
import dev.tessera.features.aggregate.Partials;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.state.FeatureStores;
import dev.tessera.features.state.StoreNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Folds each event of a view's source topic into the view's partials: once into the key's lifetime
 * record and once into the key's current tile of every tile size the view uses. One record per tile
 * holds the partials of all features that share that tile size.
 */
final class ViewAggregator<V extends SpecificRecord> implements Processor<String, V, Void, Void> {
  private final FeatureView view;
  private final ViewPlan plan;
  private final int entityField;
  private final int timeField;
  private final int partitions;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, Partials> lifetime;
  private final List<WindowStore<String, Partials>> tiles = new ArrayList<>();

  private ViewAggregator(FeatureView view, ViewPlan plan, Schema schema, int partitions) {
    this.view = view;
    this.partitions = partitions;
    this.plan = plan;
    this.entityField = schema.getField(view.entityKey()).pos();
    this.timeField = schema.getField(view.eventTime()).pos();
  }

  /** The processor supplier of a view, carrying the stores it needs. */
  static <V extends SpecificRecord> ProcessorSupplier<String, V, Void, Void> supplier(
      FeatureView view, Schema schema, int partitions) {
    ViewPlan plan = ViewPlan.of(view);
    return new ProcessorSupplier<>() {
      @Override
      public Processor<String, V, Void, Void> get() {
        return new ViewAggregator<>(view, plan, schema, partitions);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return plan.storeBuilders(view);
      }
    };
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    if (!plan.lifetime().features().isEmpty()) {
      lifetime = context.getStateStore(StoreNames.lifetime(view.name()));
    }
    for (ViewPlan.TileGroup group : plan.tileGroups()) {
      tiles.add(context.getStateStore(StoreNames.tiles(view.name(), group.tile())));
    }
  }

  @Override
  public void process(Record<String, V> record) {
    String key = record.key();
    V event = record.value();
    if (event == null) {
      throw new RejectedEventException("value", "null value: " + view.sourceTopic() + " needs one");
    }
    Object entity = event.get(entityField);
    if (key == null || key.isEmpty()) {
      throw new RejectedEventException(
          "key",
          "missing key: records on "
              + view.sourceTopic()
              + " must be keyed by "
              + view.entityKey()
              + " ('"
              + entity
              + "')");
    }
    if (!key.equals(entity)) {
      throw new RejectedEventException(
          "key", "key '" + key + "' does not match " + view.entityKey() + " '" + entity + "'");
    }
    requireDefaultPartition(key);
    long eventTime = ((Instant) event.get(timeField)).toEpochMilli();
    if (eventTime < 0) {
      throw new RejectedEventException("time", view.eventTime() + " is before 1970: " + eventTime);
    }
    long oldestAccepted = context.currentStreamTimeMs() - plan.grace().toMillis();
    if (!plan.tileGroups().isEmpty() && eventTime < oldestAccepted) {
      throw new RejectedEventException(
          "late",
          "late: "
              + view.eventTime()
              + " "
              + Instant.ofEpochMilli(eventTime)
              + " is older than stream time minus grace "
              + plan.grace()
              + " ("
              + Instant.ofEpochMilli(oldestAccepted)
              + ")");
    }
    if (lifetime != null) {
      lifetime.put(key, fold(plan.lifetime(), lifetime.get(key), eventTime));
    }
    for (int i = 0; i < tiles.size(); i++) {
      long tileStart = plan.tileGroups().get(i).tileStart(eventTime);
      WindowStore<String, Partials> store = tiles.get(i);
      PartialLayout layout = plan.tileGroups().get(i).layout();
      store.put(key, fold(layout, store.fetch(key, tileStart), eventTime), tileStart);
    }
  }

  /**
   * Lookups find a key's store through Kafka's default partitioner (murmur2 of the key), so a
   * record on another partition would be counted in a store no lookup reads.
   */
  private void requireDefaultPartition(String key) {
    int actual = context.recordMetadata().map(m -> m.partition()).orElse(-1);
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    int expected = Utils.toPositive(Utils.murmur2(bytes)) % partitions;
    if (actual >= 0 && actual != expected) {
      throw new RejectedEventException(
          "partition",
          "wrong partition: key '"
              + key
              + "' belongs on partition "
              + expected
              + " of "
              + partitions
              + " (murmur2, Kafka's default partitioner), got "
              + actual
              + "; with kcat or librdkafka set -X partitioner=murmur2_random");
    }
  }

  private static Partials fold(PartialLayout layout, Partials current, long eventTime) {
    return layout.add(current == null ? layout.empty() : current, eventTime, 1.0);
  }

  /** Precomputed layouts and stores of one view. */
  record ViewPlan(PartialLayout lifetime, List<TileGroup> tileGroups, Duration grace) {

    static ViewPlan of(FeatureView view) {
      var groups = new ArrayList<TileGroup>();
      view.slidingFeaturesByTile()
          .forEach((tile, features) -> groups.add(new TileGroup(tile, PartialLayout.of(features))));
      return new ViewPlan(PartialLayout.of(view.lifetimeFeatures()), groups, view.grace());
    }

    Set<StoreBuilder<?>> storeBuilders(FeatureView view) {
      var builders = new LinkedHashSet<StoreBuilder<?>>();
      if (!lifetime.features().isEmpty()) {
        builders.add(FeatureStores.lifetime(view.name(), lifetime.width()));
      }
      for (TileGroup g : tileGroups) {
        builders.add(
            FeatureStores.tiles(view.name(), g.tile(), g.retention(grace), g.layout().width()));
      }
      return builders;
    }

    /** Features sharing one tile size. */
    record TileGroup(Duration tile, PartialLayout layout) {
      long tileStart(long eventTime) {
        return eventTime - Math.floorMod(eventTime, tile.toMillis());
      }

      Duration retention(Duration grace) {
        Duration longest =
            layout.features().stream()
                .map(f -> f.window().length())
                .max(Duration::compareTo)
                .orElseThrow();
        return longest.plus(grace).plus(tile);
      }
    }
  }
}
