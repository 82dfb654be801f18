package dev.tessera.features.aggregate;

import dev.tessera.features.definition.FeatureDefinition;
import java.util.List;

/**
 * Where each feature of a group keeps its partial aggregate inside one flat {@code double[]}.
 *
 * <pre>{@code
 * PartialLayout layout = PartialLayout.of(view.lifetimeFeatures());
 * Partials p = layout.empty();
 * layout.add(p, eventTime, values);
 * double total = layout.result(p, 0);
 * }</pre>
 */
public final class PartialLayout {
  private final List<FeatureDefinition> features;
  private final Aggregator[] aggregators;
  private final int[] offsets;
  private final int width;

  private PartialLayout(List<FeatureDefinition> features) {
    this.features = List.copyOf(features);
    this.aggregators = new Aggregator[features.size()];
    this.offsets = new int[features.size()];
    int next = 0;
    for (int i = 0; i < aggregators.length; i++) {
      aggregators[i] = Aggregator.of(features.get(i).aggregation());
      offsets[i] = next;
      next += aggregators[i].slots();
    }
    this.width = next;
  }

  public static PartialLayout of(List<FeatureDefinition> features) {
    return new PartialLayout(features);
  }

  public List<FeatureDefinition> features() {
    return features;
  }

  /** Total slots of one partials record. */
  public int width() {
    return width;
  }

  public Partials empty() {
    return new Partials(Partials.NO_EVENT, new double[width]);
  }

  /** Folds one event into {@code partials}; {@code value} is the event's input to each feature. */
  public Partials add(Partials partials, long eventTime, double value) {
    double[] slots = partials.slots();
    for (int i = 0; i < aggregators.length; i++) {
      aggregators[i].add(slots, offsets[i], value);
    }
    return new Partials(Math.max(partials.newestEventTime(), eventTime), slots);
  }

  /** Folds {@code from} into {@code into} and returns the merged partials. */
  public Partials merge(Partials into, Partials from) {
    double[] slots = into.slots();
    for (int i = 0; i < aggregators.length; i++) {
      aggregators[i].merge(slots, from.slots(), offsets[i]);
    }
    return new Partials(Math.max(into.newestEventTime(), from.newestEventTime()), slots);
  }

  /**
   * Folds feature {@code index} of {@code from} into {@code into}; other features are untouched.
   */
  public Partials mergeFeature(Partials into, Partials from, int index) {
    aggregators[index].merge(into.slots(), from.slots(), offsets[index]);
    return new Partials(Math.max(into.newestEventTime(), from.newestEventTime()), into.slots());
  }

  /** Value of feature {@code index} (declaration order in this layout). */
  public double result(Partials partials, int index) {
    return aggregators[index].result(
        partials.slots(), offsets[index], features.get(index).defaultValue());
  }
}
