package dev.tessera.features.definition.file;

import com.fasterxml.jackson.core.JsonToken;
import dev.tessera.features.definition.AggregateFeature;
import dev.tessera.features.definition.Aggregation;
import dev.tessera.features.definition.Durations;
import dev.tessera.features.definition.Entity;
import dev.tessera.features.definition.EventFilter;
import dev.tessera.features.definition.EventSource;
import dev.tessera.features.definition.FeatureDefinition;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureService;
import dev.tessera.features.definition.FeatureService.FeatureRef;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.definition.FeatureWindow;
import dev.tessera.features.definition.OnDemandFeature;
import dev.tessera.features.definition.ProfileFeature;
import dev.tessera.features.definition.ProfileFeature.Encoding;
import dev.tessera.features.definition.RelatedFeature;
import dev.tessera.features.definition.SessionFeature;
import dev.tessera.features.definition.SessionFeature.SessionMetric;
import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.features.definition.SourceDeclaration.FieldType;
import dev.tessera.features.definition.SourceDeclaration.Format;
import dev.tessera.features.definition.SourceDeclaration.KeyFrom;
import dev.tessera.features.definition.SourceDeclaration.SourceField;
import dev.tessera.features.definition.SourceDeclaration.SourceTime;
import dev.tessera.features.definition.SourceDeclaration.TimeUnit;
import dev.tessera.features.definition.SourceDeclaration.UnknownFields;
import dev.tessera.features.definition.TableDeclaration;
import dev.tessera.features.definition.file.Node.Entry;
import dev.tessera.features.ondemand.Expression;
import dev.tessera.features.ondemand.ExpressionException;
import dev.tessera.features.ondemand.OnDemandFunction;
import dev.tessera.features.ondemand.OnDemandFunctions;
import dev.tessera.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * Checks a parsed definition file against the format and the event schemas, and converts it into
 * the model. The first problem found throws a {@link DefinitionException} naming its line.
 */
final class DefinitionReader {
  private static final List<String> TOP_KEYS =
      List.of("entities", "sources", "tables", "views", "services");
  private static final List<String> ENTITY_KEYS = List.of("name", "keys", "description");
  private static final List<String> DECLARED_SOURCE_KEYS =
      List.of(
          "name",
          "topic",
          "format",
          "schema",
          "unknown_fields",
          "key",
          "fields",
          "time",
          "filter",
          "description");
  private static final List<String> TABLE_KEYS =
      List.of(
          "name",
          "topic",
          "entity",
          "format",
          "schema",
          "unknown_fields",
          "key",
          "fields",
          "time",
          "description");
  private static final List<String> SOURCE_FIELD_KEYS = List.of("name", "path", "type");
  private static final List<String> SOURCE_TIME_KEYS = List.of("name", "path", "unit");
  private static final List<String> VIEW_SOURCE_KEYS = List.of("source", "key");
  private static final List<String> VIEW_KEYS =
      List.of(
          "name",
          "entity",
          "description",
          "owner",
          "tags",
          "start",
          "grace",
          "table",
          "sources",
          "features");
  private static final List<String> SOURCE_KEYS = List.of("topic", "key", "time");
  private static final List<String> KINDS =
      List.of("aggregation", "session", "on_demand", "customer", "attribute", "related");
  private static final Map<String, List<String>> KIND_KEYS =
      Map.of(
          "aggregation",
          List.of(
              "name",
              "source",
              "aggregation",
              "field",
              "where",
              "window",
              "tile",
              "default",
              "exact_up_to"),
          "session",
          List.of("name", "source", "session", "gap", "window", "default"),
          "on_demand",
          List.of("name", "on_demand", "args", "default"),
          "customer",
          List.of("name", "customer", "encoding", "categories", "default"),
          "attribute",
          List.of("name", "attribute", "encoding", "categories", "default"),
          "related",
          List.of("name", "related", "default"));
  private static final List<String> FEATURE_KEYS =
      KINDS.stream()
          .flatMap(k -> KIND_KEYS.get(k).stream())
          .distinct()
          .collect(Collectors.toUnmodifiableList());
  private static final List<String> RELATED_KEYS = List.of("view", "feature", "via");
  private static final List<String> SERVICE_KEYS = List.of("name", "features");

  private static final String CUSTOMER_PREFIX = "customer.";
  private static final String REQUEST_PREFIX = "request.";
  private static final String EVENT_TIME = "event_time";
  private static final String LIFETIME = "lifetime";
  private static final Pattern REQUEST_FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String ARGUMENT_FORMS =
      "request.<field>, customer.<field>, <feature>, <feature>.event_time or <view>.<feature>";

  private final String source;
  private final Path baseDirectory;
  private final Map<String, Schema> schemas;
  private final Map<String, Entity> entities = new LinkedHashMap<>();
  private final Map<String, SourceDeclaration> declared = new LinkedHashMap<>();
  private final Map<String, TableDeclaration> tables = new LinkedHashMap<>();
  private final Map<String, ViewInfo> views = new LinkedHashMap<>();
  private final Map<String, Integer> serviceLines = new HashMap<>();

  /** Checks that need every view: references from one view into another. */
  private final List<Runnable> afterViews = new ArrayList<>();

  /**
   * @param baseDirectory where schema files named by sources are, or null (a class-path resource)
   */
  DefinitionReader(String source, Path baseDirectory, Map<String, Schema> schemas) {
    this.source = source;
    this.baseDirectory = baseDirectory;
    this.schemas = new LinkedHashMap<>(schemas);
  }

  private record ViewInfo(FeatureView view, int line) {}

  /** A view being read. */
  private static final class ViewContext {
    final String name;
    final String entity;
    Entity declaredEntity;
    TableDeclaration table;

    /** What on-demand expressions prefix the row's fields with: the table's name, or customer. */
    String profilePrefix() {
      return (table == null ? "customer" : table.name()) + ".";
    }

    final Map<String, EventSource> sources = new LinkedHashMap<>();
    final Map<String, FeatureDefinition> features = new LinkedHashMap<>();

    ViewContext(String name, String entity) {
      this.name = name;
      this.entity = entity;
    }
  }

