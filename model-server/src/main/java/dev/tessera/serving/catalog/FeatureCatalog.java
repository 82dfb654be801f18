package dev.tessera.serving.catalog;

import dev.tessera.features.definition.EventSource;
import dev.tessera.features.definition.FeatureDefinition;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.serving.catalog.Entries.FeatureEntry;
import dev.tessera.serving.catalog.Entries.SourceEntry;
import dev.tessera.serving.catalog.Entries.VersionLineage;
import dev.tessera.serving.catalog.Entries.ViewEntry;
import dev.tessera.serving.registry.ModelVersion;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The feature catalog of a node: its views as declared, searchable by name, description or tag,
 * each with this node's live figures, and described with the lineage of every feature.
 *
 * <pre>{@code
 * var catalog = new FeatureCatalog(ShippedFeatures.registry(), live);
 * catalog.search("churn", null);      // name or description contains "churn" (any case)
 * catalog.search(null, "pii");        // tagged pii
 * catalog.describe("customer_churn", ServingSnapshot.of(models, configs));
 * catalog.lineage("churn", 2, ServingSnapshot.of(models, configs));
 * }</pre>
 */
public final class FeatureCatalog {
  private final FeatureRegistry definitions;
  private final LiveFigures live;

  public FeatureCatalog(FeatureRegistry definitions, LiveFigures live) {
    this.definitions = definitions;
    this.live = live;
  }

  /** Names of the views, in definition order. */
  public List<String> viewNames() {
    return definitions.views().stream().map(FeatureView::name).toList();
  }

  /**
   * The views whose name or description contains {@code query} (ignoring case) and that carry
   * {@code tag}, in definition order; a null or blank argument does not filter.
   */
  public List<ViewEntry> search(String query, String tag) {
    String needle = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
    return definitions.views().stream()
        .filter(
            v ->
                needle.isEmpty() || contains(v.name(), needle) || contains(v.description(), needle))
        .filter(v -> tag == null || tag.isBlank() || v.tags().contains(tag))
        .map(v -> entry(v, FeatureDescriptions::of))
        .toList();
  }

  private static boolean contains(String text, String needle) {
    return text.toLowerCase(Locale.ROOT).contains(needle);
  }

  /** The view with every feature's services, model versions and endpoints; empty if unknown. */
  public Optional<ViewEntry> describe(String view, ServingSnapshot serving) {
    var lineage = new Lineage(definitions, serving);
    return definitions
        .view(view)
        .map(
            v ->
                entry(
                    v,
                    f ->
                        FeatureDescriptions.of(f)
                            .withLineage(
                                lineage.servicesUsing(v.name(), f.name()),
                                lineage.versionsUsing(v.name(), f.name()))));
  }

  /** A version's inputs, definitions hashes and skew warning, and who serves it; empty if none. */
  public Optional<VersionLineage> lineage(String model, int version, ServingSnapshot serving) {
    var lineage = new Lineage(definitions, serving);
    return serving.versions().stream()
        .filter(v -> v.name().equals(model) && v.version() == version)
        .findFirst()
        .map(lineage::of);
  }

  /** Versions of {@code model} in the snapshot, for messages naming what exists. */
  public static List<Integer> versionsOf(String model, ServingSnapshot serving) {
    return serving.versions().stream()
        .filter(v -> v.name().equals(model))
        .map(ModelVersion::version)
        .sorted()
        .toList();
  }

  private ViewEntry entry(FeatureView v, Function<FeatureDefinition, FeatureEntry> feature) {
    return new ViewEntry(
        v.name(),
        v.entity(),
        v.description(),
        v.owner(),
        v.tags(),
        v.start() == null ? null : v.start().toString(),
        v.sources().stream().map(FeatureCatalog::source).toList(),
        v.features().stream().map(feature).toList(),
        live.of(v));
  }

  private static SourceEntry source(EventSource s) {
    return new SourceEntry(
        s.topic(), s.keyFromCustomer() ? "customer." + s.key() : s.key(), s.time());
  }
}
