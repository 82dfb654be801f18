package dev.tessera.features.definition;

import java.util.Objects;

/**
 * A compacted topic of an entity's attributes, declared in the definition file (as {@code
 * customers} is for customers): each record is a version of one entity's row, in effect from its
 * time. Online lookups read the newest version; the offline replay feeds versions in time order, so
 * a training row reads the version in effect at its time.
 *
 * <pre>{@code
 * tables:
 *   - name: users
 *     entity: user
 *     fields:
 *       - {name: user_id}
 *       - {name: country}
 *       - {name: home_lat, path: home.lat, type: double}
 *     time: {path: updated_at, unit: epoch_s}
 * }</pre>
 *
 * @param source how its records are read (the same declaration as a source's)
 * @param entity the entity its rows describe; its key fields are fields of the row
 */
public record TableDeclaration(SourceDeclaration source, Entity entity) {
  public TableDeclaration {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(entity, "entity");
    for (String key : entity.keys()) {
      if (source.field(key).isEmpty() && source.keyFrom() == SourceDeclaration.KeyFrom.VALUE) {
        throw new IllegalArgumentException(
            "Table "
                + source.name()
                + " is of entity "
                + entity.name()
                + " but declares no field "
                + key);
      }
    }
  }

  public String name() {
    return source.name();
  }
}