  FeatureRegistry read(Node root) {
    if (root == null) {
      throw error(1, "the file is empty; it declares views: and optionally services:");
    }
    Obj top = new Obj(root, "the top level of the file");
    top.allowOnly(TOP_KEYS, "");
    Optional<Entry> entitiesEntry = top.optional("entities");
    if (entitiesEntry.isPresent()) {
      for (Node n : top.list(entitiesEntry.get())) {
        readEntity(n);
      }
    }
    Optional<Entry> sourcesEntry = top.optional("sources");
    if (sourcesEntry.isPresent()) {
      for (Node n : top.list(sourcesEntry.get())) {
        SourceDeclaration source = readDeclaredSource(n, false);
        declared.put(source.name(), source);
      }
    }
    Optional<Entry> tablesEntry = top.optional("tables");
    if (tablesEntry.isPresent()) {
      for (Node n : top.list(tablesEntry.get())) {
        readTable(n);
      }
    }
    Entry viewsEntry = top.required("views");
    List<Node> viewNodes = top.list(viewsEntry);
    if (viewNodes.isEmpty()) {
      throw error(viewsEntry.line(), "views lists no view");
    }
    for (Node n : viewNodes) {
      readView(n);
    }
    afterViews.forEach(Runnable::run);

    var services = new ArrayList<FeatureService>();
    Optional<Entry> servicesEntry = top.optional("services");
    if (servicesEntry.isPresent()) {
      for (Node n : top.list(servicesEntry.get())) {
        services.add(readService(n));
      }
    }
    List<FeatureView> built = views.values().stream().map(ViewInfo::view).toList();
    try {
      return new FeatureRegistry(built, services);
    } catch (IllegalArgumentException e) {
      // Every rule of the registry is checked above with a precise line; this is a fallback for
      // rules added to it later.
      throw error(registryProblemLine(e.getMessage(), viewsEntry.line()), e.getMessage());
    }
  }

  private int registryProblemLine(String message, int fallback) {
    for (var s : serviceLines.entrySet()) {
      if (message.startsWith("Feature service " + s.getKey() + " ")) {
        return s.getValue();
      }
    }
    for (ViewInfo v : views.values()) {
      String name = v.view().name();
      if (message.startsWith("View " + name + " ") || message.startsWith("Feature " + name + ".")) {
        return v.line();
      }
    }
    return fallback;
  }

  // ---- views and sources -------------------------------------------------------------------

  private void readView(Node node) {
    Obj v = new Obj(node, "a view");
    v.optional("name").ifPresent(e -> v.describedAs("view " + v.text(e)));
    v.allowOnly(VIEW_KEYS, "");
    Entry nameEntry = v.required("name");
    String name = v.text(nameEntry);
    if (views.containsKey(name)) {
      throw error(
          nameEntry.line(),
          "view " + name + " is declared twice (first on line " + views.get(name).line() + ")");
    }
    var view = new ViewContext(name, v.text(v.required("entity")));
    var builder = FeatureView.builder(name, view.entity);
    view.declaredEntity = entities.get(view.entity);
    if (view.declaredEntity != null) {
      builder.keys(view.declaredEntity.keys());
    }
    Optional<Entry> tableEntry = v.optional("table");
    if (tableEntry.isPresent()) {
      view.table = viewTable(v.text(tableEntry.get()), valueLine(tableEntry.get()), view);
      builder.table(view.table);
    }
    v.optional("description").ifPresent(e -> builder.description(v.text(e)));
    v.optional("owner").ifPresent(e -> builder.owner(v.text(e)));
    v.optional("tags").ifPresent(e -> builder.tags(tags(v, e)));
    v.optional("start").ifPresent(e -> builder.start(start(v, e)));
    v.optional("grace").ifPresent(e -> builder.grace(duration(v, e)));
    Optional<Entry> sources = v.optional("sources");
    if (sources.isPresent()) {
      for (Node n : v.list(sources.get())) {
        builder.source(readSource(n, view));
      }
    }
    Entry featuresEntry = v.required("features");
    List<Node> featureNodes = v.list(featuresEntry);
    if (featureNodes.isEmpty()) {
      throw error(featuresEntry.line(), "view " + name + " declares no features");
    }
    var featureLines = new HashMap<String, Integer>();
    for (Node n : featureNodes) {
      FeatureDefinition f = readFeature(n, view);
      Integer first = featureLines.putIfAbsent(f.name(), n.line());
      if (first != null) {
        throw error(
            n.line(),
            "view "
                + name
                + " declares feature "
                + f.name()
                + " twice (first on line "
                + first
                + ")");
      }
      view.features.put(f.name(), f);
      builder.feature(f);
    }
    try {
      views.put(name, new ViewInfo(builder.build(), v.line()));
    } catch (IllegalArgumentException e) {
      throw error(v.line(), e.getMessage());
    }
  }

  private List<String> tags(Obj v, Entry e) {
    var tags = new LinkedHashMap<String, Integer>();
    for (Node item : v.list(e)) {
      String tag = scalarText(item, "a tag of " + v.what);
      if (!FeatureView.TAG.matcher(tag).matches()) {
        throw error(item.line(), FeatureView.invalidTag(tag) + " in " + v.what);
      }
      Integer first = tags.putIfAbsent(tag, item.line());
      if (first != null) {
        throw error(
            item.line(), v.what + " lists tag " + tag + " twice (first on line " + first + ")");
      }
    }
    return List.copyOf(tags.keySet());
  }

  /** An ISO-8601 instant, or a date meaning its first instant in UTC. */
  private Instant start(Obj v, Entry e) {
    String text = v.text(e);
    try {
      return text.contains("T")
          ? Instant.parse(text)
          : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException ex) {
      throw error(
          valueLine(e),
          "start of "
              + v.what
              + " must be an ISO-8601 instant or date (2026-01-01T00:00:00Z or 2026-01-01), got '"
              + text
              + "'");
    }
  }

