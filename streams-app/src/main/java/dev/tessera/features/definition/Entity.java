package dev.tessera.features.definition;

import java.util.HashSet;
import java.util.List;

/**
 * What features are about: a named entity identified by one or more key fields, e.g. {@code
 * customer} by {@code customer_id}, or {@code user_merchant} by {@code user_id} and {@code
 * merchant} (a pair, as Tecton's join keys). A view's stores, lookups and invocations key the
 * entity by {@link EntityKey#of(String...)} of its key fields' values, in this order.
 *
 * <pre>{@code
 * Entity pair = new Entity("user_merchant", List.of("user_id", "merchant"));
 * String key = EntityKey.of("u-1", "m-7"); // "u-1|m-7"
 * }</pre>
 *
 * @param name entity name, used by views ({@code entity: user_merchant})
 * @param keys the key fields, as sources and requests name them
 */
public record Entity(String name, List<String> keys) {
  public Entity {
    Names.requireValid(name, "entity");
    keys = List.copyOf(keys);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("Entity " + name + " has no key field");
    }
    var seen = new HashSet<String>();
    for (String key : keys) {
      Names.requireValid(key, "key field");
      if (!seen.add(key)) {
        throw new IllegalArgumentException("Entity " + name + " lists key " + key + " twice");
      }
    }
  }

  /** An entity named after its one key field: what a view declared as {@code entity: region} is. */
  public static Entity keyedBy(String field) {
    return new Entity(field, List.of(field));
  }

  public boolean composite() {
    return keys.size() > 1;
  }
}
