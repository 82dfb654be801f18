package dev.tessera.features.offline;

import dev.tessera.features.definition.EntityKey;
import dev.tessera.features.definition.EventSource;
import dev.tessera.features.definition.FeatureDefinition;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureService;
import dev.tessera.features.definition.FeatureService.FeatureRef;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.definition.OnDemandFeature;
import dev.tessera.features.definition.ProfileFeature;
import dev.tessera.features.definition.RelatedFeature;
import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.features.source.SourceDecoder;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.serde.InvalidEventException;
import dev.tessera.schemas.serde.WriterSchemas;
import dev.tessera.schemas.topic.TopicCatalog;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A whole feature view as of one instant: every key of the view's entity seen in the event log up
 * to that instant, looked up as the online store would have answered then. The offline equivalent
 * of reading the feature table.
 *
 * <p>Keys are those of the events of the view's sources at or before the instant; a view that reads
 * the customer row (profile, related or {@code customer.*} on-demand features) also takes every
 * customer with a row by then; a view keyed through the customer row ({@code key: customer.region})
 * takes the values of that field in the customer rows. Request-time inputs of on-demand features
 * (e.g. {@code request.amount}) are absent, so those features hold their declared defaults.
 *
 * <pre>{@code
 * ViewTable table =
 *     ViewExport.asOf(registry, "customer_churn", asOf, log, ProgressListener.NONE, workDir);
 * ViewTableFiles.write(table, Path.of("churn.csv"));
 * }</pre>
 */
public final class ViewExport {
  private ViewExport() {}

  /** The named view, or an error listing the known ones. */
  public static FeatureView view(FeatureRegistry registry, String name) {
    return registry
        .view(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Unknown feature view "
                        + name
                        + "; known: "
                        + registry.views().stream().map(FeatureView::name).toList()));
  }

  /**
   * Every key of {@code viewName} as of {@code asOf}, replayed from {@code log} in a new directory
   * under {@code workDir}.
   */
  public static ViewTable asOf(
      FeatureRegistry registry,
      String viewName,
      long asOf,
      EventLog log,
      ProgressListener progress,
      Path workDir) {
    FeatureView view = view(registry, viewName);
    List<String> keys = List.copyOf(keys(view, log, asOf));
    long total = (long) log.events().size() + keys.size();
    boolean[] found = new boolean[keys.size()];
    long[] eventTimes = new long[keys.size()];
    double[][] values = new double[keys.size()][];
    try (var replay = new PointInTimeReplay(replayed(registry, view), log, workDir)) {
      long done = replay.advanceTo(asOf);
      progress.progress(done, total);
      for (int r = 0; r < keys.size(); r++) {
        FeatureVector v = replay.lookup(view.name(), keys.get(r), asOf, Map.of());
        found[r] = v.found();
        eventTimes[r] = newest(v.eventTimes());
        values[r] = v.values().clone();
        progress.progress(++done, total);
      }
    }
    progress.progress(total, total);
    return new ViewTable(
        view.name(), view.entity(), asOf, view.columns(), keys, found, eventTimes, values);
  }

  /**
   * Only what the view's values depend on (the views its related and on-demand features read), so
   * the replay runs a smaller topology: a service of all the view's features narrows the registry.
   */
  private static FeatureRegistry replayed(FeatureRegistry registry, FeatureView view) {
    List<FeatureRef> refs =
        view.features().stream().map(f -> new FeatureRef(view.name(), f.name())).toList();
    var all = new FeatureService(view.name() + "_export", refs);
    return new FeatureRegistry(registry.views(), List.of(all)).forService(all.name());
  }

  private static long newest(long[] eventTimes) {
    long newest = ViewTable.NO_EVENT;
    for (long t : eventTimes) {
      newest = Math.max(newest, t);
    }
    return newest;
  }

  /** The view's keys in the log up to {@code asOf}, sorted. */
  static TreeSet<String> keys(FeatureView view, EventLog log, long asOf) {
    var direct = new TreeSet<String>();
    var viaCustomer = new TreeSet<String>();
    // Declared sources and tables: their rows hold the keys (by Kafka topic: decoder, key slots).
    var declared = new HashMap<String, DeclaredKeys>();
    for (EventSource s : view.sources()) {
      if (s.via() != null) {
        declared.put(
            s.via().source().topic(), DeclaredKeys.of(s.via().source(), List.of(s.keys().get(0))));
      } else if (s.declaration() != null) {
        declared.put(s.kafkaTopic(), DeclaredKeys.of(s.declaration(), s.keys()));
      } else {
        (s.keyFromCustomer() ? viaCustomer : direct).add(s.topic());
      }
    }
    if (view.table() != null) {
      declared.putIfAbsent(
          view.table().source().topic(),
          DeclaredKeys.of(view.table().source(), view.table().entity().keys()));
    }
    boolean readsCustomerRow = view.features().stream().anyMatch(ViewExport::readsCustomerRow);
    Deserializer<Customer> customers =
        TopicCatalog.create(1, (short) 1).customers().valueSerde().deserializer();
    var keys = new TreeSet<String>();
    for (LoggedEvent e : log.events()) {
      if (e.time() > asOf) {
        break; // the log is in time order
      }
      DeclaredKeys fromRow = declared.get(e.topic());
      if (fromRow != null) {
        String key = fromRow.key(e);
        if (key != null) {
          keys.add(key);
        }
        continue;
      }
      if (direct.contains(e.topic())
          || readsCustomerRow && e.topic().equals(TopicCatalog.CUSTOMERS)) {
        keys.add(e.key());
      }
      if (!viaCustomer.isEmpty() && e.topic().equals(TopicCatalog.CUSTOMERS)) {
        Customer c = customers.deserialize(e.topic(), e.value());
        for (EventSource s : view.sources()) {
          Object key =
              s.keyFromCustomer() && c.getSchema().getField(s.key()) != null
                  ? c.get(s.key())
                  : null;
          if (key != null) {
            keys.add(key.toString());
          }
        }
      }
    }
    return keys;
  }

  /** How a declared source's or table's records name a key: decoded, its key fields joined. */
  private record DeclaredKeys(SourceDecoder decoder, int[] slots, boolean fromRecord) {
    static DeclaredKeys of(SourceDeclaration source, List<String> keys) {
      return new DeclaredKeys(
          SourceDecoder.of(source, WriterSchemas.none()),
          keys.stream().mapToInt(source::position).toArray(),
          source.keyFrom() == SourceDeclaration.KeyFrom.RECORD && keys.size() == 1);
    }

    /** The key the record is counted under, or null when it has none (dead-lettered online). */
    String key(LoggedEvent e) {
      if (fromRecord && slots[0] < 0) {
        return e.key();
      }
      GenericRecord row;
      try {
        row = decoder.decode(e.value());
      } catch (InvalidEventException ex) {
        return null;
      }
      String[] values = new String[slots.length];
      for (int i = 0; i < slots.length; i++) {
        Object v = slots[i] < 0 ? null : row.get(slots[i]);
        if (v == null) {
          return fromRecord ? e.key() : null;
        }
        values[i] = v.toString();
      }
      return EntityKey.of(values);
    }
  }

  private static boolean readsCustomerRow(FeatureDefinition f) {
    return f instanceof ProfileFeature
        || f instanceof RelatedFeature
        || f instanceof OnDemandFeature o
            && o.expression().references().stream().anyMatch(a -> a.startsWith("customer."));
  }
}
