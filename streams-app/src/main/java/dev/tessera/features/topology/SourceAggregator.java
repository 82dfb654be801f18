package dev.tessera.features.topology;

import dev.tessera.features.aggregate.PartialLayout;
import dev.tessera.features.aggregate.Partials;
import dev.tessera.features.state.FeatureStores;
import dev.tessera.features.state.ViewLayout;
import dev.tessera.features.state.ViewLayout.SessionGroup;
import dev.tessera.features.state.ViewLayout.SourceLayout;
import dev.tessera.features.state.ViewLayout.TileGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Window;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Folds the validated events of one source into one view's stores: the key's lifetime record, its
 * current tile of every tile size, and its sessions. Windowed state ignores events older than the
 * view's grace (they cannot change a value the view can still serve) and tiles no lookup from now
 * on can read; lifetime state takes every event.
 */
final class SourceAggregator<V extends IndexedRecord> implements Processor<String, V, Void, Void> {
  private final SourceLayout source;
  private final long graceMillis;
  private final ViewMeter meter;
  private final FeatureInput[] lifetimeInputs;
  private final List<FeatureInput[]> tileInputs = new ArrayList<>();
  private KeyValueStore<String, Partials> lifetime;
  private final List<WindowStore<String, Partials>> tiles = new ArrayList<>();
  private final List<SessionStore<String, Long>> sessions = new ArrayList<>();
  private ProcessorContext<Void, Void> context;

  private SourceAggregator(SourceLayout source, Duration grace, Schema schema, ViewMeter meter) {
    this.source = source;
    this.graceMillis = grace.toMillis();
    this.meter = meter;
    this.lifetimeInputs =
        source.lifetime() == null ? null : inputs(source.lifetime().layout(), schema);
    for (TileGroup g : source.tiles()) {
      tileInputs.add(inputs(g.layout(), schema));
    }
  }

  private static FeatureInput[] inputs(PartialLayout layout, Schema schema) {
    return layout.features().stream()
        .map(f -> FeatureInput.of(f, schema))
        .toArray(FeatureInput[]::new);
  }

  static <V extends IndexedRecord> ProcessorSupplier<String, V, Void, Void> supplier(
      ViewLayout view, SourceLayout source, Schema schema, ViewMeter meter, FeatureStores stores) {
    Duration grace = view.view().grace();
    // Fail at build time, not on the first event.
    new SourceAggregator<V>(source, grace, schema, meter);
    return new ProcessorSupplier<>() {
      @Override
      public Processor<String, V, Void, Void> get() {
        return new SourceAggregator<>(source, grace, schema, meter);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        var builders = new LinkedHashSet<StoreBuilder<?>>();
        if (source.lifetime() != null) {
          builders.add(stores.lifetime(source.lifetime().store(), source.lifetime().layout()));
        }
        for (TileGroup g : source.tiles()) {
          builders.add(stores.tiles(g.store(), g.tile(), g.retention(), g.layout()));
        }
        for (SessionGroup g : source.sessions()) {
          builders.add(stores.sessions(g.store(), g.retention()));
        }
        return builders;
      }
    };
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    // Streams calls init again on the same instance when it revives a task (closed dirty after a
    // TaskCorruptedException, e.g. a store without checkpoint under exactly-once): start afresh,
    // or the lists hold each store twice and process() indexes past source.tiles().
    tiles.clear();
    sessions.clear();
    if (source.lifetime() != null) {
      lifetime = context.getStateStore(source.lifetime().store());
    }
    for (TileGroup g : source.tiles()) {
      tiles.add(context.getStateStore(g.store()));
    }
    for (SessionGroup g : source.sessions()) {
      sessions.add(context.getStateStore(g.store()));
    }
  }

  @Override
  public void process(Record<String, V> record) {
    String key = record.key();
    V event = record.value();
    long time = record.timestamp();
    if (lifetime != null) {
      PartialLayout layout = source.lifetime().layout();
      Partials p = lifetime.get(key);
      if (fold(layout, p == null ? (p = layout.empty()) : p, lifetimeInputs, event, time)) {
        lifetime.put(key, p);
      }
    }
    long now = context.currentSystemTimeMs();
    if (time < context.currentStreamTimeMs() - graceMillis) {
      if (lifetime != null) {
        meter.applied(time, now);
      }
      return;
    }
    meter.applied(time, now);
    for (int i = 0; i < tiles.size(); i++) {
      TileGroup group = source.tiles().get(i);
      if (!group.servable(time, now)) {
        continue;
      }
      long tileStart = group.tileStart(time);
      WindowStore<String, Partials> store = tiles.get(i);
      Partials p = store.fetch(key, tileStart);
      if (p == null) {
        p = group.layout().empty();
      }
      if (fold(group.layout(), p, tileInputs.get(i), event, time)) {
        store.put(key, p, tileStart);
      }
    }
    for (int i = 0; i < sessions.size(); i++) {
      addToSession(sessions.get(i), source.sessions().get(i).gap().toMillis(), key, time);
    }
  }

  /** Folds the event into every feature that takes it; false when none did. */
  private static boolean fold(
      PartialLayout layout, Partials p, FeatureInput[] inputs, IndexedRecord event, long time) {
    boolean changed = false;
    for (int f = 0; f < inputs.length; f++) {
      FeatureInput in = inputs[f];
      if (!in.applies(event)) {
        continue;
      }
      if (FeatureInput.isDistinct(layout.features().get(f))) {
        layout.addDistinct(p, f, time, in.text(event));
      } else {
        layout.add(p, f, time, in.number(event));
      }
      changed = true;
    }
    return changed;
  }

  /**
   * Merges the event with every session it falls within {@code gap} of, as Kafka Streams' session
   * windows do: a late event can bridge two sessions into one.
   */
  static void addToSession(SessionStore<String, Long> store, long gap, String key, long time) {
    long start = time;
    long end = time;
    long events = 1;
    var merged = new ArrayList<Windowed<String>>();
    try (KeyValueIterator<Windowed<String>, Long> it =
        store.findSessions(key, time - gap, time + gap)) {
      while (it.hasNext()) {
        KeyValue<Windowed<String>, Long> s = it.next();
        merged.add(s.key);
        start = Math.min(start, s.key.window().start());
        end = Math.max(end, s.key.window().end());
        events += s.value;
      }
    }
    for (Windowed<String> old : merged) {
      store.remove(old);
    }
    store.put(new Windowed<>(key, new Session(start, end)), events);
  }

  /** A session's span, both ends inclusive, as the session store keys it. */
  private static final class Session extends Window {
    Session(long start, long end) {
      super(start, end);
    }

    @Override
    public boolean overlap(Window other) {
      return startMs <= other.end() && other.start() <= endMs;
    }
  }
}
