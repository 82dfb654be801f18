package dev.tessera.serving.registry;

/**
 * An alias of a model moved, appeared or was deleted.
 *
 * @param model the registered model
 * @param alias the alias, such as {@code champion}
 * @param previousVersion the version it pointed at before, or {@code null} if it is new
 * @param version the version it points at now, or {@code null} if it was deleted
 */
public record AliasChange(String model, String alias, Integer previousVersion, Integer version) {}
