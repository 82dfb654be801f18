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
 * Answers invocations of an endpoint: looks each key's features up online (or takes the full
 * feature vector a row gives), scores them with the served model, and logs every row. HTTP-free:
 * every request format is parsed into {@link InvocationRow}s, so the HTTP layer only parses and
 * formats.
 *
 * <pre>{@code
 * List<ScoredRow> rows =
 *     inference.invoke(
 *         "churn",
 *         List.of(InvocationRow.lookup("C-1", Map.of()), InvocationRow.vector(null, vector)),
 *         "client-id-or-null");
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

  /** The current model's inputs on {@code endpoint}: key field, columns, name and version. */
  public ModelInputs inputs(String endpoint) {
    try (ModelSlot.Lease lease = slot(endpoint).acquire()) {
      return lease.inputs();
    }
  }

  /**
   * Scores the rows in order and logs each to the predictions topic: a lookup row's features are
   * read from the online store (with its request fields for on-demand features), a full-vector row
   * is scored as given.
   *
   * @throws UnknownEndpointException if there is no such endpoint
   * @throws InvalidInvocationException if a full vector's width is not the model's
   */
  public List<ScoredRow> invoke(
      String endpointName, List<InvocationRow> rows, String clientRequestId) {
    long started = System.nanoTime();
    ModelSlot slot = slot(endpointName);
    try (ModelSlot.Lease lease = slot.acquire()) {
      return invoke(endpoints.get(endpointName), lease, rows, clientRequestId, started);
    }
  }

  private List<ScoredRow> invoke(
      Endpoint endpoint,
      ModelSlot.Lease lease,
      List<InvocationRow> rows,
      String clientRequestId,
      long started) {
    VectorAssembler assembler = lease.assembler();
    ServedModel served = lease.model();
    int width = served.scorer().featureCount();
    int n = rows.size();
    long now = clock.millis();
    float[] inputs = new float[n * width];
    FeatureVector[][] vectors = new FeatureVector[n][];
    for (int r = 0; r < n; r++) {
      InvocationRow row = rows.get(r);
      if (row.isLookup()) {
        vectors[r] = assembler.fill(lookup, row.key(), now, row.request(), inputs, r * width);
      } else if (row.features().length == width) {
        System.arraycopy(row.features(), 0, inputs, r * width, width);
      } else {
        throw new InvalidInvocationException(
            "Row "
                + r
                + " has "
                + row.features().length
                + " feature values but model "
                + served.name()
                + " takes "
                + width);
      }
    }
    double[] scores = served.scorer().score(inputs, n);
    long latencyMicros = (System.nanoTime() - started) / 1_000;

    String requestId = UUID.randomUUID().toString();
    List<ScoredRow> answer = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      String key = rows.get(r).key();
      int label = scores[r] >= THRESHOLD ? 1 : 0;
      boolean lookedUp = vectors[r] != null;
      boolean found = lookedUp && assembler.found(vectors[r]);
      answer.add(
          new ScoredRow(key, scores[r], label, served.name(), served.version(), found, lookedUp));
      predictionLog.append(
          prediction(
              requestId + "-" + r,
              clientRequestId,
              now,
              endpoint,
              served,
              assembler,
              key,
              vectors[r],
              inputs,
              r * width,
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
      float[] inputs,
      int offset,
      double score,
      int label,
      long latencyMicros) {
    int n = assembler.width();
    List<FeatureValue> features = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      // A full vector given by the caller: its values, with no event time and not found in a store.
      long eventTime = vectors == null ? Partials.NO_EVENT : assembler.eventTime(vectors, i);
      boolean hasEvent = eventTime != Partials.NO_EVENT;
      features.add(
          FeatureValue.newBuilder()
              .setName(assembler.name(i))
              .setValue(vectors == null ? inputs[offset + i] : assembler.value(vectors, i))
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
        .setEntityKeys(key == null ? Map.of() : Map.of(assembler.entityKeyField(), key))
        .setFeatures(features)
        .setScore(score)
        .setLabel(label)
        .setLatencyUs(latencyMicros)
        .setAssignment(
            Assignment.newBuilder()
                .setExperimentId(endpoint.name())
                .setBucket(endpoint.bucket(key == null ? "" : key))
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
