package dev.tessera.features.query;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureService;
import dev.tessera.features.definition.FeatureService.FeatureRef;
import dev.tessera.features.definition.FeatureView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fills a model's input row from the online store: looks up each view of a feature service once per
 * key and copies the service's columns into the model's order. The mapping is computed once per
 * service, so a request only does lookups and array copies.
 */
public final class VectorAssembler {
  private final FeatureService service;
  private final List<String> views = new ArrayList<>();
  private final List<String> columns = new ArrayList<>();
  private final List<String> entityKeyFields;
  private final int[] viewOf;
  private final int[] indexInView;

  public VectorAssembler(FeatureService service, FeatureRegistry registry) {
    this.service = service;
    var viewIndexes = new ArrayList<Integer>();
    var indexes = new ArrayList<Integer>();
    String keyField = null;
    List<String> keyFields = List.of();
    for (FeatureRef ref : service.features()) {
      FeatureView view =
          registry
              .view(ref.view())
              .orElseThrow(() -> new IllegalArgumentException("Unknown view in " + ref));
      String viewKey = String.join(",", view.keys());
      if (keyField != null && !keyField.equals(viewKey)) {
        throw new IllegalArgumentException(
            "Feature service "
                + service.name()
                + " mixes entity keys "
                + keyField
                + " and "
                + viewKey);
      }
      keyField = viewKey;
      keyFields = view.keys();
      if (!views.contains(view.name())) {
        views.add(view.name());
      }
      List<String> viewColumns = view.columns();
      for (String column : view.feature(ref.feature()).orElseThrow().columns()) {
        columns.add(column);
        viewIndexes.add(views.indexOf(view.name()));
        indexes.add(viewColumns.indexOf(column));
      }
    }
    this.entityKeyFields = keyFields;
    this.viewOf = viewIndexes.stream().mapToInt(Integer::intValue).toArray();
    this.indexInView = indexes.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The request field that carries the lookup key, e.g. customer_id; for an entity with several key
   * fields, their names joined by ',' (requests with such keys are looked up through the features
   * API, whose rows name each field).
   */
  public String entityKeyField() {
    return String.join(",", entityKeyFields);
  }

  /** The request fields that make the lookup key, in the entity's order ({@code EntityKey}). */
  public List<String> entityKeyFields() {
    return entityKeyFields;
  }

  public FeatureService service() {
    return service;
  }

  /** Number of model inputs (columns). */
  public int width() {
    return columns.size();
  }

  /**
   * Looks up {@code key} as of {@code now} and writes its columns to {@code row} from {@code
   * offset}; returns the vectors read, one per view, for logging.
   */
  public FeatureVector[] fill(
      ViewLookup lookup,
      String key,
      long now,
      Map<String, Double> request,
      float[] row,
      int offset) {
    FeatureVector[] vectors = lookup(lookup, key, now, request);
    for (int i = 0; i < viewOf.length; i++) {
      row[offset + i] = (float) vectors[viewOf[i]].values()[indexInView[i]];
    }
    return vectors;
  }

  /** Looks up every view of the service for {@code key} as of {@code now}, one vector per view. */
  public FeatureVector[] lookup(
      ViewLookup lookup, String key, long now, Map<String, Double> request) {
    FeatureVector[] vectors = new FeatureVector[views.size()];
    for (int v = 0; v < vectors.length; v++) {
      vectors[v] = lookup.lookup(views.get(v), key, now, request);
    }
    return vectors;
  }

  /** Name of model input {@code i}. */
  public String name(int i) {
    return columns.get(i);
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
