package dev.tessera.features.definition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A declared set of features of one entity, computed from one or more source topics.
 *
 * <pre>{@code
 * FeatureView view = FeatureView.builder("customer_churn", "customer_id")
 *     .source(EventSource.of("orders", "customer_id", "order_ts"))
 *     .feature(AggregateFeature.count("total_orders", "orders", FeatureWindow.lifetime()))
 *     .owner("growth-ml")
 *     .tags(List.of("churn", "orders"))
 *     .start(Instant.parse("2026-01-01T00:00:00Z"))
 *     .build();
 * }</pre>
 *
 * <p>Description, owner, tags and start are catalog metadata: they do not change any value, so
 * {@link DefinitionsHash} leaves them out (see {@link #valueRules()}).
 *
 * @param name view name, used in store names and the lookup API
 * @param entity name of the entity, e.g. customer_id or region (an entity named after its one key
 *     field) or a declared entity such as user_merchant
 * @param description what the view is for
 * @param sources the topics the stored features read, one per topic
 * @param features the features, in declaration order
 * @param declaredGrace how late an event may be and still be applied; null derives it (see {@link
 *     #grace()})
 * @param owner who answers for the view (a team or a person), "" when not declared
 * @param tags catalog tags, each matching {@link #TAG}, in declaration order, each once
 * @param start the feature start time: the earliest event time from which the view's values are
 *     meant to be complete (history before it was not loaded), or null when not declared
 * @param keys the entity's key fields, whose values make a key ({@link EntityKey}); {@code
 *     [entity]} unless the view is of a declared entity
 * @param table the declared table whose row the view's attribute, related and on-demand features
 *     read, or null: the customers table
 */
public record FeatureView(
    String name,
    String entity,
    String description,
    List<EventSource> sources,
    List<FeatureDefinition> features,
    Duration declaredGrace,
    String owner,
    List<String> tags,
    Instant start,
    List<String> keys,
    TableDeclaration table) {

  /** Tag names: lower-case letters, digits, '_' and '-', starting with a letter; at most 63. */
  public static final Pattern TAG = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

  public FeatureView {
    Names.requireValid(name, "view");
    Names.requireValid(entity, "entity");
    keys = List.copyOf(keys == null || keys.isEmpty() ? List.of(entity) : keys);
    description = description == null ? "" : description;
    owner = owner == null ? "" : owner.strip();
    tags = List.copyOf(tags == null ? List.of() : tags);
    var seenTags = new HashSet<String>();
    for (String tag : tags) {
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException(invalidTag(tag));
      }
      if (!seenTags.add(tag)) {
        throw new IllegalArgumentException("View " + name + " lists tag " + tag + " twice");
      }
    }
    sources = List.copyOf(sources);
    features = List.copyOf(features);
    if (features.isEmpty()) {
      throw new IllegalArgumentException("View " + name + " declares no features");
    }
    var topics = new HashSet<String>();
    for (EventSource s : sources) {
      if (!topics.add(s.topic())) {
        throw new IllegalArgumentException(
            "View " + name + " declares source " + s.topic() + " twice");
      }
    }
    var seen = new HashSet<String>();
    for (FeatureDefinition f : features) {
      if (!seen.add(f.name())) {
        throw new IllegalArgumentException("View " + name + " declares " + f.name() + " twice");
      }
      String source = sourceOf(f);
      if (source != null && !topics.contains(source)) {
        throw new IllegalArgumentException(
            "Feature "
                + name
                + "."
                + f.name()
                + " reads source "
                + source
                + ", which the view does not declare");
      }
    }
    if (declaredGrace != null && declaredGrace.isNegative()) {
      throw new IllegalArgumentException("View " + name + ": grace must not be negative");
    }
  }

  /** The refusal of a tag that does not match {@link #TAG}. */
  public static String invalidTag(String tag) {
    return "Invalid tag '"
        + tag
        + "': use lower-case letters, digits, '_' and '-', starting with a letter, at most 63";
  }

  /**
   * What decides the view's values: everything but the catalog metadata (description, owner, tags,
   * start). {@link DefinitionsHash} hashes this text, so documenting a view never reads as
   * training/serving skew.
   */
  public String valueRules() {
    String rules =
        "FeatureView[name=%s, entity=%s, sources=%s, features=%s, declaredGrace=%s]"
            .formatted(name, entity, sources, features, declaredGrace);
    // A view keyed by one field named as its entity hashes as it did before entities existed.
    rules = keys.equals(List.of(entity)) ? rules : rules + "keys=" + keys;
    return table == null ? rules : rules + "table=" + table;
  }

  private static String sourceOf(FeatureDefinition f) {
    if (f instanceof AggregateFeature a) {
      return a.source();
    }
    if (f instanceof SessionFeature s) {
      return s.source();
    }
    return null;
  }

  public static Builder builder(String name, String entity) {
    return new Builder(name, entity);
  }

  /** The feature with this name, if the view has it. */
  public Optional<FeatureDefinition> feature(String featureName) {
    return features.stream().filter(f -> f.name().equals(featureName)).findFirst();
  }

  /** The source reading this topic, if any. */
  public Optional<EventSource> source(String topic) {
    return sources.stream().filter(s -> s.topic().equals(topic)).findFirst();
  }

  /** Aggregate features reading {@code topic}, in declaration order. */
  public List<AggregateFeature> aggregates(String topic) {
    return features.stream()
        .filter(f -> f instanceof AggregateFeature a && a.source().equals(topic))
        .map(AggregateFeature.class::cast)
        .toList();
  }

  /** Session features reading {@code topic}, in declaration order. */
  public List<SessionFeature> sessions(String topic) {
    return features.stream()
        .filter(f -> f instanceof SessionFeature s && s.source().equals(topic))
        .map(SessionFeature.class::cast)
        .toList();
  }

  /**
   * Sliding aggregate features of {@code topic} grouped by tile size, in declaration order: all
   * features of a group share one store whose record per tile holds every feature's partial.
   */
  public Map<Duration, List<AggregateFeature>> slidingByTile(String topic) {
    var groups = new LinkedHashMap<Duration, List<AggregateFeature>>();
    for (AggregateFeature f : aggregates(topic)) {
      if (!f.window().isLifetime()) {
        groups.computeIfAbsent(f.window().tile(), t -> new ArrayList<>()).add(f);
      }
    }
    return groups;
  }

  /** Lifetime aggregate features of {@code topic}, in declaration order. */
  public List<AggregateFeature> lifetime(String topic) {
    return aggregates(topic).stream().filter(f -> f.window().isLifetime()).toList();
  }

  /**
   * How late an event may arrive and still be applied to windowed features: the declared grace, or
   * else the longest sliding window plus its tile (a lookup reads whole tiles, from the one holding
   * the window's start) or session window, so that loading history into a live pipeline counts
   * everything a lookup can read, as the offline engine does. Lifetime aggregates accept events of
   * any age.
   */
  public Duration grace() {
    if (declaredGrace != null) {
      return declaredGrace;
    }
    Duration longest = Duration.ZERO;
    for (FeatureDefinition f : features) {
      Duration w = null;
      if (f instanceof AggregateFeature a && !a.window().isLifetime()) {
        // A lookup reads its window from the start of the tile holding the window's start, up to
        // one tile further back than the length: an event there still counts.
        w = a.window().length().plus(a.window().tile());
      } else if (f instanceof SessionFeature s) {
        w = s.window();
      }
      if (w != null && w.compareTo(longest) > 0) {
        longest = w;
      }
    }
    return longest;
  }

  /** Every numeric column the view returns, in declaration order. */
  public List<String> columns() {
    var columns = new ArrayList<String>();
    for (FeatureDefinition f : features) {
      columns.addAll(f.columns());
    }
    return columns;
  }

  /** Fluent construction of a view. */
  public static final class Builder {
    private final String name;
    private final String entity;
    private String description = "";
    private Duration grace;
    private String owner = "";
    private List<String> tags = List.of();
    private Instant start;
    private final List<EventSource> sources = new ArrayList<>();
    private List<String> keys;
    private TableDeclaration table;
    private final List<FeatureDefinition> features = new ArrayList<>();

    private Builder(String name, String entity) {
      this.name = name;
      this.entity = entity;
    }

    public Builder description(String text) {
      this.description = Objects.requireNonNull(text);
      return this;
    }

    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner);
      return this;
    }

    public Builder tags(List<String> tags) {
      this.tags = List.copyOf(tags);
      return this;
    }

    /** The feature start time; null for none. */
    public Builder start(Instant start) {
      this.start = start;
      return this;
    }

    public Builder grace(Duration grace) {
      this.grace = grace;
      return this;
    }

    /** The table of the entity's attributes the view reads, instead of the customers table. */
    public Builder table(TableDeclaration declared) {
      this.table = declared;
      return this;
    }

    /** The entity's key fields, when it has other than one field named as the entity. */
    public Builder keys(List<String> keyFields) {
      this.keys = keyFields;
      return this;
    }

    public Builder source(EventSource source) {
      sources.add(source);
      return this;
    }

    public Builder feature(FeatureDefinition feature) {
      features.add(feature);
      return this;
    }

    public FeatureView build() {
      return new FeatureView(
          name, entity, description, sources, features, grace, owner, tags, start, keys, table);
    }
  }
}
