package dev.tessera.serving.inference;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureService;
import dev.tessera.features.definition.FeatureService.FeatureRef;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.query.FeatureLookup;
import dev.tessera.features.query.FeatureVector;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills a model's input row from the online store: looks up each view of a feature service once per
 * key and copies the features into the service's order. The mapping is computed once per service,
 * so a request only does lookups and array copies.
 */
public final class VectorAssembler {
  private final FeatureService service;
  private final List<String> views = new ArrayList<>();
  private final String entityKeyField;
  private final int[] viewOf;
  private final int[] indexInView;

  public VectorAssembler(FeatureService service, FeatureRegistry registry) {
    this.service = service;
    int n = service.features().size();
    this.viewOf = new int[n];
    this.indexInView = new int[n];
    String keyField = null;
    for (int i = 0; i < n; i++) {
      FeatureRef ref = service.features().get(i);
      FeatureView view =
          registry
              .view(ref.view())
              .orElseThrow(() -> new IllegalArgumentException("Unknown view in " + ref));
      if (keyField != null && !keyField.equals(view.entityKey())) {
        throw new IllegalArgumentException(
            "Feature service "
                + service.name()
                + " mixes entity keys "
                + keyField
                + " and "
                + view.entityKey());
      }
      keyField = view.entityKey();
      if (!views.contains(view.name())) {
        views.add(view.name());
      }
      viewOf[i] = views.indexOf(view.name());
      indexInView[i] = view.features().stream().map(f -> f.name()).toList().indexOf(ref.feature());
    }
    this.entityKeyField = keyField;
  }

  /** The request field that carries the lookup key, e.g. customer_id. */
  public String entityKeyField() {
    return entityKeyField;
  }

  public FeatureService service() {
    return service;
  }

  /**
   * Looks up {@code key} as of {@code now} and writes its features to {@code row} from {@code
   * offset}; returns the vectors read, one per view, for logging.
   */
  public FeatureVector[] fill(FeatureLookup lookup, String key, long now, float[] row, int offset) {
    FeatureVector[] vectors = new FeatureVector[views.size()];
    for (int v = 0; v < vectors.length; v++) {
      vectors[v] = lookup.lookup(views.get(v), key, now);
    }
    for (int i = 0; i < viewOf.length; i++) {
      row[offset + i] = (float) vectors[viewOf[i]].values()[indexInView[i]];
    }
    return vectors;
  }

  /** Name, value and event time of feature {@code i} of the service within looked-up vectors. */
  public String name(int i) {
    return service.features().get(i).feature();
  }

  public double value(FeatureVector[] vectors, int i) {
    return vectors[viewOf[i]].values()[indexInView[i]];
  }

  public long eventTime(FeatureVector[] vectors, int i) {
    return vectors[viewOf[i]].eventTimes()[indexInView[i]];
  }

  public boolean found(FeatureVector[] vectors) {
    for (FeatureVector v : vectors) {
      if (v.found()) {
        return true;
      }
    }
    return false;
  }
}
