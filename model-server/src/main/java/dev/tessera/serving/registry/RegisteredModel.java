package dev.tessera.serving.registry;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * A named model: the registry's entry that versions and aliases hang from.
 *
 * @param name the model's name, see {@link RegistryRecord#checkName}
 * @param description free text, may be empty
 * @param creationTimestamp epoch milliseconds when it was created
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RegisteredModel(String name, String description, long creationTimestamp) {
  public RegisteredModel {
    RegistryRecord.checkName(name, "model name");
    description = Objects.requireNonNullElse(description, "");
  }
}