  private EventSource readSource(Node node, ViewContext view) {
    if (node instanceof Node.Scalar) {
      return viewOfDeclared(scalarText(node, "a source of view " + view.name), node.line(), view);
    }
    Obj s = new Obj(node, "a source of view " + view.name);
    if (s.raw("source").isPresent()) {
      s.allowOnly(VIEW_SOURCE_KEYS, " (a declared source: {source: <name>, key: <table>.<field>})");
      Entry e = s.required("source");
      Optional<Entry> key = s.optional("key");
      return key.isEmpty()
          ? viewOfDeclared(s.text(e), valueLine(e), view)
          : viewOfDeclaredVia(
              s.text(e), valueLine(e), s.text(key.get()), valueLine(key.get()), view);
    }
    s.allowOnly(SOURCE_KEYS, "");
    Entry topicEntry = s.required("topic");
    String topic = s.text(topicEntry);
    Schema schema = schemas.get(topic);
    if (schema == null) {
      throw error(
          valueLine(topicEntry),
          "unknown topic '"
              + topic
              + "' in view "
              + view.name
              + "; known topics: "
              + String.join(", ", new TreeSet<>(schemas.keySet())));
    }
    if (view.sources.containsKey(topic)) {
      throw error(s.line(), "view " + view.name + " declares source " + topic + " twice");
    }
    s.describedAs("source " + topic + " of view " + view.name);
    Entry keyEntry = s.required("key");
    Entry timeEntry = s.required("time");
    String key = s.text(keyEntry);
    String time = s.text(timeEntry);

    Schema.Field timeField = field(schema, topic, time, valueLine(timeEntry));
    if (!FieldTypes.isTimestampMillis(timeField.schema())) {
      throw error(
          valueLine(timeEntry),
          "time field "
              + topic
              + "."
              + time
              + " is a "
              + FieldTypes.describe(timeField.schema())
              + "; the event time must be a timestamp-millis long");
    }
    EventSource result;
    Schema.Field keyField;
    if (key.startsWith(CUSTOMER_PREFIX)) {
      String name = key.substring(CUSTOMER_PREFIX.length());
      keyField = customerField(name, valueLine(keyEntry));
      result = EventSource.viaCustomer(topic, name, time);
    } else {
      keyField = field(schema, topic, key, valueLine(keyEntry));
      result = EventSource.of(topic, key, time);
    }
    if (!FieldTypes.isString(keyField.schema())) {
      throw error(
          valueLine(keyEntry),
          "key field "
              + key
              + " of "
              + s.what
              + " is a "
              + FieldTypes.describe(keyField.schema())
              + "; an entity key must be a string");
    }
    view.sources.put(topic, result);
    return result;
  }

  /** A view's reading of a declared source: keyed by the view's entity's key fields. */
  private EventSource viewOfDeclared(String name, int line, ViewContext view) {
    SourceDeclaration src = declared.get(name);
    if (src == null) {
      throw error(
          line,
          "view "
              + view.name
              + " reads source '"
              + name
              + "', which is not declared under sources:"
              + declaredList(declared.keySet())
              + "; a built-in topic is read as {topic: ..., key: ..., time: ...}");
    }
    if (view.sources.containsKey(name)) {
      throw error(line, "view " + view.name + " declares source " + name + " twice");
    }
    Entity entity = view.declaredEntity != null ? view.declaredEntity : Entity.keyedBy(view.entity);
    for (String key : entity.keys()) {
      Optional<SourceField> field = src.field(key);
      if (field.isEmpty()) {
        throw error(
            line,
            "view "
                + view.name
                + " is of entity "
                + entity.name()
                + ", keyed by "
                + String.join(", ", entity.keys())
                + ", but source "
                + name
                + " declares no field "
                + key
                + "; declare it under the source's fields (its path in the value may differ)");
      }
      if (field.get().type() != FieldType.STRING && field.get().type() != FieldType.LONG) {
        throw error(
            line,
            "key field "
                + key
                + " of source "
                + name
                + " is a "
                + field.get().type().label()
                + "; an entity key must be a string or a whole number");
      }
    }
    if (src.keyFrom() == KeyFrom.RECORD && entity.composite()) {
      throw error(
          line,
          "source "
              + name
              + " takes the entity key from the record key (key: record), but view "
              + view.name
              + "'s entity "
              + entity.name()
              + " has several key fields; use key: value on the source");
    }
    EventSource result = EventSource.declared(src, entity);
    view.sources.put(name, result);
    return result;
  }

  /**
   * A declared source keyed by a field of a table's row ({@code key: users.country}): the source is
   * read by the table's entity, joined with the table and re-keyed by the field.
   */
  private EventSource viewOfDeclaredVia(
      String name, int line, String key, int keyLine, ViewContext view) {
    SourceDeclaration src = declared.get(name);
    if (src == null) {
      return viewOfDeclared(name, line, view); // refused, naming the declared sources
    }
    int dot = key.indexOf('.');
    TableDeclaration table = dot < 0 ? null : tables.get(key.substring(0, dot));
    if (table == null) {
      throw error(
          keyLine,
          "key of source "
              + name
              + " in view "
              + view.name
              + " must be <table>.<field>, a field of a declared table's row"
              + (tables.isEmpty()
                  ? " (no table is declared)"
                  : " (tables: " + String.join(", ", tables.keySet()) + ")")
              + ", got '"
              + key
              + "'");
    }
    String field = key.substring(dot + 1);
    Schema.Field f = table.source().rowSchema().getField(field);
    if (f == null || !FieldTypes.isString(f.schema())) {
      throw error(
          keyLine,
          "key "
              + key
              + " of source "
              + name
              + " in view "
              + view.name
              + (f == null
                  ? ": table " + table.name() + " declares no field " + field
                  : " is a " + FieldTypes.describe(f.schema()) + "; it must be a string"));
    }
    for (String k : table.entity().keys()) {
      if (src.field(k).isEmpty()) {
        throw error(
            keyLine,
            "source "
                + name
                + " declares no field "
                + k
                + ", the key of table "
                + table.name()
                + "'s entity "
                + table.entity().name()
                + "; it is needed to find each record's row");
      }
    }
    if (view.declaredEntity != null && view.declaredEntity.composite()) {
      throw error(
          keyLine,
          "view "
              + view.name
              + " is of an entity with several key fields; a key read from a table is one field");
    }
    if (view.sources.containsKey(name)) {
      throw error(line, "view " + view.name + " declares source " + name + " twice");
    }
    EventSource result = EventSource.declaredVia(src, table, field);
    view.sources.put(name, result);
    return result;
  }

  /** " (declared: a, b)", or nothing when none is. */
  private static String declaredList(java.util.Collection<String> names) {
    return names.isEmpty() ? "" : " (declared: " + String.join(", ", names) + ")";
  }

  private TableDeclaration viewTable(String name, int line, ViewContext view) {
    TableDeclaration table = tables.get(name);
    if (table == null) {
      throw error(
          line,
          "view "
              + view.name
              + " reads table '"
              + name
              + "', which is not declared under tables:"
              + declaredList(tables.keySet()));
    }
    List<String> keys =
        view.declaredEntity != null ? view.declaredEntity.keys() : List.of(view.entity);
    if (!table.entity().keys().equals(keys)) {
      throw error(
          line,
          "table "
              + name
              + " describes entity "
              + table.entity().name()
              + " (keyed by "
              + String.join(", ", table.entity().keys())
              + "), but view "
              + view.name
              + " is keyed by "
              + String.join(", ", keys));
    }
    return table;
  }

