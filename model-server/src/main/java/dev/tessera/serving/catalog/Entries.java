package dev.tessera.serving.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tessera.serving.drift.FeatureDrift;
import java.util.List;

/** The catalog's answers, serialised as snake_case JSON by the HTTP API. */
public final class Entries {
  private Entries() {}

  /**
   * A feature view as the catalog shows it.
   *
   * @param start the feature start time (ISO-8601), or null
   * @param features each feature; with lineage only when the view is described
   * @param live this node's figures of the view
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ViewEntry(
      String name,
      String entity,
      String description,
      String owner,
      List<String> tags,
      String start,
      List<SourceEntry> sources,
      List<FeatureEntry> features,
      ViewFigures live) {}

  /** A source topic of a view: the key and event-time fields read from it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record SourceEntry(String topic, String key, String time) {}

  /**
   * One feature of a view.
   *
   * @param kind {@code aggregate}, {@code session}, {@code on_demand}, {@code customer} or {@code
   *     related}
   * @param aggregation the aggregation ({@code count}, ...), session metric, on-demand expression
   *     or customer encoding; null for related features
   * @param source the topic a stored feature reads, or null
   * @param field the event or customer field, or null
   * @param filter an aggregate's {@code where}, e.g. {@code event_type in [page_view]}, or null
   * @param window {@code lifetime} or a duration such as {@code 30d}; null for lookup-time features
   * @param tile a sliding window's tile, or null
   * @param reads what a lookup-time feature reads (on-demand arguments, related feature), or null
   * @param type the served value's type: every column is a {@code double}
   * @param defaultValue the value served when there is no data
   * @param columns the model-input columns the feature gives (one-hot: one per category)
   * @param services feature services listing the feature (describe only)
   * @param modelVersions model versions trained on those services, with their endpoints (describe
   *     only)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record FeatureEntry(
      String name,
      String kind,
      String aggregation,
      String source,
      String field,
      String filter,
      String window,
      String tile,
      String reads,
      String type,
      @JsonProperty("default") double defaultValue,
      List<String> columns,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> services,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<VersionUse> modelVersions) {

    FeatureEntry withLineage(List<String> services, List<VersionUse> versions) {
      return new FeatureEntry(
          name,
          kind,
          aggregation,
          source,
          field,
          filter,
          window,
          tile,
          reads,
          type,
          defaultValue,
          columns,
          services,
          versions);
    }
  }

  /**
   * A model version that consumes a feature.
   *
   * @param aliases the model's aliases pointing at this version now
   * @param endpoints endpoint entities serving this version now
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record VersionUse(
      String model,
      int version,
      String featureService,
      List<String> aliases,
      List<EndpointUse> endpoints,
      @JsonInclude(JsonInclude.Include.NON_NULL) DriftEntry drift) {

    /** A use without drift figures. */
    public VersionUse(
        String model,
        int version,
        String featureService,
        List<String> aliases,
        List<EndpointUse> endpoints) {
      this(model, version, featureService, aliases, endpoints, null);
    }
  }

  /**
   * The drift monitor's latest verdict on what a version was served, against its training set
   * (docs/OPERATIONS.md, "Drift"): overall, and for the columns of the feature in question (every
   * column in a version's lineage).
   *
   * @param status ok, warn, alert, insufficient_data or no_reference
   * @param rows served rows in the window
   * @param checkedAt when the monitor computed it
   * @param scorePsi PSI of the served scores, or null when not computed
   * @param columns per input column: PSI, missing rate served and in training, status
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record DriftEntry(
      String status, long rows, String checkedAt, Double scorePsi, List<FeatureDrift> columns) {}

  /**
   * A served entity of an endpoint that resolves to a version.
   *
   * @param alias the alias the entity follows, or null when it is pinned to the version
   * @param trafficPercentage the entity's route share; 0 for a shadow or an entity with no route
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record EndpointUse(
      String endpoint, String servedEntity, String alias, int trafficPercentage, boolean shadow) {}

  /**
   * Where a model version's inputs come from and whether this node still computes them the same
   * way.
   *
   * @param features the feature service's features, {@code view.feature}, in input order; empty
   *     when this node does not define the service
   * @param definitionsHash the definitions hash the version was trained with, or null (registered
   *     without a training run)
   * @param liveDefinitionsHash this node's hash of the service's definitions, or null when it does
   *     not define the service
   * @param skewWarning null when both hashes are equal, else a sentence saying why the version may
   *     see other values than it was trained on, or that this cannot be checked
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record VersionLineage(
      String model,
      int version,
      String featureService,
      List<String> features,
      String definitionsHash,
      String liveDefinitionsHash,
      String skewWarning,
      List<String> aliases,
      List<EndpointUse> endpoints,
      @JsonInclude(JsonInclude.Include.NON_NULL) DriftEntry drift) {}
}
