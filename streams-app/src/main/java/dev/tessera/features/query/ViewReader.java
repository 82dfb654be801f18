package dev.tessera.features.query;

import dev.tessera.features.aggregate.PartialLayout;
import dev.tessera.features.aggregate.Partials;
import dev.tessera.features.definition.FeatureDefinition;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.definition.OnDemandFeature;
import dev.tessera.features.definition.ProfileFeature;
import dev.tessera.features.definition.RelatedFeature;
import dev.tessera.features.definition.SessionFeature;
import dev.tessera.features.ondemand.OnDemandFunction;
import dev.tessera.features.query.FeatureLookup.Reads;
import dev.tessera.features.state.StoreNames;
import dev.tessera.features.state.ViewLayout;
import dev.tessera.features.state.ViewLayout.LifetimeGroup;
import dev.tessera.features.state.ViewLayout.SessionGroup;
import dev.tessera.features.state.ViewLayout.SourceLayout;
import dev.tessera.features.state.ViewLayout.TileGroup;
import dev.tessera.schemas.Customer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads one view for one key: its stored features (lifetime records, tiles, sessions), then the
 * customer row's features, related entities' features, and finally the on-demand features, which
 * may use any of those.
 */
final class ViewReader {
  private static final Schema CUSTOMER = Customer.getClassSchema();

  private final FeatureView view;
  private final ViewLayout layout;
  private final Schema profileSchema;
  private final String profileName;
  private final String profileStore;
  private final boolean needsCustomer;
  private final List<ProfileColumn> profiles = new ArrayList<>();
  private final List<RelatedColumn> relatedColumns = new ArrayList<>();
  private final List<OnDemandColumn> onDemand = new ArrayList<>();

  ViewReader(FeatureView view, FeatureRegistry registry) {
    this.view = view;
    this.layout = ViewLayout.of(view);
    // The row profile features read: the view's declared table, or the customers table.
    this.profileSchema = view.table() == null ? CUSTOMER : view.table().source().rowSchema();
    this.profileName = view.table() == null ? "customer" : view.table().name();
    this.profileStore = view.table() == null ? null : StoreNames.table(view.table().name());
    boolean customer = false;
    for (FeatureDefinition f : view.features()) {
      int column = layout.columnOf(f.name());
      if (f instanceof ProfileFeature p) {
        profiles.add(new ProfileColumn(p, column, customerField(p.field(), p.name())));
        customer = true;
      } else if (f instanceof RelatedFeature r) {
        relatedColumns.add(new RelatedColumn(r, column, customerField(r.via(), r.name())));
        customer = true;
      } else if (f instanceof OnDemandFeature o) {
        OnDemandColumn c = onDemandColumn(o, column, registry);
        customer |= Arrays.stream(c.args()).anyMatch(a -> a instanceof Arg.CustomerField);
        onDemand.add(c);
      }
    }
    this.needsCustomer = customer;
  }

  private int customerField(String field, String feature) {
    Schema.Field f = profileSchema.getField(field);
    if (f == null) {
      throw new IllegalArgumentException(
          "Feature "
              + view.name()
              + "."
              + feature
              + " reads "
              + profileName
              + "."
              + field
              + ", which "
              + profileSchema.getName()
              + " does not have");
    }
    return f.pos();
  }

  private OnDemandColumn onDemandColumn(OnDemandFeature o, int column, FeatureRegistry registry) {
    String where = "On-demand feature " + view.name() + "." + o.name();
    List<String> references = o.expression().references();
    Arg[] args = new Arg[references.size()];
    for (int i = 0; i < args.length; i++) {
      args[i] = arg(references.get(i), where, registry);
    }
    return new OnDemandColumn(o, column, o.expression(), args);
  }

