/**
 * The feature catalog and lineage: what each feature view declares (entity, sources, features,
 * owner, tags, start), how it is doing on this node (keys held, events per second, freshness, dead
 * letters), and which feature services, model versions and endpoints use each feature. Assembled
 * from the definitions, a registry and endpoint snapshot and a source of live figures, so it is
 * tested without HTTP or Kafka; {@code http.CatalogHandler} serves it.
 *
 * <pre>{@code
 * var catalog = new FeatureCatalog(registry, live);
 * List<ViewEntry> churn = catalog.search(null, "churn");
 * Optional<ViewEntry> described = catalog.describe("customer_churn", ServingSnapshot.of(models, configs));
 * }</pre>
 */
package dev.tessera.serving.catalog;
