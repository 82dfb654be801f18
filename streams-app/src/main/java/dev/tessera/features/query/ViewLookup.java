package dev.tessera.features.query;

import java.util.Map;

/**
 * Looks up a view's values for a key, wherever the key's stores are: used by views that read a
 * feature of another entity (e.g. the customer's region), whose key may live on another node.
 */
@FunctionalInterface
public interface ViewLookup {
  /**
   * @param request request fields for on-demand features (e.g. amount, lat, lon); may be empty
   */
  FeatureVector lookup(String view, String key, long asOfMillis, Map<String, Double> request);
}