  private void readTable(Node node) {
    Obj t = new Obj(node, "a table");
    t.optional("name").ifPresent(n -> t.describedAs("table " + t.text(n)));
    Entry entityEntry = t.required("entity");
    String entityName = t.text(entityEntry);
    Entity entity = entities.get(entityName);
    if (entity == null) {
      try {
        entity = Entity.keyedBy(entityName);
      } catch (IllegalArgumentException e) {
        throw error(valueLine(entityEntry), e.getMessage());
      }
    }
    SourceDeclaration source = readDeclaredSource(node, true);
    if (tables.containsKey(source.name()) || declared.containsKey(source.name())) {
      throw error(
          t.line(),
          t.what + ": the name " + source.name() + " is taken by another source or table");
    }
    try {
      tables.put(source.name(), new TableDeclaration(source, entity));
    } catch (IllegalArgumentException e) {
      throw error(t.line(), e.getMessage());
    }
  }

  // ---- entities and declared sources -------------------------------------------------------

  private void readEntity(Node node) {
    Obj e = new Obj(node, "an entity");
    e.optional("name").ifPresent(n -> e.describedAs("entity " + e.text(n)));
    e.allowOnly(ENTITY_KEYS, "");
    Entry nameEntry = e.required("name");
    String name = e.text(nameEntry);
    if (entities.containsKey(name)) {
      throw error(nameEntry.line(), "entity " + name + " is declared twice");
    }
    Entry keysEntry = e.required("keys");
    var keys = new ArrayList<String>();
    if (keysEntry.value() instanceof Node.Scalar) {
      keys.add(e.text(keysEntry));
    } else {
      for (Node k : e.list(keysEntry)) {
        keys.add(scalarText(k, "a key of " + e.what));
      }
    }
    try {
      entities.put(name, new Entity(name, keys));
    } catch (IllegalArgumentException ex) {
      throw error(e.line(), ex.getMessage());
    }
  }

  private SourceDeclaration readDeclaredSource(Node node, boolean table) {
    Obj s = new Obj(node, table ? "a table" : "a source");
    s.optional("name").ifPresent(n -> s.describedAs((table ? "table " : "source ") + s.text(n)));
    s.allowOnly(table ? TABLE_KEYS : DECLARED_SOURCE_KEYS, "");
    Entry nameEntry = s.required("name");
    String name = s.text(nameEntry);
    if (declared.containsKey(name) || schemas.containsKey(name)) {
      throw error(
          nameEntry.line(),
          "source "
              + name
              + (declared.containsKey(name)
                  ? " is declared twice"
                  : " has the name of a built-in topic, source or table; give it another name"
                      + " (and topic: "
                      + name
                      + " if that is its topic)"));
    }
    String topic = s.optional("topic").map(s::text).orElse(name);
    Format format =
        s.optional("format").map(e -> s.choice(e, Format.values(), "format")).orElse(Format.JSON);
    Schema avroSchema = null;
    Optional<Entry> schemaEntry = s.optional("schema");
    if (format == Format.AVRO) {
      avroSchema =
          avroSchema(
              s,
              schemaEntry.orElseThrow(
                  () ->
                      error(s.line(), s.what + " has format avro and needs schema: <file.avsc>")));
    } else if (schemaEntry.isPresent()) {
      throw error(
          schemaEntry.get().line(),
          "schema of " + s.what + " is for format avro; a JSON source declares its fields only");
    }
    UnknownFields unknown =
        s.optional("unknown_fields")
            .map(e -> s.choice(e, UnknownFields.values(), "unknown_fields"))
            .orElse(UnknownFields.IGNORE);
    if (unknown == UnknownFields.REJECT && format != Format.JSON) {
      throw error(
          s.raw("unknown_fields").get().line(),
          "unknown_fields of " + s.what + " is for JSON sources; Avro values have their schema");
    }
    KeyFrom keyFrom =
        s.optional("key").map(e -> s.choice(e, KeyFrom.values(), "key")).orElse(KeyFrom.VALUE);
    var fields = new ArrayList<SourceField>();
    Entry fieldsEntry = s.required("fields");
    for (Node n : s.list(fieldsEntry)) {
      Obj f = new Obj(n, "a field of " + s.what);
      f.allowOnly(SOURCE_FIELD_KEYS, "");
      String fieldName = f.text(f.required("name"));
      f.describedAs("field " + fieldName + " of " + s.what);
      List<String> path = path(f, f.optional("path"), fieldName);
      FieldType type =
          f.optional("type")
              .map(e -> f.choice(e, FieldType.values(), "type"))
              .orElse(FieldType.STRING);
      try {
        fields.add(new SourceField(fieldName, path, type));
      } catch (IllegalArgumentException ex) {
        throw error(f.line(), ex.getMessage() + " in " + s.what);
      }
    }
    Entry timeEntry = s.required("time");
    Obj t = new Obj(timeEntry.value(), "time of " + s.what);
    t.allowOnly(SOURCE_TIME_KEYS, "");
    List<String> timePath = path(t, Optional.of(t.required("path")), null);
    String timeName = t.optional("name").map(t::text).orElse(timePath.get(timePath.size() - 1));
    TimeUnit unit = t.choice(t.required("unit"), TimeUnit.values(), "time unit");
    var filters = new ArrayList<EventFilter>();
    Optional<Entry> filterEntry = s.optional("filter");
    SourceDeclaration result;
    try {
      result =
          new SourceDeclaration(
              name,
              topic,
              format,
              avroSchema,
              unknown,
              keyFrom,
              fields,
              new SourceTime(timeName, timePath, unit),
              List.of());
    } catch (IllegalArgumentException ex) {
      throw error(s.line(), ex.getMessage());
    }
    if (filterEntry.isPresent()) {
      Entry fe = filterEntry.get();
      if (!(fe.value() instanceof Node.Mapping m) || m.entries().isEmpty()) {
        throw error(
            valueLine(fe),
            "filter of "
                + s.what
                + " must map fields to a value or a list of values, e.g. {status: approved}");
      }
      Schema row = result.rowSchema();
      for (Entry condition : m.entries().values()) {
        filters.add(condition(s, condition, name, row));
      }
      result =
          new SourceDeclaration(
              name, topic, format, avroSchema, unknown, keyFrom, fields, result.time(), filters);
    }
    schemas.put(name, result.rowSchema());
    return result;
  }

  private List<String> path(Obj o, Optional<Entry> entry, String defaultPath) {
    String text = entry.map(o::text).orElse(defaultPath);
    List<String> path = List.of(text.split("\\.", -1));
    for (String part : path) {
      if (part.isEmpty()) {
        throw error(
            entry.map(DefinitionReader::valueLine).orElse(o.line()),
            "path of " + o.what + " has an empty step: '" + text + "'");
      }
    }
    return path;
  }