  private Arg arg(String ref, String where, FeatureRegistry registry) {
    int dot = ref.indexOf('.');
    String head = dot < 0 ? ref : ref.substring(0, dot);
    String tail = dot < 0 ? null : ref.substring(dot + 1);
    if (head.equals("request") && tail != null) {
      return new Arg.Request(tail);
    }
    if (head.equals(profileName) && tail != null) {
      return new Arg.CustomerField(customerField(tail, where));
    }
    if (view.feature(head).isPresent()) {
      FeatureDefinition f = view.feature(head).get();
      if (f instanceof OnDemandFeature) {
        throw new IllegalArgumentException(
            where + " reads " + head + ", another on-demand feature");
      }
      if (tail == null) {
        return new Arg.Column(layout.columnOf(head));
      }
      if (tail.equals("event_time")) {
        return new Arg.ColumnTime(layout.columnOf(head));
      }
    }
    FeatureView other = tail == null ? null : registry.view(head).orElse(null);
    if (other != null && other.feature(tail).isPresent()) {
      if (!other.entity().equals(view.entity())) {
        throw new IllegalArgumentException(
            where + " reads " + ref + ", a view of another entity (" + other.entity() + ")");
      }
      if (readsOtherViews(other)) {
        throw new IllegalArgumentException(
            where + " reads " + ref + " of a view whose on-demand features read other views");
      }
      return new Arg.OtherView(other.name(), tail);
    }
    throw new IllegalArgumentException(
        where
            + " reads '"
            + ref
            + "': use request.<field>, customer.<field>, <feature>, <feature>.event_time or <view>.<feature>");
  }

