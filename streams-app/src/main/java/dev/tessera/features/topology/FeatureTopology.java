package dev.tessera.features.topology;

import dev.tessera.features.definition.EventFilter;
import dev.tessera.features.definition.EventSource;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.features.definition.SourceDeclaration.KeyFrom;
import dev.tessera.features.definition.TableDeclaration;
import dev.tessera.features.source.RowSerde;
import dev.tessera.features.state.FeatureStores;
import dev.tessera.features.state.StoreNames;
import dev.tessera.features.state.ViewLayout;
import dev.tessera.features.state.ViewLayout.SourceLayout;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.serde.EventSerde;
import dev.tessera.schemas.serde.WriterSchemas;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Compiles feature views into a Kafka Streams topology. A pure factory: no I/O, so tests build the
 * same topology the application runs.
 *
 * <pre>{@code
 * Topology topology = FeatureTopology.build(ShippedFeatures.registry(), TopicCatalog.defaults());
 * new KafkaStreams(topology, props).start();
 * }</pre>
 *
 * <p>Each source topic is read and validated once ({@code <topic>-source}, {@code
 * <topic>-validate}); every view reading it gets an aggregating processor ({@code
 * <view>-<topic>-aggregate}) with its own stores. Event topics are keyed by customer. A record on
 * the partition its key hashes to (murmur2, Kafka's Java partitioner) is aggregated where it is;
 * one a producer put on another partition (librdkafka's default partitioner, or a producer choosing
 * partitions itself) goes through the repartition topic {@code <topic>-by-key} first ({@code
 * <topic>-on-key-partition}, {@code <topic>-off-key-partition}, {@code <topic>-keyed}), so any
 * producer's records are counted where lookups read them. Every processor is connected to the
 * customers table's store, which puts all stores of a customer in one task and so on one node,
 * where a lookup finds them together. A source keyed by a field of the customer row (e.g. orders by
 * region) is joined with the customers table and re-keyed through a named repartition topic.
 */
public final class FeatureTopology {
  private static final String CUSTOMER_KEY = "customer_id";
  private static final String CUSTOMER_TIME = "signup_ts";

  private FeatureTopology() {}

  /**
   * The event-time field of every topic the views read, the customers table included, e.g. {@code
   * orders -> order_ts}: what the topology takes as each record's time.
   */
  public static Map<String, String> timeFields(List<FeatureView> views) {
    var fields = new LinkedHashMap<String, String>();
    fields.put(TopicCatalog.CUSTOMERS, CUSTOMER_TIME);
    for (TableDeclaration table : declaredTables(views)) {
      fields.putIfAbsent(table.source().topic(), table.source().time().name());
    }
    for (FeatureView view : views) {
      for (EventSource source : view.sources()) {
        fields.putIfAbsent(source.kafkaTopic(), source.time());
      }
    }
    return fields;
  }

  /** The declared sources and tables the views read, by Kafka topic. */
  public static Map<String, SourceDeclaration> declaredSources(List<FeatureView> views) {
    var sources = new LinkedHashMap<String, SourceDeclaration>();
    for (TableDeclaration table : declaredTables(views)) {
      sources.putIfAbsent(table.source().topic(), table.source());
    }
    for (FeatureView view : views) {
      for (EventSource source : view.sources()) {
        if (source.declaration() != null) {
          sources.putIfAbsent(source.kafkaTopic(), source.declaration());
        }
      }
    }
    return sources;
  }

  /** The declared tables the views read: as their table, or to re-key a source. */
  public static List<TableDeclaration> declaredTables(List<FeatureView> views) {
    var tables = new LinkedHashMap<String, TableDeclaration>();
    for (FeatureView view : views) {
      if (view.table() != null) {
        tables.putIfAbsent(view.table().name(), view.table());
      }
      for (EventSource source : view.sources()) {
        if (source.via() != null) {
          tables.putIfAbsent(source.via().name(), source.via());
        }
      }
    }
    return List.copyOf(tables.values());
  }

  public static Topology build(FeatureRegistry registry, TopicCatalog topics) {
    return build(registry.views(), topics);
  }

  /** As {@link #build(FeatureRegistry, TopicCatalog)}, metering each view into {@code activity}. */
  public static Topology build(
      FeatureRegistry registry, TopicCatalog topics, PipelineActivity activity) {
    return build(registry.views(), topics, activity);
  }

  public static Topology build(List<FeatureView> views, TopicCatalog topics) {
    // Nobody reads these meters: the offline replay and tests that do not look at activity.
    return build(views, topics, new PipelineActivity(views, 0));
  }

  public static Topology build(
      List<FeatureView> views, TopicCatalog topics, PipelineActivity activity) {
    return build(views, topics, activity, FeatureStores.ROCKSDB);
  }

  /**
   * As {@link #build(List, TopicCatalog, PipelineActivity)}, with every store of the kind given:
   * RocksDB on a node, memory in the offline replay (see {@link FeatureStores}).
   */
  public static Topology build(
      List<FeatureView> views,
      TopicCatalog topics,
      PipelineActivity activity,
      FeatureStores stores) {
    return build(views, topics, activity, stores, Map.of());
  }

  /**
   * As {@link #build(List, TopicCatalog, PipelineActivity, FeatureStores)}, with the partition
   * count of each declared source's topic as it is on the cluster (a topic missing from {@code
   * sourcePartitions} is taken to have as many as the event topics).
   */
  public static Topology build(
      List<FeatureView> views,
      TopicCatalog topics,
      PipelineActivity activity,
      FeatureStores stores,
      Map<String, Integer> sourcePartitions) {
    var builder = new StreamsBuilder();
    KTable<String, Customer> customers = customersTable(builder, topics.customers(), stores);
    var byTopic = new LinkedHashMap<String, List<ViewSource>>();
    for (FeatureView view : views) {
      ViewLayout layout = ViewLayout.of(view);
      for (SourceLayout source : layout.sources()) {
        byTopic
            .computeIfAbsent(source.source().topic(), t -> new ArrayList<>())
            .add(new ViewSource(layout, source));
      }
    }
    var anchors = new EntityAnchors(builder, topics.orders().partitions());
    for (TableDeclaration table : declaredTables(views)) {
      addTable(
          builder,
          table,
          sourcePartitions.getOrDefault(table.source().topic(), topics.orders().partitions()),
          anchors,
          stores,
          topics.writerSchemas());
    }
    for (Map.Entry<String, List<ViewSource>> entry : byTopic.entrySet()) {
      SourceDeclaration declared = entry.getValue().get(0).event().declaration();
      if (declared != null) {
        int partitions =
            sourcePartitions.getOrDefault(declared.topic(), topics.orders().partitions());
        addDeclaredSource(
            builder,
            declared,
            partitions,
            entry.getValue(),
            anchors,
            activity,
            stores,
            topics.writerSchemas());
        continue;
      }
      addSource(
          builder,
          eventTopic(topics, entry.getKey(), entry.getValue()),
          entry.getValue(),
          customers,
          activity,
          stores);
    }
    return builder.build();
  }

  private record ViewSource(ViewLayout view, SourceLayout source) {
    EventSource event() {
      return source.source();
    }

    String name() {
      return view.view().name();
    }
  }

  private static KTable<String, Customer> customersTable(
      StreamsBuilder builder, Topic<String, Customer> topic, FeatureStores stores) {
    Schema schema = schemaOf(topic);
    KStream<String, Customer> validated =
        builder.stream(
                topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde())
                    .withTimestampExtractor(
                        new EventTimeExtractor(RowTime.of(schema, CUSTOMER_TIME)))
                    .withName(topic.name() + "-source"))
            .processValues(
                () ->
                    new EventValidator<>(
                        topic.name(), schema, CUSTOMER_KEY, CUSTOMER_TIME, null, true),
                Named.as(topic.name() + "-validate"));
    return onKeyPartitions(validated, topic)
        .toTable(
            Named.as(topic.name() + "-table"),
            Materialized.<String, Customer>as(stores.keyValue(StoreNames.CUSTOMERS))
                .withKeySerde(topic.keySerde())
                .withValueSerde(topic.valueSerde()));
  }

  private static <V extends SpecificRecord> void addSource(
      StreamsBuilder builder,
      Topic<String, V> topic,
      List<ViewSource> sources,
      KTable<String, Customer> customers,
      PipelineActivity activity,
      FeatureStores stores) {
    Schema schema = schemaOf(topic);
    String time = sources.get(0).event().time();
    Duration grace = Duration.ZERO;
    for (ViewSource s : sources) {
      requireField(schema, s, s.event().time());
      if (!s.event().time().equals(time)) {
        throw new IllegalArgumentException(
            "Views on "
                + topic.name()
                + " must share one time field, got "
                + time
                + " and "
                + s.event().time()
                + " (view "
                + s.name()
                + ")");
      }
      if (!s.event().keyFromCustomer()) {
        requireField(schema, s, s.event().key());
        if (!s.event().key().equals(CUSTOMER_KEY)) {
          throw new IllegalArgumentException(
              "View "
                  + s.name()
                  + " keys "
                  + topic.name()
                  + " by "
                  + s.event().key()
                  + ", but event topics are keyed by "
                  + CUSTOMER_KEY
                  + "; use customer.<field> to re-key through the customers table");
        }
      }
      // Lifetime features take events of any age, so nothing on the topic is late for them.
      grace =
          grace == null || s.source().lifetime() != null
              ? null
              : max(grace, s.view().view().grace());
    }
    Duration lateAfter = grace;
    KStream<String, V> validated =
        builder.stream(
                topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde())
                    .withTimestampExtractor(new EventTimeExtractor(RowTime.of(schema, time)))
                    .withName(topic.name() + "-source"))
            .processValues(
                () ->
                    new EventValidator<V>(
                        topic.name(), schema, CUSTOMER_KEY, time, lateAfter, false),
                Named.as(topic.name() + "-validate"));
    KStream<String, V> keyed = onKeyPartitions(validated, topic);
    for (ViewSource s : sources) {
      String name = s.name() + "-" + topic.name();
      var aggregator =
          SourceAggregator.<V>supplier(
              s.view(), s.source(), schema, activity.view(s.name()), stores);
      if (s.event().keyFromCustomer()) {
        // Another entity: its own sub-topology behind the repartition topic.
        rekeyed(keyed, topic, s, customers).process(aggregator, Named.as(name + "-aggregate"));
      } else {
        keyed.process(aggregator, Named.as(name + "-aggregate"), StoreNames.CUSTOMERS);
      }
    }
  }

  /**
   * A declared source: decoded into rows ({@code <source>-source}), checked ({@code
   * <source>-validate}), filtered ({@code <source>-filter}), then for each entity its views read it
   * by, keyed by that entity ({@code <source>-<entity>-key}) and moved to the key's partition
   * through {@code <source>-<entity>-by-key} where a producer put it elsewhere.
   */
  private static void addDeclaredSource(
      StreamsBuilder builder,
      SourceDeclaration source,
      int partitions,
      List<ViewSource> readers,
      EntityAnchors anchors,
      PipelineActivity activity,
      FeatureStores stores,
      WriterSchemas writers) {
    Schema schema = source.rowSchema();
    String name = source.name();
    // The keyed streams this source needs: one per entity (its key fields) that a view reads it
    // by, or that a table re-keying it for a view describes.
    var keyings = new LinkedHashSet<List<String>>();
    var keyFields = new ArrayList<String>();
    Duration grace = Duration.ZERO;
    for (ViewSource s : readers) {
      List<String> keys =
          s.event().via() == null ? s.event().keys() : s.event().via().entity().keys();
      keyings.add(keys);
      keys.stream().filter(k -> !keyFields.contains(k)).forEach(keyFields::add);
      grace =
          grace == null || s.source().lifetime() != null
              ? null
              : max(grace, s.view().view().grace());
    }
    Duration lateAfter = grace;
    KStream<String, GenericRecord> rows =
        builder.stream(
                source.topic(),
                Consumed.with(Serdes.String(), RowSerde.source(source, writers))
                    .withTimestampExtractor(
                        new EventTimeExtractor(RowTime.eventTime(schema, source.time().name())))
                    .withName(name + "-source"))
            .processValues(
                () -> new DeclaredSourceValidator(source, keyFields, lateAfter, false),
                Named.as(name + "-validate"));
    if (!source.filters().isEmpty()) {
      int[] slots = source.filters().stream().mapToInt(f -> source.position(f.field())).toArray();
      List<EventFilter> filters = source.filters();
      rows =
          rows.filter(
              (k, row) -> {
                for (int i = 0; i < slots.length; i++) {
                  if (!filters.get(i).accepts(row.get(slots[i]))) {
                    return false;
                  }
                }
                return true;
              },
              Named.as(name + "-filter"));
    }
    Serde<GenericRecord> rowSerde = RowSerde.rows(source);
    for (List<String> keys : keyings) {
      KStream<String, GenericRecord> keyed =
          keyedByEntity(
              rows, source, keys, name + "-" + String.join("-", keys), partitions, rowSerde);
      String anchor = anchors.of(keys, source, partitions);
      for (ViewSource s : readers) {
        TableDeclaration via = s.event().via();
        boolean direct = via == null && s.event().keys().equals(keys);
        if (!direct && (via == null || !via.entity().keys().equals(keys))) {
          continue; // read by another entity's keyed stream
        }
        String aggregate = s.name() + "-" + name + "-aggregate";
        var aggregator =
            SourceAggregator.<GenericRecord>supplier(
                s.view(), s.source(), schema, activity.view(s.name()), stores);
        if (direct) {
          keyed.process(aggregator, Named.as(aggregate), anchor);
        } else {
          String field = s.event().keys().get(0);
          String prefix = s.name() + "-" + name + "-by-" + field;
          int slot = via.source().position(field);
          String table = StoreNames.table(via.name());
          keyed
              .process(
                  () -> new TableRekeyer(table, slot), Named.as(prefix + "-lookup"), table, anchor)
              .repartition(
                  Repartitioned.<String, GenericRecord>as(prefix)
                      .withKeySerde(Serdes.String())
                      .withValueSerde(rowSerde)
                      .withNumberOfPartitions(partitions))
              .process(
                  aggregator,
                  Named.as(aggregate),
                  anchors.of(s.view().view().keys(), source, partitions));
        }
      }
    }
  }

  /** {@code rows} keyed by the entity of {@code keys} and moved to that key's partition. */
  private static KStream<String, GenericRecord> keyedByEntity(
      KStream<String, GenericRecord> rows,
      SourceDeclaration source,
      List<String> keys,
      String prefix,
      int partitions,
      Serde<GenericRecord> rowSerde) {
    return onKeyPartitions(
        rows.process(() -> new DeclaredSourceKeyer(source, keys), Named.as(prefix + "-key")),
        prefix,
        partitions,
        Serdes.String(),
        rowSerde);
  }

  /**
   * A declared table: its records decoded, checked and keyed as a source's, then each entity's
   * newest row kept in {@code <table>-table} ({@link TableWriter}), in the sub-topology of the
   * entity's views.
   */
  private static void addTable(
      StreamsBuilder builder,
      TableDeclaration table,
      int partitions,
      EntityAnchors anchors,
      FeatureStores stores,
      WriterSchemas writers) {
    SourceDeclaration source = table.source();
    String name = table.name();
    List<String> keys = table.entity().keys();
    String store = StoreNames.table(name);
    Serde<GenericRecord> rowSerde = RowSerde.rows(source);
    builder.addStateStore(
        Stores.keyValueStoreBuilder(stores.keyValue(store), Serdes.String(), rowSerde));
    KStream<String, GenericRecord> rows =
        builder.stream(
                source.topic(),
                Consumed.with(Serdes.String(), RowSerde.source(source, writers))
                    .withTimestampExtractor(
                        new EventTimeExtractor(
                            RowTime.eventTime(source.rowSchema(), source.time().name())))
                    .withName(name + "-source"))
            .processValues(
                () ->
                    new DeclaredSourceValidator(
                        source, keys, null, source.keyFrom() == KeyFrom.RECORD),
                Named.as(name + "-validate"));
    keyedByEntity(rows, source, keys, name, partitions, rowSerde)
        .process(
            () -> new TableWriter(store, source.fields().size()),
            Named.as(name + "-table"),
            store,
            anchors.of(keys, source, partitions));
  }

  /**
   * The source's records, each on the partition its key hashes to, so that the lookups, which find
   * a key's stores by that hash, read them: a record a producer put on another partition goes
   * through the named repartition topic {@code <topic>-by-key} first, the others straight on. Both
   * halves are one sub-topology with the stores they feed, so under exactly-once a record is taken
   * from the source, moved and counted once.
   */
  private static <V> KStream<String, V> onKeyPartitions(
      KStream<String, V> records, Topic<String, V> topic) {
    return onKeyPartitions(
        records, topic.name(), topic.partitions(), topic.keySerde(), topic.valueSerde());
  }

  private static <V> KStream<String, V> onKeyPartitions(
      KStream<String, V> records,
      String name,
      int partitions,
      Serde<String> keySerde,
      Serde<V> valueSerde) {
    KStream<String, V> moved =
        records
            .processValues(
                () -> new KeyPartitionFilter<V>(partitions, false),
                Named.as(name + "-off-key-partition"))
            .repartition(
                Repartitioned.<String, V>as(name + "-by-key")
                    .withKeySerde(keySerde)
                    .withValueSerde(valueSerde)
                    .withNumberOfPartitions(partitions));
    return records
        .processValues(
            () -> new KeyPartitionFilter<V>(partitions, true), Named.as(name + "-on-key-partition"))
        .merge(moved, Named.as(name + "-keyed"));
  }

  /**
   * The source's events keyed by a field of their customer's row; events of unknown customers drop
   * out.
   */
  private static <V extends SpecificRecord> KStream<String, V> rekeyed(
      KStream<String, V> events,
      Topic<String, V> topic,
      ViewSource s,
      KTable<String, Customer> customers) {
    String field = s.event().key();
    if (Customer.getClassSchema().getField(field) == null) {
      throw new IllegalArgumentException(
          "View "
              + s.name()
              + " keys "
              + topic.name()
              + " by customer."
              + field
              + ", which Customer does not have");
    }
    int position = Customer.getClassSchema().getField(field).pos();
    String name = s.name() + "-" + topic.name();
    return events
        .join(
            customers,
            (event, customer) -> {
              Object key = customer.get(position);
              return KeyValue.pair(key == null ? null : key.toString(), event);
            },
            Joined.<String, V, Customer>as(name + "-join-customers")
                .withKeySerde(topic.keySerde())
                .withValueSerde(topic.valueSerde()))
        .filter((k, kv) -> kv.key != null, Named.as(name + "-has-" + field))
        .map((k, kv) -> kv, Named.as(name + "-by-" + field))
        .repartition(
            Repartitioned.<String, V>as(name + "-by-" + field)
                .withKeySerde(topic.keySerde())
                .withValueSerde(topic.valueSerde()));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static void requireField(Schema schema, ViewSource s, String field) {
    if (schema.getField(field) == null) {
      throw new IllegalArgumentException(
          "View "
              + s.name()
              + " names field "
              + field
              + ", which "
              + schema.getName()
              + " does not have");
    }
  }

  private static Schema schemaOf(Topic<String, ? extends SpecificRecord> topic) {
    if (topic.valueSerde() instanceof EventSerde<?> events) {
      return events.schema();
    }
    throw new IllegalArgumentException("Topic " + topic.name() + " does not carry Avro events");
  }

  private static Topic<String, ? extends SpecificRecord> eventTopic(
      TopicCatalog topics, String name, List<ViewSource> readers) {
    Optional<Topic<String, ? extends SpecificRecord>> topic =
        Stream.<Topic<String, ? extends SpecificRecord>>of(
                topics.orders(), topics.clicks(), topics.outcomes())
            .filter(t -> t.name().equals(name))
            .findFirst();
    return topic.orElseThrow(
        () ->
            new IllegalArgumentException(
                "View "
                    + readers.get(0).name()
                    + " reads topic "
                    + name
                    + "; views read orders, clicks or outcomes (customer fields come from the"
                    + " customers table)"));
  }
}