  private EventFilter condition(Obj s, Entry condition, String sourceName, Schema row) {
    Schema.Field field = row.getField(condition.key());
    if (field == null || !FieldTypes.isString(field.schema())) {
      throw error(
          condition.line(),
          "filter of "
              + s.what
              + " compares string fields of the source; "
              + condition.key()
              + (field == null
                  ? " is not one of its fields"
                  : " is a " + FieldTypes.describe(field.schema())));
    }
    var values = new ArrayList<String>();
    if (condition.value() instanceof Node.Sequence list) {
      for (Node item : list.items()) {
        values.add(scalarText(item, "a value of filter on " + condition.key() + " of " + s.what));
      }
      if (values.isEmpty()) {
        throw error(
            condition.line(), "filter on " + condition.key() + " of " + s.what + " lists no value");
      }
    } else {
      values.add(scalarText(condition.value(), "filter on " + condition.key() + " of " + s.what));
    }
    return new EventFilter(condition.key(), values);
  }

  private Schema avroSchema(Obj s, Entry e) {
    String file = s.text(e);
    Path path = baseDirectory == null ? Path.of(file) : baseDirectory.resolve(file);
    try {
      return new Schema.Parser().parse(Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException ex) {
      throw error(valueLine(e), "cannot read schema " + path + " of " + s.what + ": " + ex);
    } catch (RuntimeException ex) {
      throw error(
          valueLine(e),
          "schema " + path + " of " + s.what + " is not a valid Avro schema: " + ex.getMessage());
    }
  }

  // ---- features ----------------------------------------------------------------------------

  private FeatureDefinition readFeature(Node node, ViewContext view) {
    Obj f = new Obj(node, "a feature of view " + view.name);
    f.optional("name")
        .ifPresent(e -> f.describedAs("feature " + f.text(e) + " of view " + view.name));
    f.allowOnly(FEATURE_KEYS, "");
    List<Entry> kinds = KINDS.stream().map(f::raw).flatMap(Optional::stream).toList();
    if (kinds.isEmpty()) {
      throw error(f.line(), f.what + " needs one of " + String.join(", ", KINDS));
    }
    if (kinds.size() > 1) {
      throw error(
          kinds.get(1).line(),
          f.what
              + " declares both "
              + kinds.get(0).key()
              + " and "
              + kinds.get(1).key()
              + "; a feature has exactly one of "
              + String.join(", ", KINDS));
    }
    String kind = kinds.get(0).key();
    f.allowOnly(
        KIND_KEYS.get(kind),
        ", " + ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind + " feature");
    String name = f.text(f.required("name"));
    double defaultValue = f.optional("default").map(f::number).orElse(0.0);
    try {
      return switch (kind) {
        case "aggregation" -> aggregate(f, name, view, defaultValue);
        case "session" -> session(f, name, view, defaultValue);
        case "on_demand" -> onDemand(f, name, view, defaultValue);
        case "customer", "attribute" -> profile(f, kind, name, view, defaultValue);
        default -> related(f, name, view, defaultValue);
      };
    } catch (DefinitionException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw error(f.line(), e.getMessage());
    }
  }

  private AggregateFeature aggregate(Obj f, String name, ViewContext view, double defaultValue) {
    EventSource src = declaredSource(f, view);
    String topic = src.topic();
    Schema schema = schemas.get(topic);
    Entry aggregationEntry = f.required("aggregation");
    Aggregation aggregation = f.choice(aggregationEntry, Aggregation.values(), "aggregation");
    String aggregationName = lower(aggregation);

    Optional<Entry> fieldEntry = f.optional("field");
    String field = null;
    if (aggregation.needsField()) {
      if (fieldEntry.isEmpty()) {
        throw error(f.line(), f.what + ": " + aggregationName + " needs a field");
      }
      field = f.text(fieldEntry.get());
      int line = valueLine(fieldEntry.get());
      Schema type = field(schema, topic, field, line).schema();
      boolean numeric = FieldTypes.isNumeric(type);
      if (aggregation.needsNumericField() && !numeric) {
        throw error(
            line,
            f.what
                + ": "
                + aggregationName
                + " needs a numeric field (int, long, float, double, or a nullable one); "
                + topic
                + "."
                + field
                + " is a "
                + FieldTypes.describe(type));
      }
      if (!numeric && !FieldTypes.isString(type)) {
        throw error(
            line,
            f.what
                + ": "
                + aggregationName
                + " needs a string or numeric field; "
                + topic
                + "."
                + field
                + " is a "
                + FieldTypes.describe(type));
      }
    } else if (fieldEntry.isPresent()) {
      throw error(fieldEntry.get().line(), f.what + ": count takes no field");
    }

    EventFilter where = f.optional("where").map(e -> filter(f, e, topic, schema)).orElse(null);
    FeatureWindow window = window(f);

    int exactLimit = 0;
    Optional<Entry> exactEntry = f.optional("exact_up_to");
    if (aggregation == Aggregation.COUNT_DISTINCT) {
      exactLimit =
          exactEntry
              .map(e -> positiveInt(f, e))
              .orElse(AggregateFeature.DEFAULT_DISTINCT_EXACT_LIMIT);
    } else if (exactEntry.isPresent()) {
      throw error(
          exactEntry.get().line(),
          f.what + ": exact_up_to is only for count_distinct, not " + aggregationName);
    }
    return new AggregateFeature(
        name, topic, aggregation, field, where, window, defaultValue, exactLimit);
  }

  private FeatureWindow window(Obj f) {
    Entry windowEntry = f.required("window");
    Optional<Entry> tileEntry = f.optional("tile");
    if (f.text(windowEntry).equals(LIFETIME)) {
      if (tileEntry.isPresent()) {
        throw error(
            tileEntry.get().line(),
            f.what + ": tile is only for sliding windows, and the window is lifetime");
      }
      return FeatureWindow.lifetime();
    }
    Duration length = windowLength(f, windowEntry);
    if (tileEntry.isEmpty()) {
      try {
        return FeatureWindow.sliding(length);
      } catch (IllegalArgumentException e) {
        throw error(valueLine(windowEntry), f.what + ": " + e.getMessage());
      }
    }
    Duration tile = duration(f, tileEntry.get());
    try {
      return FeatureWindow.sliding(length, tile);
    } catch (IllegalArgumentException e) {
      throw error(valueLine(tileEntry.get()), f.what + ": " + e.getMessage());
    }
  }

  private Duration windowLength(Obj f, Entry e) {
    String text = f.text(e);
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException ex) {
      throw error(
          valueLine(e),
          "window of "
              + f.what
              + ": '"
              + text
              + "' is neither lifetime nor a duration; use lifetime or a whole number and ms, s,"
              + " m, h or d, e.g. 30d");
    }
  }