  /** Whether an on-demand feature of {@code v} reads another view (chains could loop). */
  private static boolean readsOtherViews(FeatureView v) {
    for (FeatureDefinition f : v.features()) {
      if (f instanceof OnDemandFeature o) {
        for (String ref : o.expression().references()) {
          String head = ref.contains(".") ? ref.substring(0, ref.indexOf('.')) : ref;
          boolean profile =
              head.equals("customer") || (v.table() != null && head.equals(v.table().name()));
          if (!head.equals("request") && !profile && v.feature(head).isEmpty()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  FeatureVector read(Reads reads, String key, long asOf, Map<String, Double> request) {
    List<String> names = layout.columns();
    double[] values = new double[names.size()];
    long[] eventTimes = new long[names.size()];
    Arrays.fill(eventTimes, Partials.NO_EVENT);
    boolean found = false;
    for (SourceLayout source : layout.sources()) {
      if (source.lifetime() != null) {
        found |= readLifetime(reads, source.lifetime(), key, values, eventTimes);
      }
      for (TileGroup tiles : source.tiles()) {
        found |= readTiles(reads, tiles, key, asOf, values, eventTimes);
      }
      for (SessionGroup sessions : source.sessions()) {
        found |= readSessions(reads, sessions, key, asOf, values, eventTimes);
      }
    }
    IndexedRecord customer = needsCustomer ? profileRow(reads.stores(), key) : null;
    found |= customer != null;
    for (ProfileColumn p : profiles) {
      p.feature().encode(customer == null ? null : customer.get(p.field()), values, p.column());
    }
    // A related or same-key view read from a lagging replica makes this vector lag as much.
    long lag = 0;
    for (RelatedColumn r : relatedColumns) {
      Object otherKey = customer == null ? null : customer.get(r.via());
      values[r.column()] = r.feature().defaultValue();
      if (otherKey != null) {
        FeatureVector other =
            reads.related().lookup(r.feature().view(), otherKey.toString(), asOf, request);
        lag = Math.max(lag, other.storeLag());
        if (other.found()) {
          values[r.column()] = other.value(r.feature().feature());
          eventTimes[r.column()] = other.eventTime(r.feature().feature());
        }
      }
    }
    Map<String, FeatureVector> others = new HashMap<>();
    for (OnDemandColumn o : onDemand) {
      double[] args = new double[o.args().length];
      long newest = Partials.NO_EVENT;
      for (int i = 0; i < args.length; i++) {
        Arg a = o.args()[i];
        if (a instanceof Arg.Request r) {
          Double v = request.get(r.name());
          args[i] = v == null ? Double.NaN : v;
        } else if (a instanceof Arg.CustomerField c) {
          args[i] = customer == null ? Double.NaN : number(customer.get(c.position()));
        } else if (a instanceof Arg.Column c) {
          args[i] = values[c.index()];
          newest = Math.max(newest, eventTimes[c.index()]);
        } else if (a instanceof Arg.ColumnTime c) {
          long t = eventTimes[c.index()];
          args[i] = t == Partials.NO_EVENT ? Double.NaN : t;
          newest = Math.max(newest, t);
        } else if (a instanceof Arg.OtherView v) {
          FeatureVector other =
              others.computeIfAbsent(v.view(), name -> reads.sameKey(name, key, asOf, request));
          args[i] = other.value(v.feature());
          newest = Math.max(newest, other.eventTime(v.feature()));
          lag = Math.max(lag, other.storeLag());
        }
      }
      double value = o.function().apply(asOf, args);
      values[o.column()] = Double.isNaN(value) ? o.feature().defaultValue() : value;
      eventTimes[o.column()] = newest;
    }
    return new FeatureVector(
        view.name(), key, asOf, found, names, values, eventTimes, lag, "local");
  }

  private IndexedRecord profileRow(FeatureStoreAccess stores, String key) {
    return profileStore == null
        ? stores.customers().get(key)
        : stores.tableStore(profileStore).get(key);
  }

  private static double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Instant t) {
      return t.toEpochMilli();
    }
    return Double.NaN;
  }

  private static boolean readLifetime(
      Reads reads, LifetimeGroup group, String key, double[] values, long[] eventTimes) {
    Partials p = reads.stores().lifetimeStore(group.store()).get(key);
    PartialLayout layout = group.layout();
    Partials partials = p == null ? layout.empty() : p;
    for (int i = 0; i < group.columns().length; i++) {
      values[group.columns()[i]] = layout.result(partials, i);
      eventTimes[group.columns()[i]] = layout.newestEventTime(partials, i);
    }
    return p != null;
  }

  /** Merges the tiles of every feature of the group with one range scan over the longest window. */
  private static boolean readTiles(
      Reads reads, TileGroup group, String key, long asOf, double[] values, long[] eventTimes) {
    PartialLayout layout = group.layout();
    int n = group.columns().length;
    Partials[] merged = new Partials[n];
    long[] froms = new long[n];
    long earliest = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      merged[i] = layout.empty();
      froms[i] = group.tileStart(asOf - group.lengths()[i] + 1);
      earliest = Math.min(earliest, froms[i]);
    }
    boolean found = false;
    try (WindowStoreIterator<Partials> it =
        reads
            .stores()
            .tileStore(group.store())
            .fetch(key, Instant.ofEpochMilli(earliest), Instant.ofEpochMilli(asOf))) {
      while (it.hasNext()) {
        KeyValue<Long, Partials> tile = it.next();
        found = true;
        for (int i = 0; i < n; i++) {
          if (tile.key >= froms[i]) {
            layout.merge(merged[i], tile.value, i);
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      values[group.columns()[i]] = layout.result(merged[i], i);
      eventTimes[group.columns()[i]] = layout.newestEventTime(merged[i], i);
    }
    return found;
  }

  /** A session counts in a window of length W at t when its last event is in (t − W, t]. */
  private static boolean readSessions(
      Reads reads, SessionGroup group, String key, long asOf, double[] values, long[] eventTimes) {
    List<SessionFeature> features = group.features();
    int n = features.size();
    long[] froms = new long[n];
    long earliest = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      froms[i] = asOf - features.get(i).window().toMillis() + 1;
      earliest = Math.min(earliest, froms[i]);
    }
    long[] counts = new long[n];
    double[] durations = new double[n];
    long[] newest = new long[n];
    Arrays.fill(newest, Partials.NO_EVENT);
    boolean found = false;
    try (KeyValueIterator<Windowed<String>, Long> it =
        reads.stores().sessionStore(group.store()).findSessions(key, earliest, asOf)) {
      while (it.hasNext()) {
        Windowed<String> session = it.next().key;
        found = true;
        long start = session.window().start();
        long end = session.window().end();
        for (int i = 0; i < n; i++) {
          if (end >= froms[i]) {
            counts[i]++;
            durations[i] += end - start;
            newest[i] = Math.max(newest[i], end);
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      SessionFeature f = features.get(i);
      int column = group.columns()[i];
      if (counts[i] == 0) {
        values[column] = f.defaultValue();
      } else {
        values[column] =
            switch (f.metric()) {
              case COUNT -> counts[i];
              case MEAN_DURATION -> durations[i] / counts[i] / 1000.0;
            };
      }
      eventTimes[column] = newest[i];
    }
    return found;
  }

  private record ProfileColumn(ProfileFeature feature, int column, int field) {}

  private record RelatedColumn(RelatedFeature feature, int column, int via) {}

  private record OnDemandColumn(
      OnDemandFeature feature, int column, OnDemandFunction function, Arg[] args) {}

  /** Where an on-demand argument comes from. */
  private sealed interface Arg {
    record Request(String name) implements Arg {}

    record CustomerField(int position) implements Arg {}

    record Column(int index) implements Arg {}

    record ColumnTime(int index) implements Arg {}

    record OtherView(String view, String feature) implements Arg {}
  }
}
