package dev.tessera.serving.inference;

import dev.tessera.features.aggregate.Partials;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.features.query.VectorAssembler;
import dev.tessera.features.query.ViewLookup;
import dev.tessera.schemas.Assignment;
import dev.tessera.schemas.FeatureValue;
import dev.tessera.schemas.Prediction;
import dev.tessera.serving.endpoint.Endpoint;
import dev.tessera.serving.endpoint.ServedModel;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Answers invocations of an endpoint: looks each key's features up online, scores them with the
 * served model, and logs every row. HTTP-free, so the HTTP layer only parses and formats.
 *
 * <pre>{@code
 * List<ScoredRow> rows = inference.invoke("churn", List.of("C-1", "C-2"), null);
 * }</pre>
 */
public final class InferenceService implements AutoCloseable {
  /** Probability at or above which the predicted label is 1. */
  public static final double THRESHOLD = 0.5;

  private final Map<String, Endpoint> endpoints = new HashMap<>();
  private final Map<String, ModelSlot> slots = new HashMap<>();
  private final FeatureRegistry registry;
  private final ViewLookup lookup;
  private final PredictionLog predictionLog;
  private final Clock clock;

  public InferenceService(
      List<Endpoint> endpoints,
      FeatureRegistry registry,
      ViewLookup lookup,
      PredictionLog predictionLog,
      Clock clock) {
    this.registry = registry;
    for (Endpoint e : endpoints) {
      this.endpoints.put(e.name(), e);
      this.slots.put(e.name(), new ModelSlot(e.served(), assembler(e.served())));
    }
    this.lookup = lookup;
    this.predictionLog = predictionLog;
    this.clock = clock;
  }

  /** The assembler of a model's feature service, checked against the model's input width. */
  private VectorAssembler assembler(ServedModel model) {
    var assembler = new VectorAssembler(model.features(), registry);
    if (assembler.width() != model.scorer().featureCount()) {
      throw new IllegalArgumentException(
          "Model "
              + model.modelName()
              + " v"
              + model.version()
              + " takes "
              + model.scorer().featureCount()
              + " inputs but feature service "
              + model.features().name()
              + " has "
              + assembler.width()
              + " columns");
    }
    return assembler;
  }

  /**
   * Serves {@code model} on {@code endpoint} from the next request on, without a restart; requests
   * already running finish with the previous model, whose scorer then closes.
   *
   * @throws IllegalArgumentException if the model's input width differs from its feature service
   */
  public void swap(String endpoint, ServedModel model) {
    slot(endpoint).swap(model, assembler(model));
  }

  /** The model an endpoint serves now. */
  public ServedModel served(String endpoint) {
    return slot(endpoint).model();
  }

  private ModelSlot slot(String endpoint) {
    ModelSlot slot = slots.get(endpoint);
    if (slot == null) {
      throw new UnknownEndpointException(endpoint, endpoints.keySet());
    }
    return slot;
  }

  /** The request field that carries the lookup key of an endpoint's rows, e.g. customer_id. */
  public String entityKeyField(String endpoint) {
    try (ModelSlot.Lease lease = slot(endpoint).acquire()) {
      return lease.assembler().entityKeyField();
    }
  }

  /** Scores one row per key, in order, and logs each row to the predictions topic. */
  public List<ScoredRow> invoke(String endpointName, List<String> keys, String clientRequestId) {
    long started = System.nanoTime();
    ModelSlot slot = slot(endpointName);
    try (ModelSlot.Lease lease = slot.acquire()) {
      return invoke(endpoints.get(endpointName), lease, keys, clientRequestId, started);
    }
  }

  private List<ScoredRow> invoke(
      Endpoint endpoint,
      ModelSlot.Lease lease,
      List<String> keys,
      String clientRequestId,
      long started) {
    VectorAssembler assembler = lease.assembler();
    ServedModel served = lease.model();
    int width = served.scorer().featureCount();
    long now = clock.millis();
    float[] rows = new float[keys.size() * width];
    FeatureVector[][] vectors = new FeatureVector[keys.size()][];
    for (int r = 0; r < keys.size(); r++) {
      vectors[r] = assembler.fill(lookup, keys.get(r), now, Map.of(), rows, r * width);
    }
    double[] scores = served.scorer().score(rows, keys.size());
    long latencyMicros = (System.nanoTime() - started) / 1_000;

    String requestId = UUID.randomUUID().toString();
    List<ScoredRow> answer = new ArrayList<>(keys.size());
    for (int r = 0; r < keys.size(); r++) {
      int label = scores[r] >= THRESHOLD ? 1 : 0;
      boolean found = assembler.found(vectors[r]);
      answer.add(
          new ScoredRow(keys.get(r), scores[r], label, served.name(), served.version(), found));
      predictionLog.append(
          prediction(
              requestId + "-" + r,
              clientRequestId,
              now,
              endpoint,
              served,
              assembler,
              keys.get(r),
              vectors[r],
              scores[r],
              label,
              latencyMicros));
    }
    return answer;
  }

  private static Prediction prediction(
      String requestId,
      String clientRequestId,
      long now,
      Endpoint endpoint,
      ServedModel served,
      VectorAssembler assembler,
      String key,
      FeatureVector[] vectors,
      double score,
      int label,
      long latencyMicros) {
    int n = assembler.width();
    List<FeatureValue> features = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long eventTime = assembler.eventTime(vectors, i);
      boolean hasEvent = eventTime != Partials.NO_EVENT;
      features.add(
          FeatureValue.newBuilder()
              .setName(assembler.name(i))
              .setValue(assembler.value(vectors, i))
              .setEventTs(hasEvent ? Instant.ofEpochMilli(eventTime) : null)
              .setFound(hasEvent)
              .build());
    }
    return Prediction.newBuilder()
        .setRequestId(requestId)
        .setClientRequestId(clientRequestId)
        .setTs(Instant.ofEpochMilli(now))
        .setEndpoint(endpoint.name())
        .setServedEntity(served.name())
        .setModelName(served.modelName())
        .setModelVersion(served.version())
        .setEntityKeys(Map.of(assembler.entityKeyField(), key))
        .setFeatures(features)
        .setScore(score)
        .setLabel(label)
        .setLatencyUs(latencyMicros)
        .setAssignment(
            Assignment.newBuilder()
                .setExperimentId(endpoint.name())
                .setBucket(endpoint.bucket(key))
                .setConfigVersion(endpoint.configVersion())
                .build())
        .build();
  }

  /** Closes every endpoint's current model (once its requests finish). */
  @Override
  public void close() {
    slots.values().forEach(ModelSlot::close);
  }
}
