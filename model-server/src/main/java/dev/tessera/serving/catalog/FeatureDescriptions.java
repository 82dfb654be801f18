package dev.tessera.serving.catalog;

import dev.tessera.features.definition.AggregateFeature;
import dev.tessera.features.definition.Durations;
import dev.tessera.features.definition.FeatureDefinition;
import dev.tessera.features.definition.OnDemandFeature;
import dev.tessera.features.definition.ProfileFeature;
import dev.tessera.features.definition.RelatedFeature;
import dev.tessera.features.definition.SessionFeature;
import dev.tessera.serving.catalog.Entries.FeatureEntry;
import java.util.Locale;

/** A feature definition as the catalog shows it, without lineage. */
final class FeatureDescriptions {
  static final String TYPE = "double";

  private FeatureDescriptions() {}

  static FeatureEntry of(FeatureDefinition f) {
    if (f instanceof AggregateFeature a) {
      boolean lifetime = a.window().isLifetime();
      return entry(
          f,
          "aggregate",
          lower(a.aggregation()),
          a.source(),
          a.field(),
          a.where() == null ? null : a.where().field() + " in " + a.where().anyOf(),
          lifetime ? "lifetime" : Durations.format(a.window().length()),
          lifetime ? null : Durations.format(a.window().tile()),
          null);
    }
    if (f instanceof SessionFeature s) {
      return entry(
          f,
          "session",
          lower(s.metric()),
          s.source(),
          null,
          "sessions split by a " + Durations.format(s.gap()) + " gap",
          Durations.format(s.window()),
          null,
          null);
    }
    if (f instanceof OnDemandFeature o) {
      return entry(
          f,
          "on_demand",
          o.expression().source(),
          null,
          null,
          null,
          null,
          null,
          String.join(", ", o.expression().references()));
    }
    if (f instanceof ProfileFeature p) {
      return entry(f, "customer", lower(p.encoding()), null, p.field(), null, null, null, null);
    }
    RelatedFeature r = (RelatedFeature) f;
    return entry(
        f,
        "related",
        null,
        null,
        null,
        null,
        null,
        null,
        r.view() + "." + r.feature() + " via customer." + r.via());
  }

  private static FeatureEntry entry(
      FeatureDefinition f,
      String kind,
      String aggregation,
      String source,
      String field,
      String filter,
      String window,
      String tile,
      String reads) {
    return new FeatureEntry(
        f.name(),
        kind,
        aggregation,
        source,
        field,
        filter,
        window,
        tile,
        reads,
        TYPE,
        f.defaultValue(),
        f.columns(),
        null,
        null);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
