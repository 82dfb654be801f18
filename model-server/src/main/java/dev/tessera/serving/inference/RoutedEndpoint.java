package dev.tessera.serving.inference;

import dev.tessera.serving.endpoint.Endpoint;
import dev.tessera.serving.endpoint.ServedModel;
import dev.tessera.serving.endpoint.TrafficSplit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * An endpoint as this node serves it: its traffic split, the model slot of each served entity that
 * is loaded, the shadows, and why any entity is not loaded. Immutable: a config change publishes a
 * new one ({@link InferenceService#publish}); a model swap inside an entity's slot needs none.
 *
 * <pre>{@code
 * var endpoint =
 *     new RoutedEndpoint("churn", "churn", 3, split, Map.of("champion", a, "challenger", b),
 *         List.of(), Map.of());
 * String entity = endpoint.route("C-1"); // the same on every node and after restarts
 * }</pre>
 *
 * @param name endpoint name
 * @param salt salt of the sticky assignment
 * @param configVersion version of the endpoint config this was built from (0: the node's default)
 * @param split traffic routes over the non-shadow entities
 * @param slots loaded entities by name, in config order
 * @param shadows names of the shadow entities (scored and logged, never returned)
 * @param unavailable entities that could not be loaded, with the reason
 */
public record RoutedEndpoint(
    String name,
    String salt,
    long configVersion,
    TrafficSplit split,
    Map<String, ModelSlot> slots,
    List<String> shadows,
    Map<String, String> unavailable) {

  public RoutedEndpoint {
    slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
    shadows = List.copyOf(shadows);
    unavailable = Map.copyOf(unavailable);
  }

  /** A single-model endpoint: one entity, named after the model, with all the traffic. */
  public static RoutedEndpoint single(Endpoint endpoint, ModelSlot slot) {
    String entity = endpoint.served().name();
    return new RoutedEndpoint(
        endpoint.name(),
        endpoint.salt(),
        endpoint.configVersion(),
        TrafficSplit.of(List.of(new TrafficSplit.Route(entity, 100))),
        Map.of(entity, slot),
        List.of(),
        Map.of());
  }

  /** The sticky bucket of an entity key. */
  public int bucket(String entityKey) {
    return Endpoint.bucket(salt, entityKey);
  }

  /** The served entity whose route holds {@code bucket}. */
  public String route(int bucket) {
    return split.route(bucket);
  }

  /** The entity new requests without a key or a pin get first: the first route's. */
  public String primary() {
    return split.names().get(0);
  }

  /**
   * The slot of a served entity.
   *
   * @throws UnknownEndpointException if the endpoint has no such entity
   * @throws EntityUnavailableException if the entity could not be loaded on this node
   */
  public ModelSlot slot(String entity) {
    ModelSlot slot = slots.get(entity);
    if (slot != null) {
      return slot;
    }
    String why = unavailable.get(entity);
    if (why != null) {
      throw new EntityUnavailableException(
          "Served entity " + entity + " of endpoint " + name + " is not loaded here: " + why);
    }
    var names = new ArrayList<String>(slots.keySet());
    names.addAll(unavailable.keySet());
    throw new UnknownEntityException(
        "Endpoint " + name + " has no served entity '" + entity + "'; served entities: " + names);
  }

  /**
   * The experiment this endpoint runs now: its name and what each entity serves, e.g. {@code
   * churn:champion=churn/1,challenger=churn/2}. A new model behind any entity starts a new
   * experiment, so figures of different models are never pooled.
   */
  public String experimentId() {
    var joiner = new StringJoiner(",", name + ":", "");
    slots.forEach(
        (entity, slot) -> {
          ServedModel m = slot.model();
          joiner.add(entity + "=" + m.modelName() + "/" + m.version());
        });
    return joiner.toString();
  }
}