  private EventFilter filter(Obj f, Entry e, String topic, Schema schema) {
    String form =
        "; write where: {<field>: <value or list of values>}, e.g. {event_type: page_view}";
    if (!(e.value() instanceof Node.Mapping m) || m.entries().size() != 1) {
      throw error(
          valueLine(e),
          "where of "
              + f.what
              + " must name exactly one field, got "
              + e.value().describe()
              + form);
    }
    Entry condition = m.entries().values().iterator().next();
    Schema type = field(schema, topic, condition.key(), condition.line()).schema();
    if (!FieldTypes.isString(type)) {
      throw error(
          condition.line(),
          "where of "
              + f.what
              + " compares strings; "
              + topic
              + "."
              + condition.key()
              + " is a "
              + FieldTypes.describe(type));
    }
    List<String> values;
    if (condition.value() instanceof Node.Sequence list) {
      values = new ArrayList<>();
      for (Node item : list.items()) {
        values.add(scalarText(item, "a value of where on " + condition.key() + " of " + f.what));
      }
      if (values.isEmpty()) {
        throw error(condition.line(), "where of " + f.what + " lists no value" + form);
      }
    } else {
      values = List.of(scalarText(condition.value(), "where of " + f.what));
    }
    return new EventFilter(condition.key(), values);
  }

  private SessionFeature session(Obj f, String name, ViewContext view, double defaultValue) {
    EventSource src = declaredSource(f, view);
    SessionMetric metric =
        f.choice(f.required("session"), SessionMetric.values(), "session metric");
    Duration gap = f.optional("gap").map(e -> duration(f, e)).orElse(SessionFeature.DEFAULT_GAP);
    Entry windowEntry = f.required("window");
    if (f.text(windowEntry).equals(LIFETIME)) {
      throw error(
          valueLine(windowEntry),
          f.what + ": a session feature needs a sliding window such as 30d, not lifetime");
    }
    Duration window = windowLength(f, windowEntry);
    return new SessionFeature(name, src.topic(), metric, gap, window, defaultValue);
  }

  private EventSource declaredSource(Obj f, ViewContext view) {
    Entry e = f.required("source");
    String topic = f.text(e);
    EventSource src = view.sources.get(topic);
    if (src == null) {
      throw error(
          valueLine(e),
          f.what
              + " reads source '"
              + topic
              + "', which view "
              + view.name
              + (view.sources.isEmpty()
                  ? " does not declare (it declares no sources)"
                  : " does not declare; declared: " + String.join(", ", view.sources.keySet())));
    }
    return src;
  }

  /**
   * {@code on_demand: <expression>}, or the older form {@code on_demand: <function>} with {@code
   * args}, read as the expression calling that function with its arguments in order.
   */
  private OnDemandFeature onDemand(Obj f, String name, ViewContext view, double defaultValue) {
    Entry entry = f.required("on_demand");
    int line = valueLine(entry);
    Optional<Entry> argsEntry = f.optional("args");
    String text =
        argsEntry.isPresent() ? functionCall(f, entry, argsEntry.get(), view) : f.text(entry);
    Expression expression;
    try {
      expression = Expression.parse(text);
    } catch (ExpressionException e) {
      // A block scalar (on_demand: |) keeps its line breaks and starts on the line after the |.
      boolean block = text.indexOf('\n') >= 0;
      throw error(
          line + (block ? 1 : 0) + e.line() - 1,
          "expression of "
              + f.what
              + ", column "
              + e.column()
              + (block ? " of its line " + e.line() : "")
              + ": "
              + e.problem());
    }
    if (argsEntry.isEmpty()) {
      for (String ref : expression.references()) {
        String what = "expression of " + f.what;
        afterViews.add(() -> checkArgument(view, what, ref, line));
      }
    }
    return new OnDemandFeature(name, expression, defaultValue);
  }

  /** The older form's function and named arguments as the text of an expression. */
  private String functionCall(Obj f, Entry functionEntry, Entry argsEntry, ViewContext view) {
    String functionName = f.text(functionEntry);
    OnDemandFunction function =
        OnDemandFunctions.find(functionName)
            .orElseThrow(
                () ->
                    error(
                        valueLine(functionEntry),
                        "unknown on-demand function '"
                            + functionName
                            + "' in "
                            + f.what
                            + "; known: "
                            + String.join(", ", OnDemandFunctions.names())
                            + " (or write an expression, e.g. on_demand: \"zscore(request.amount,"
                            + " amount_mean, amount_stddev)\")"));
    List<String> parameters = function.parameters();
    String signature = functionName + "(" + String.join(", ", parameters) + ")";
    var args = new LinkedHashMap<String, String>();
    Obj a = new Obj(argsEntry.value(), "args of " + f.what);
    for (Entry arg : a.map.entries().values()) {
      if (!parameters.contains(arg.key())) {
        throw error(
            arg.line(), "unknown argument '" + arg.key() + "' of " + signature + " in " + f.what);
      }
      String ref = a.text(arg);
      args.put(arg.key(), ref);
      String what = "argument " + arg.key() + " of " + f.what;
      int line = valueLine(arg);
      afterViews.add(() -> checkArgument(view, what, ref, line));
    }
    for (String p : parameters) {
      if (!args.containsKey(p)) {
        throw error(
            argsEntry.line(), "missing argument '" + p + "' of " + signature + " in " + f.what);
      }
    }
    return functionName
        + "("
        + String.join(", ", parameters.stream().map(args::get).toList())
        + ")";
  }

