package dev.tessera.serving.http;

import dev.tessera.features.definition.FeatureView;
import dev.tessera.serving.catalog.FeatureCatalog;
import dev.tessera.serving.catalog.ServingSnapshot;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The feature catalog and lineage over HTTP (see docs/API.md, "Feature catalog"). Reads, so they
 * need the admin scope like the other {@code /api/2.0/} routes when tokens are configured.
 *
 * <pre>
 * curl 'localhost:8080/api/2.0/feature-store/views?tag=churn'
 * curl localhost:8080/api/2.0/feature-store/views/customer_churn
 * curl localhost:8080/api/2.0/feature-store/models/churn/versions/2/lineage
 * </pre>
 */
public final class CatalogHandler implements ApiRoutes {
  static final String PREFIX = "/api/2.0/feature-store";
  private static final Set<String> SEARCH_PARAMS = Set.of("q", "tag");

  private final FeatureCatalog catalog;
  private final Supplier<ServingSnapshot> serving;

  /**
   * @param serving the registry and endpoint configs as they are at each request
   */
  public CatalogHandler(FeatureCatalog catalog, Supplier<ServingSnapshot> serving) {
    this.catalog = catalog;
    this.serving = serving;
  }

  @Override
  public void register(Javalin app) {
    app.get(PREFIX + "/views", this::list);
    app.get(PREFIX + "/views/{name}", this::describe);
    app.get(PREFIX + "/models/{model}/versions/{version}/lineage", this::lineage);
  }

  private void list(Context ctx) {
    Map<String, List<String>> params = ctx.queryParamMap();
    for (var p : params.entrySet()) {
      if (!SEARCH_PARAMS.contains(p.getKey())) {
        throw ApiException.invalidParameter(
            "Unknown query parameter '" + p.getKey() + "'; views are searched with q and tag");
      }
      if (p.getValue().size() > 1) {
        throw ApiException.invalidParameter("Give " + p.getKey() + " at most once");
      }
    }
    String tag = ctx.queryParam("tag");
    if (tag != null && !tag.isEmpty() && !FeatureView.TAG.matcher(tag).matches()) {
      throw ApiException.invalidParameter(FeatureView.invalidTag(tag));
    }
    ctx.json(Map.of("views", catalog.search(ctx.queryParam("q"), tag)));
  }

  private void describe(Context ctx) {
    String name = ctx.pathParam("name");
    ctx.json(
        catalog
            .describe(name, serving.get())
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "Unknown feature view '"
                            + name
                            + "'; known views: "
                            + String.join(", ", catalog.viewNames()))));
  }

  private void lineage(Context ctx) {
    String model = ctx.pathParam("model");
    String text = ctx.pathParam("version");
    int version;
    try {
      version = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      version = 0;
    }
    if (version < 1) {
      throw ApiException.invalidParameter(
          "Version must be a whole number from 1, got '" + text + "'");
    }
    ServingSnapshot snapshot = serving.get();
    List<Integer> versions = FeatureCatalog.versionsOf(model, snapshot);
    String missing =
        versions.isEmpty()
            ? "Unknown model " + model
            : "Model " + model + " has no version " + version + "; its versions: " + versions;
    ctx.json(
        catalog
            .lineage(model, version, snapshot)
            .orElseThrow(() -> ApiException.notFound(missing)));
  }
}
