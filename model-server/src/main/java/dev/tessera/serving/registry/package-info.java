/**
 * The model registry: named models with immutable versions and movable aliases, kept on the
 * compacted control topic {@code tessera-registry} so that every node sees the same registry and a
 * restart loses nothing.
 *
 * <ul>
 *   <li>{@link dev.tessera.serving.registry.ModelVersion}, {@link
 *       dev.tessera.serving.registry.RegisteredModel}: what the registry holds.
 *   <li>{@link dev.tessera.serving.registry.RegistryRecord}: the record layout on the topic (keys
 *       {@code model/<name>}, {@code version/<name>/<n>}, {@code chunk/<name>/<n>/<i>}, {@code
 *       alias/<name>/<alias>}).
 *   <li>{@link dev.tessera.serving.registry.ArtifactStore}: artifacts cut into 512 KiB chunks,
 *       reassembled and checked against their sha256.
 *   <li>{@link dev.tessera.serving.registry.ModelRegistry}: the in-memory view a node follows;
 *       {@link dev.tessera.serving.registry.RegistryWriter}: registrations and alias moves.
 * </ul>
 *
 * <p>docs/OPERATIONS.md describes the topic layout and the concurrency rules; docs/API.md the REST
 * routes.
 */
package dev.tessera.serving.registry;