  /** An argument must resolve to a number at lookup time; see {@link #ARGUMENT_FORMS}. */
  private void checkArgument(ViewContext view, String what, String ref, int line) {
    String[] parts = ref.split("\\.", -1);
    if (parts.length == 2 && ref.startsWith(REQUEST_PREFIX)) {
      if (!REQUEST_FIELD.matcher(parts[1]).matches()) {
        throw error(line, what + ": '" + ref + "' needs a request field name, e.g. request.amount");
      }
    } else if (parts.length == 2 && ref.startsWith(view.profilePrefix())) {
      Schema type = profileField(view, parts[1], line).schema();
      if (!FieldTypes.isNumeric(type)) {
        throw error(
            line,
            what
                + ": "
                + ref
                + " is a "
                + FieldTypes.describe(type)
                + "; arguments are numbers (numeric or timestamp fields)");
      }
    } else if (parts.length == 1) {
      FeatureDefinition target = view.features.get(ref);
      if (target == null) {
        throw error(
            line,
            what
                + ": '"
                + ref
                + "' is not a feature of view "
                + view.name
                + "; an argument is "
                + ARGUMENT_FORMS);
      }
      requireStored(what, ref, target, line);
    } else if (parts.length == 2
        && parts[1].equals(EVENT_TIME)
        && view.features.containsKey(parts[0])) {
      requireStored(what, ref, view.features.get(parts[0]), line);
    } else if (parts.length == 2) {
      ViewInfo other = views.get(parts[0]);
      if (other == null) {
        throw error(
            line,
            what
                + ": '"
                + ref
                + "' names neither a feature of view "
                + view.name
                + " nor a declared view; an argument is "
                + ARGUMENT_FORMS);
      }
      if (!other.view().entity().equals(view.entity)) {
        throw error(
            line,
            what
                + ": view "
                + parts[0]
                + " is keyed by "
                + other.view().entity()
                + ", not by "
                + view.entity
                + "; an argument reads only views of the same entity");
      }
      FeatureDefinition target =
          other
              .view()
              .feature(parts[1])
              .orElseThrow(() -> error(line, what + ": " + unknownFeature(other.view(), parts[1])));
      requireStored(what, ref, target, line);
    } else {
      throw error(line, what + ": '" + ref + "' is not an input; an argument is " + ARGUMENT_FORMS);
    }
  }

  /** Arguments read stored values (and their event time); this also rules out cycles. */
  private void requireStored(String what, String ref, FeatureDefinition target, int line) {
    if (!(target instanceof AggregateFeature) && !(target instanceof SessionFeature)) {
      throw error(
          line,
          what
              + ": "
              + ref
              + " is "
              + kindOf(target)
              + "; arguments read stored (aggregation or session) features");
    }
  }

  private ProfileFeature profile(
      Obj f, String kind, String name, ViewContext view, double defaultValue) {
    Entry fieldEntry = f.required(kind);
    if (kind.equals("attribute") && view.table == null) {
      throw error(
          fieldEntry.line(),
          f.what
              + ": attribute reads a field of the view's table; declare table: <name> on view "
              + view.name
              + " (or read the customers table with customer:)");
    }
    if (kind.equals("customer") && view.table != null) {
      throw error(
          fieldEntry.line(),
          f.what
              + ": view "
              + view.name
              + " reads table "
              + view.table.name()
              + "; use attribute:");
    }
    String field = f.text(fieldEntry);
    String prefix = view.profilePrefix();
    Schema type = profileField(view, field, valueLine(fieldEntry)).schema();
    Encoding encoding =
        f.optional("encoding")
            .map(e -> f.choice(e, Encoding.values(), "encoding"))
            .orElse(Encoding.NUMBER);
    Optional<Entry> categoriesEntry = f.optional("categories");
    var categories = new ArrayList<String>();
    if (encoding == Encoding.NUMBER) {
      if (categoriesEntry.isPresent()) {
        throw error(
            categoriesEntry.get().line(),
            f.what + ": the number encoding takes no categories; use encoding: ordinal or one_hot");
      }
      if (!FieldTypes.isNumeric(type)) {
        throw error(
            valueLine(fieldEntry),
            f.what
                + ": the number encoding needs a numeric field; "
                + prefix
                + field
                + " is a "
                + FieldTypes.describe(type)
                + " (use encoding: ordinal or one_hot with categories)");
      }
    } else {
      String encodingName = lower(encoding);
      if (categoriesEntry.isEmpty()) {
        throw error(f.line(), f.what + ": " + encodingName + " needs categories");
      }
      var lines = new HashMap<String, Integer>();
      for (Node item : f.list(categoriesEntry.get())) {
        String c = scalarText(item, "a category of " + f.what);
        Integer first = lines.putIfAbsent(c, item.line());
        if (first != null) {
          throw error(
              item.line(),
              f.what + " lists category '" + c + "' twice (first on line " + first + ")");
        }
        categories.add(c);
      }
      if (categories.isEmpty()) {
        throw error(
            categoriesEntry.get().line(), f.what + ": " + encodingName + " needs categories");
      }
      if (!FieldTypes.isString(type)) {
        throw error(
            valueLine(fieldEntry),
            f.what
                + ": "
                + encodingName
                + " needs a string field; "
                + prefix
                + field
                + " is a "
                + FieldTypes.describe(type));
      }
    }
    return new ProfileFeature(name, field, encoding, categories, defaultValue);
  }

  private RelatedFeature related(Obj f, String name, ViewContext from, double defaultValue) {
    Obj r = new Obj(f.required("related").value(), "related of " + f.what);
    r.allowOnly(RELATED_KEYS, "");
    Entry viewEntry = r.required("view");
    Entry featureEntry = r.required("feature");
    Entry viaEntry = r.required("via");
    String view = r.text(viewEntry);
    String feature = r.text(featureEntry);
    String via = r.text(viaEntry);
    Schema viaType = profileField(from, via, valueLine(viaEntry)).schema();
    if (!FieldTypes.isString(viaType)) {
      throw error(
          valueLine(viaEntry),
          r.what
              + ": via "
              + from.profilePrefix()
              + via
              + " is a "
              + FieldTypes.describe(viaType)
              + "; it must hold the other entity's key, a string");
    }
    afterViews.add(
        () -> {
          ViewInfo other = views.get(view);
          if (other == null) {
            throw error(
                valueLine(viewEntry),
                r.what
                    + ": unknown view '"
                    + view
                    + "'; views: "
                    + String.join(", ", views.keySet()));
          }
          FeatureDefinition target =
              other
                  .view()
                  .feature(feature)
                  .orElseThrow(
                      () ->
                          error(
                              valueLine(featureEntry),
                              r.what + ": " + unknownFeature(other.view(), feature)));
          if (target instanceof RelatedFeature) {
            throw error(
                valueLine(featureEntry),
                r.what + ": " + view + "." + feature + " is itself a related feature");
          }
        });
    return new RelatedFeature(name, view, feature, via, defaultValue);
  }

  // ---- services ----------------------------------------------------------------------------

