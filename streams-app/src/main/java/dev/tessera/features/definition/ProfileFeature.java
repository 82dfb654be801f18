package dev.tessera.features.definition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A field of the customer row (the {@code customers} table), encoded as numbers so a model can use
 * it.
 *
 * <pre>{@code
 * new ProfileFeature("subscription_tier", "subscription_tier", Encoding.ORDINAL,
 *     List.of("free", "basic", "premium"), -1.0);
 * }</pre>
 *
 * @param name feature name
 * @param field field of the customer row
 * @param encoding how the value becomes numbers
 * @param categories ORDINAL and ONE_HOT: the declared categories, in order
 * @param defaultValue value when there is no row, no value, or (ordinal) an undeclared category
 */
public record ProfileFeature(
    String name, String field, Encoding encoding, List<String> categories, double defaultValue)
    implements FeatureDefinition {

  public ProfileFeature {
    Names.requireValid(name, "feature");
    Objects.requireNonNull(field, "field of " + name);
    Objects.requireNonNull(encoding, "encoding of " + name);
    categories = List.copyOf(categories);
    if (encoding != Encoding.NUMBER && categories.isEmpty()) {
      throw new IllegalArgumentException(
          "Feature " + name + ": " + encoding.name().toLowerCase() + " needs categories");
    }
    if (encoding == Encoding.NUMBER && !categories.isEmpty()) {
      throw new IllegalArgumentException("Feature " + name + ": a number takes no categories");
    }
    if (categories.stream().distinct().count() != categories.size()) {
      throw new IllegalArgumentException("Feature " + name + " lists a category twice");
    }
  }

  /** ONE_HOT: {@code <name>_<category>} per category (category lower-cased, non-alnum → _). */
  @Override
  public List<String> columns() {
    if (encoding != Encoding.ONE_HOT) {
      return List.of(name);
    }
    var columns = new ArrayList<String>();
    for (String c : categories) {
      columns.add(name + "_" + c.toLowerCase().replaceAll("[^a-z0-9]+", "_"));
    }
    return columns;
  }

  /** Encodes a raw field value into {@code out[offset..offset+columns)}. */
  public void encode(Object value, double[] out, int offset) {
    switch (encoding) {
      case NUMBER -> {
        if (value instanceof Number n) {
          out[offset] = n.doubleValue();
        } else if (value instanceof Instant t) {
          out[offset] = t.toEpochMilli();
        } else {
          out[offset] = defaultValue;
        }
      }
      case ORDINAL -> {
        int i = value == null ? -1 : categories.indexOf(value.toString());
        out[offset] = i < 0 ? defaultValue : i;
      }
      case ONE_HOT -> {
        int i = value == null ? -1 : categories.indexOf(value.toString());
        for (int c = 0; c < categories.size(); c++) {
          out[offset + c] = c == i ? 1.0 : 0.0;
        }
      }
    }
  }

  /** How a profile field becomes numbers. */
  public enum Encoding {
    /** A numeric field as is. */
    NUMBER,
    /** The index of the value in the declared categories. */
    ORDINAL,
    /** One 0/1 column per declared category; all 0 for an undeclared one. */
    ONE_HOT
  }
}
