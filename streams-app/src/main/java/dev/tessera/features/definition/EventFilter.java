package dev.tessera.features.definition;

import java.util.List;
import java.util.Objects;

/**
 * Keeps the events whose string field equals one of the given values, e.g. clicks with {@code
 * event_type} = page_view.
 *
 * @param field event field compared
 * @param anyOf accepted values
 */
public record EventFilter(String field, List<String> anyOf) {
  public EventFilter {
    Objects.requireNonNull(field, "filter field");
    anyOf = List.copyOf(anyOf);
    if (anyOf.isEmpty()) {
      throw new IllegalArgumentException("Filter on " + field + " accepts no value");
    }
  }

  public static EventFilter equalTo(String field, String value) {
    return new EventFilter(field, List.of(value));
  }

  public boolean accepts(Object value) {
    return value != null && anyOf.contains(value.toString());
  }
}