  private FeatureService readService(Node node) {
    Obj s = new Obj(node, "a service");
    s.optional("name").ifPresent(e -> s.describedAs("service " + s.text(e)));
    s.allowOnly(SERVICE_KEYS, "");
    Entry nameEntry = s.required("name");
    String name = s.text(nameEntry);
    Integer first = serviceLines.putIfAbsent(name, s.line());
    if (first != null) {
      throw error(
          nameEntry.line(), "service " + name + " is declared twice (first on line " + first + ")");
    }
    Entry featuresEntry = s.required("features");
    List<Node> items = s.list(featuresEntry);
    if (items.isEmpty()) {
      throw error(featuresEntry.line(), "service " + name + " lists no features");
    }
    var refs = new LinkedHashSet<FeatureRef>();
    for (Node item : items) {
      String text = scalarText(item, "a feature of service " + name);
      String[] parts = text.split("\\.", -1);
      if (parts.length != 2) {
        throw error(
            item.line(),
            "service "
                + name
                + ": '"
                + text
                + "' must be <view>.<feature>, e.g. customer_churn.total_orders");
      }
      ViewInfo view = views.get(parts[0]);
      if (view == null) {
        throw error(
            item.line(),
            "service "
                + name
                + " names unknown feature "
                + text
                + ": no view "
                + parts[0]
                + "; views: "
                + String.join(", ", views.keySet()));
      }
      if (view.view().feature(parts[1]).isEmpty()) {
        throw error(
            item.line(),
            "service "
                + name
                + " names unknown feature "
                + text
                + ": "
                + unknownFeature(view.view(), parts[1]));
      }
      if (!refs.add(new FeatureRef(parts[0], parts[1]))) {
        throw error(item.line(), "service " + name + " lists " + text + " twice");
      }
    }
    try {
      return new FeatureService(name, List.copyOf(refs));
    } catch (IllegalArgumentException e) {
      throw error(s.line(), e.getMessage());
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private Schema.Field field(Schema schema, String topic, String name, int line) {
    Schema.Field f = schema.getField(name);
    if (f == null) {
      throw error(
          line,
          "unknown field '"
              + name
              + "': topic "
              + topic
              + " ("
              + schema.getName()
              + ") has "
              + schema.getFields().stream()
                  .map(Schema.Field::name)
                  .collect(Collectors.joining(", ")));
    }
    return f;
  }

  /** A field of the row the view's profile features read: its table's, or the customers'. */
  private Schema.Field profileField(ViewContext view, String name, int line) {
    if (view.table == null) {
      return customerField(name, line);
    }
    return field(view.table.source().rowSchema(), view.table.name(), name, line);
  }

  private Schema.Field customerField(String name, int line) {
    Schema customers = schemas.get(TopicCatalog.CUSTOMERS);
    if (customers == null) {
      throw error(
          line,
          "customer."
              + name
              + " needs the customers topic, which is not among the event topics ("
              + String.join(", ", new TreeSet<>(schemas.keySet()))
              + ")");
    }
    return field(customers, TopicCatalog.CUSTOMERS, name, line);
  }

  private static String unknownFeature(FeatureView view, String feature) {
    return "view "
        + view.name()
        + " has no feature '"
        + feature
        + "'; its features: "
        + view.features().stream().map(FeatureDefinition::name).collect(Collectors.joining(", "));
  }

  private static String kindOf(FeatureDefinition f) {
    if (f instanceof OnDemandFeature) {
      return "an on-demand feature";
    }
    if (f instanceof ProfileFeature) {
      return "a customer feature";
    }
    return "a related feature";
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private String scalarText(Node node, String what) {
    if (node instanceof Node.Scalar s && !s.isNull()) {
      return s.text();
    }
    throw error(node.line(), what + " must be a single value, got " + node.describe());
  }

  private Duration duration(Obj o, Entry e) {
    String text = o.text(e);
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException ex) {
      throw error(valueLine(e), e.key() + " of " + o.what + ": " + ex.getMessage());
    }
  }

  private int positiveInt(Obj o, Entry e) {
    if (e.value() instanceof Node.Scalar s
        && s.number() instanceof Integer i
        && s.token() == JsonToken.VALUE_NUMBER_INT
        && i >= 1) {
      return i;
    }
    throw error(
        valueLine(e),
        e.key()
            + " of "
            + o.what
            + " must be a whole number from 1 to "
            + Integer.MAX_VALUE
            + ", got "
            + e.value().describe());
  }

  private static int valueLine(Entry e) {
    return e.value().line();
  }

  private DefinitionException error(int line, String problem) {
    return new DefinitionException(source, line, problem);
  }

  /** A mapping of the file being checked, with what it is for messages. */
  private final class Obj {
    final Node.Mapping map;
    String what;

    Obj(Node node, String what) {
      if (!(node instanceof Node.Mapping m)) {
        throw error(
            node.line(), what + " must be a mapping of keys to values, got " + node.describe());
      }
      this.map = m;
      this.what = what;
    }

    int line() {
      return map.line();
    }

    void describedAs(String description) {
      this.what = description;
    }

    void allowOnly(List<String> keys, String note) {
      for (Entry e : map.entries().values()) {
        if (!keys.contains(e.key())) {
          throw error(
              e.line(),
              "unknown key '"
                  + e.key()
                  + "' in "
                  + what
                  + note
                  + "; allowed: "
                  + String.join(", ", keys));
        }
      }
    }

    /** The entry, even with an empty value. */
    Optional<Entry> raw(String key) {
      return Optional.ofNullable(map.entries().get(key));
    }

    /** The entry unless absent or empty ({@code key:} or {@code key: null}). */
    Optional<Entry> optional(String key) {
      return raw(key).filter(e -> !(e.value() instanceof Node.Scalar s && s.isNull()));
    }

    Entry required(String key) {
      Entry e = map.entries().get(key);
      if (e == null) {
        throw error(line(), what + " lacks required key '" + key + "'");
      }
      if (e.value() instanceof Node.Scalar s && s.isNull()) {
        throw error(e.line(), key + " of " + what + " has no value");
      }
      return e;
    }

    String text(Entry e) {
      return scalarText(e.value(), e.key() + " of " + what);
    }

    List<Node> list(Entry e) {
      if (e.value() instanceof Node.Sequence s) {
        return s.items();
      }
      throw error(
          valueLine(e), e.key() + " of " + what + " must be a list, got " + e.value().describe());
    }

    double number(Entry e) {
      if (e.value() instanceof Node.Scalar s
          && s.isNumber()
          && Double.isFinite(s.number().doubleValue())) {
        return s.number().doubleValue();
      }
      throw error(
          valueLine(e), e.key() + " of " + what + " must be a number, got " + e.value().describe());
    }

    <E extends Enum<E>> E choice(Entry e, E[] values, String kind) {
      String text = text(e);
      for (E v : values) {
        if (lower(v).equals(text)) {
          return v;
        }
      }
      throw error(
          valueLine(e),
          "unknown "
              + kind
              + " '"
              + text
              + "' in "
              + what
              + "; expected one of "
              + Arrays.stream(values)
                  .map(DefinitionReader::lower)
                  .collect(Collectors.joining(", ")));
    }
  }
}
