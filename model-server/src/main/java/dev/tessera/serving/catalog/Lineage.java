package dev.tessera.serving.catalog;

import dev.tessera.features.definition.DefinitionsHash;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureService;
import dev.tessera.features.definition.FeatureService.FeatureRef;
import dev.tessera.serving.catalog.Entries.DriftEntry;
import dev.tessera.serving.catalog.Entries.EndpointUse;
import dev.tessera.serving.catalog.Entries.VersionLineage;
import dev.tessera.serving.catalog.Entries.VersionUse;
import dev.tessera.serving.drift.FeatureDrift;
import dev.tessera.serving.drift.ModelDrift;
import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.endpoint.ServedEntity;
import dev.tessera.serving.endpoint.TrafficSplit.Route;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.registry.NewVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Who uses what, from the definitions and one {@link ServingSnapshot}: the services that list a
 * feature, the versions trained on those services, and the endpoint entities serving each version
 * now (an alias is resolved to the version it points at in the snapshot, so a promotion moves
 * lineage with it).
 *
 * <pre>{@code
 * var lineage = new Lineage(registry, ServingSnapshot.of(models, configs));
 * List<VersionUse> uses = lineage.versionsUsing("customer_churn", "total_orders");
 * }</pre>
 */
final class Lineage {
  private final FeatureRegistry definitions;
  private final ServingSnapshot serving;

  Lineage(FeatureRegistry definitions, ServingSnapshot serving) {
    this.definitions = definitions;
    this.serving = serving;
  }

  /** Names of the services listing {@code view.feature}, in definition order. */
  List<String> servicesUsing(String view, String feature) {
    var ref = new FeatureRef(view, feature);
    return definitions.services().stream()
        .filter(s -> s.features().contains(ref))
        .map(FeatureService::name)
        .toList();
  }

  /** Versions whose feature service lists {@code view.feature}, by model then version. */
  List<VersionUse> versionsUsing(String view, String feature) {
    List<String> services = servicesUsing(view, feature);
    var columns = definitions.view(view).flatMap(d -> d.feature(feature)).orElseThrow().columns();
    return serving.versions().stream()
        .filter(v -> services.contains(v.featureService()))
        .map(v -> use(v, view, columns))
        .toList();
  }

  private VersionUse use(ModelVersion v, String view, List<String> columns) {
    return new VersionUse(
        v.name(),
        v.version(),
        v.featureService(),
        aliasesOf(v),
        endpointsServing(v),
        drift(
            v,
            f ->
                columns.stream()
                    .anyMatch(c -> f.feature().equals(c) || f.feature().equals(view + "." + c))));
  }

  /** The version's drift figures, with the columns {@code keep} selects; null if none. */
  private DriftEntry drift(ModelVersion v, Predicate<FeatureDrift> keep) {
    ModelDrift d = serving.driftOf(v);
    if (d == null) {
      return null;
    }
    return new DriftEntry(
        d.status().name().toLowerCase(Locale.ROOT),
        d.rows(),
        d.checkedAt().toString(),
        Double.isNaN(d.scorePsi()) ? null : d.scorePsi(),
        d.features().stream().filter(keep).toList());
  }

  private List<String> aliasesOf(ModelVersion v) {
    return serving.aliases().getOrDefault(v.name(), Map.of()).entrySet().stream()
        .filter(e -> e.getValue() == v.version())
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** Every served entity, of every endpoint, that resolves to {@code v} now. */
  private List<EndpointUse> endpointsServing(ModelVersion v) {
    var uses = new ArrayList<EndpointUse>();
    for (EndpointConfig config : serving.endpoints()) {
      for (ServedEntity e : config.entities()) {
        Integer resolved =
            e.version() != null ? e.version() : serving.resolve(e.model(), e.alias());
        if (e.model().equals(v.name()) && Objects.equals(resolved, v.version())) {
          uses.add(
              new EndpointUse(config.name(), e.name(), e.alias(), traffic(config, e), e.shadow()));
        }
      }
    }
    return uses;
  }

  private static int traffic(EndpointConfig config, ServedEntity e) {
    return config.routes().stream()
        .filter(r -> r.servedModelName().equals(e.name()))
        .mapToInt(Route::trafficPercentage)
        .sum();
  }

  /** The lineage of one version, with the skew check against this node's definitions. */
  VersionLineage of(ModelVersion v) {
    String trained = v.params().get(NewVersion.DEFINITIONS_HASH);
    FeatureService service = definitions.service(v.featureService()).orElse(null);
    String live = service == null ? null : DefinitionsHash.of(definitions, service.name());
    List<String> features =
        service == null
            ? List.of()
            : service.features().stream().map(FeatureRef::toString).toList();
    return new VersionLineage(
        v.name(),
        v.version(),
        v.featureService(),
        features,
        trained,
        live,
        skewWarning(v, trained, live),
        aliasesOf(v),
        endpointsServing(v),
        drift(v, f -> true));
  }

  static String skewWarning(ModelVersion v, String trained, String live) {
    String version = v.name() + " v" + v.version();
    if (live == null) {
      return "Feature service "
          + v.featureService()
          + " of "
          + version
          + " is not defined on this node: it cannot be served from these definitions";
    }
    if (trained == null) {
      return "Unknown: "
          + version
          + " was registered without a definitions hash (no training run), so skew by"
          + " definition cannot be checked";
    }
    if (!trained.equals(live)) {
      return version
          + " was trained with definitions "
          + trained
          + " but this node computes "
          + v.featureService()
          + " with "
          + live
          + ": its inputs may follow other rules than it was trained on (training/serving skew)";
    }
    return null;
  }
}
