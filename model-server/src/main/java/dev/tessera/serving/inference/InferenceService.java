package dev.tessera.serving.inference;

import dev.tessera.features.aggregate.Partials;
import dev.tessera.features.definition.EntityKey;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.features.query.VectorAssembler;
import dev.tessera.features.query.ViewLookup;
import dev.tessera.schemas.Assignment;
import dev.tessera.schemas.FeatureValue;
import dev.tessera.schemas.Prediction;
import dev.tessera.serving.endpoint.Endpoint;
import dev.tessera.serving.endpoint.ServedModel;
import dev.tessera.serving.scoring.ScoringException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers invocations of an endpoint: routes each row to a served entity by its sticky bucket (or
 * to the entity the caller pinned), looks its features up online (or takes the full feature vector
 * a row gives), scores them with that entity's model, and logs every row. Shadow entities score the
 * same rows afterwards, off the request thread, and are only logged. HTTP-free: every request
 * format is parsed into {@link InvocationRow}s, so the HTTP layer only parses and formats.
 *
 * <pre>{@code
 * inference.publish(routedEndpoint); // e.g. from the endpoint config, champion 90 / challenger 10
 * List<ScoredRow> rows =
 *     inference.invoke(
 *         "churn",
 *         List.of(InvocationRow.lookup("C-1", Map.of()), InvocationRow.vector(null, vector)),
 *         "client-id-or-null");
 * }</pre>
 */
public final class InferenceService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InferenceService.class);

  /** Probability at or above which the predicted label is 1. */
  public static final double THRESHOLD = 0.5;

  private static final int SHADOW_QUEUE = 1_000;

  private final Map<String, RoutedEndpoint> endpoints = new ConcurrentHashMap<>();
  private final FeatureRegistry registry;
  private final ViewLookup lookup;
  private final PredictionLog predictionLog;
  private final Clock clock;
  private final ThreadPoolExecutor shadowScoring;
  private final AtomicLong shadowDropped = new AtomicLong();
  private final AtomicLong scoringFailures = new AtomicLong();

  /** A service with no endpoints yet; see {@link #publish}. */
  public InferenceService(
      FeatureRegistry registry, ViewLookup lookup, PredictionLog predictionLog, Clock clock) {
    this(List.of(), registry, lookup, predictionLog, clock);
  }

  /** A service with single-model endpoints, each model taking all of its endpoint's traffic. */
  public InferenceService(
      List<Endpoint> endpoints,
      FeatureRegistry registry,
      ViewLookup lookup,
      PredictionLog predictionLog,
      Clock clock) {
    this.registry = registry;
    this.lookup = lookup;
    this.predictionLog = predictionLog;
    this.clock = clock;
    // Shadows must never slow the answer down: one thread, a bounded queue, and what does not fit
    // is counted and skipped.
    this.shadowScoring =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(SHADOW_QUEUE),
            r -> {
              Thread t = new Thread(r, "tessera-shadow-scoring");
              t.setDaemon(true);
              return t;
            },
            (task, pool) -> shadowDropped.incrementAndGet());
    for (Endpoint e : endpoints) {
      publish(RoutedEndpoint.single(e, ModelSlot.of(e.served(), registry)));
    }
  }

  /**
   * Serves {@code endpoint} from the next request on, replacing any endpoint of that name. Slots
   * the previous one had and the new one does not are the caller's to close.
   *
   * @return the endpoint it replaced, if any
   */
  public Optional<RoutedEndpoint> publish(RoutedEndpoint endpoint) {
    return Optional.ofNullable(endpoints.put(endpoint.name(), endpoint));
  }

  /** Stops serving an endpoint; its slots are the caller's to close. */
  public Optional<RoutedEndpoint> withdraw(String name) {
    return Optional.ofNullable(endpoints.remove(name));
  }

  /** The endpoint as served now, if it exists. */
  public Optional<RoutedEndpoint> endpoint(String name) {
    return Optional.ofNullable(endpoints.get(name));
  }

  /** Names of the endpoints served now. */
  public List<String> endpointNames() {
    return endpoints.keySet().stream().sorted().toList();
  }

  /**
   * Serves {@code model} on a single-model endpoint from the next request on, without a restart;
   * requests already running finish with the previous model, whose scorer then closes.
   *
   * @throws IllegalArgumentException if the model's input width differs from its feature service
   */
  public void swap(String endpoint, ServedModel model) {
    routed(endpoint).slot(routed(endpoint).primary()).swap(model, registry);
  }

  /** The model the endpoint's first route serves now. */
  public ServedModel served(String endpoint) {
    RoutedEndpoint e = routed(endpoint);
    return e.slot(e.primary()).model();
  }

  private RoutedEndpoint routed(String endpoint) {
    RoutedEndpoint e = endpoints.get(endpoint);
    if (e == null) {
      throw new UnknownEndpointException(endpoint, endpoints.keySet());
    }
    return e;
  }

  /**
   * The inputs of the model that reads the rows of a request: the pinned entity's, else the first
   * route's (key field, columns, name and version). Full-vector rows must have its columns.
   */
  public ModelInputs inputs(String endpoint, String pinnedEntity) {
    RoutedEndpoint e = routed(endpoint);
    try (ModelSlot.Lease lease =
        e.slot(pinnedEntity == null ? e.primary() : pinnedEntity).acquire()) {
      return lease.inputs();
    }
  }

  /** {@link #inputs(String, String)} of a request routed by bucket. */
  public ModelInputs inputs(String endpoint) {
    return inputs(endpoint, null);
  }

  /**
   * Scores the rows in order, each by the served entity its key's bucket routes to, and logs each
   * to the predictions topic: a lookup row's features are read from the online store (with its
   * request fields for on-demand features), a full-vector row is scored as given.
   *
   * @throws UnknownEndpointException if there is no such endpoint
   * @throws InvalidInvocationException if a full vector's width is not the model's
   * @throws EntityUnavailableException if a row is routed to an entity not loaded here
   */
  public List<ScoredRow> invoke(
      String endpointName, List<InvocationRow> rows, String clientRequestId) {
    return invoke(endpointName, null, rows, clientRequestId);
  }

  /**
   * As {@link #invoke(String, List, String)}, but every row is scored by {@code pinnedEntity}
   * (null: routed by bucket); a pinned request still has its rows' buckets logged.
   */
  public List<ScoredRow> invoke(
      String endpointName, String pinnedEntity, List<InvocationRow> rows, String clientRequestId) {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      RoutedEndpoint endpoint = routed(endpointName);
      try {
        return invoke(endpoint, pinnedEntity, rows, clientRequestId, started);
      } catch (ModelSlot.SlotClosedException e) {
        // The endpoint's config changed under the request: route it again on the new one.
        if (attempt == 3) {
          throw new EntityUnavailableException(e.getMessage() + "; retry");
        }
      }
    }
  }

  private List<ScoredRow> invoke(
      RoutedEndpoint endpoint,
      String pinnedEntity,
      List<InvocationRow> rows,
      String clientRequestId,
      long started) {
    int n = rows.size();
    int[] buckets = new int[n];
    var byEntity = new LinkedHashMap<String, List<Integer>>();
    for (int r = 0; r < n; r++) {
      String key = rows.get(r).key();
      // A row without a key (a full vector) has no stickiness to keep: any bucket will do.
      buckets[r] =
          key == null
              ? ThreadLocalRandom.current().nextInt(Endpoint.BUCKETS)
              : endpoint.bucket(key);
      String entity = pinnedEntity != null ? pinnedEntity : endpoint.route(buckets[r]);
      byEntity.computeIfAbsent(entity, x -> new ArrayList<>()).add(r);
    }
    var leases = new ArrayList<ModelSlot.Lease>(byEntity.size());
    try {
      // Every lease first: a slot closed meanwhile fails the attempt before any row is logged.
      for (String entity : byEntity.keySet()) {
        leases.add(endpoint.slot(entity).acquire());
      }
      var call =
          new Call(
              endpoint, endpoint.experimentId(), clientRequestId, UUID.randomUUID().toString());
      ScoredRow[] answer = new ScoredRow[n];
      long now = clock.millis();
      int g = 0;
      for (var group : byEntity.entrySet()) {
        ModelSlot.Lease lease = leases.get(g++);
        boolean canFallBack = pinnedEntity == null && !group.getKey().equals(endpoint.primary());
        // Each variant's latency is its own work (lookups and scoring), so that rows of one
        // request scored by two variants do not charge one with the other's time.
        long groupStarted = g == 1 ? started : System.nanoTime();
        List<Integer> failed =
            score(
                call,
                lease,
                rows,
                group.getValue(),
                buckets,
                now,
                groupStarted,
                answer,
                canFallBack);
        if (!failed.isEmpty()) {
          // A failing challenger costs its rows an error in the log, never the caller an answer.
          ModelSlot.Lease primary = endpoint.slot(endpoint.primary()).acquire();
          leases.add(primary);
          score(call, primary, rows, failed, buckets, now, System.nanoTime(), answer, false);
        }
      }
      if (!endpoint.shadows().isEmpty()) {
        shadowScoring.execute(() -> scoreShadows(call, rows, buckets, now));
      }
      return List.of(answer);
    } finally {
      leases.forEach(ModelSlot.Lease::close);
    }
  }

  private void scoreShadows(Call call, List<InvocationRow> rows, int[] buckets, long now) {
    var all = new ArrayList<Integer>(rows.size());
    for (int r = 0; r < rows.size(); r++) {
      all.add(r);
    }
    for (String shadow : call.endpoint.shadows()) {
      ModelSlot slot = call.endpoint.slots().get(shadow);
      if (slot == null) {
        continue; // not loaded here; the endpoint's state says why
      }
      // Its own request id, so that its rows never collide with the answered ones downstream.
      var shadowCall =
          new Call(
              call.endpoint,
              call.experimentId,
              call.clientRequestId,
              call.requestId + "-" + shadow);
      try (ModelSlot.Lease lease = slot.acquire()) {
        score(
            shadowCall,
            lease,
            rows,
            all,
            buckets,
            now,
            System.nanoTime(),
            new ScoredRow[rows.size()],
            false);
      } catch (RuntimeException e) {
        log.debug(
            "Shadow {} of {} could not score: {}", shadow, call.endpoint.name(), e.toString());
      }
    }
  }

  /** Shadow requests skipped because the shadow queue was full. */
  public long shadowDropped() {
    return shadowDropped.get();
  }

  /** What every row of one request shares. */
  private record Call(
      RoutedEndpoint endpoint, String experimentId, String clientRequestId, String requestId) {}

  /**
   * Scores rows {@code indexes} with one leased model into {@code answer}, logging each. A row the
   * model fails on (it throws, or gives a score that is not a number) is logged as an error (score
   * NaN, no label); then, if {@code canFallBack}, the failed rows are returned for the caller to
   * score with another model, else the failure is thrown.
   */
  private List<Integer> score(
      Call call,
      ModelSlot.Lease lease,
      List<InvocationRow> rows,
      List<Integer> indexes,
      int[] buckets,
      long now,
      long started,
      ScoredRow[] answer,
      boolean canFallBack) {
    VectorAssembler assembler = lease.assembler();
    ServedModel served = lease.model();
    int width = served.scorer().featureCount();
    int n = indexes.size();
    float[] inputs = new float[n * width];
    FeatureVector[][] vectors = new FeatureVector[n][];
    for (int i = 0; i < n; i++) {
      int r = indexes.get(i);
      InvocationRow row = rows.get(r);
      if (row.isLookup()) {
        vectors[i] = assembler.fill(lookup, row.key(), now, row.request(), inputs, i * width);
      } else if (row.features().length == width) {
        System.arraycopy(row.features(), 0, inputs, i * width, width);
      } else {
        throw new InvalidInvocationException(
            "Row "
                + r
                + " has "
                + row.features().length
                + " feature values but model "
                + served.modelName()
                + " v"
                + served.version()
                + " ("
                + served.name()
                + ") takes "
                + width);
      }
    }
    double[] scores;
    ScoringException failure = null;
    try {
      scores = served.scorer().score(inputs, n);
    } catch (ScoringException e) {
      failure = e;
      scores = new double[n];
      Arrays.fill(scores, Double.NaN);
    }
    // The variant's own time for its part of the request. Dividing by its rows would charge the
    // variant with fewer rows of a batch the whole fixed cost of a model call (and pull a fast
    // challenger back); single-row requests, the common case, compare exactly either way.
    long latencyMicros = (System.nanoTime() - started) / 1_000;
    var failed = new ArrayList<Integer>();
    for (int i = 0; i < n; i++) {
      int r = indexes.get(i);
      String key = rows.get(r).key();
      boolean ok = Double.isFinite(scores[i]);
      Integer label = !ok ? null : scores[i] >= THRESHOLD ? 1 : 0;
      boolean lookedUp = vectors[i] != null;
      if (ok) {
        answer[r] =
            new ScoredRow(
                key,
                scores[i],
                label,
                served.name(),
                served.modelName(),
                served.version(),
                lookedUp && assembler.found(vectors[i]),
                lookedUp);
      } else {
        failed.add(r);
      }
      predictionLog.append(
          prediction(
              call,
              r,
              now,
              served,
              assembler,
              key,
              buckets[r],
              vectors[i],
              inputs,
              i * width,
              ok ? scores[i] : Double.NaN,
              label,
              latencyMicros));
    }
    if (!failed.isEmpty()) {
      scoringFailures.addAndGet(failed.size());
      String why =
          failure != null ? failure.getMessage() : "a score that is not a number for some rows";
      log.warn(
          "{} ({} v{}) failed on {} of {} rows: {}",
          served.name(),
          served.modelName(),
          served.version(),
          failed.size(),
          n,
          why);
      if (!canFallBack) {
        throw failure != null
            ? failure
            : new ScoringException(
                served.modelName() + " v" + served.version() + " gave " + why, null);
      }
    }
    return failed;
  }

  /** Rows a model failed to score (logged as error rows). */
  public long scoringFailures() {
    return scoringFailures.get();
  }

  /** The prediction's entity keys by field: the key, or its fields' values when composite. */
  private static Map<String, String> entityKeys(List<String> fields, String key) {
    if (fields.size() == 1) {
      return Map.of(fields.get(0), key);
    }
    List<String> values = EntityKey.split(key, fields.size());
    var keys = new LinkedHashMap<String, String>();
    for (int i = 0; i < fields.size(); i++) {
      keys.put(fields.get(i), values.get(i));
    }
    return keys;
  }

  private static Prediction prediction(
      Call call,
      int row,
      long now,
      ServedModel served,
      VectorAssembler assembler,
      String key,
      int bucket,
      FeatureVector[] vectors,
      float[] inputs,
      int offset,
      double score,
      Integer label,
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
        .setRequestId(call.requestId + "-" + row)
        .setClientRequestId(call.clientRequestId)
        .setTs(Instant.ofEpochMilli(now))
        .setEndpoint(call.endpoint.name())
        .setServedEntity(served.name())
        .setModelName(served.modelName())
        .setModelVersion(served.version())
        .setEntityKeys(key == null ? Map.of() : entityKeys(assembler.entityKeyFields(), key))
        .setFeatures(features)
        .setScore(score)
        .setLabel(label)
        .setLatencyUs(latencyMicros)
        .setAssignment(
            Assignment.newBuilder()
                .setExperimentId(call.experimentId)
                .setBucket(bucket)
                .setConfigVersion(call.endpoint.configVersion())
                .build())
        .build();
  }

  /** Closes every endpoint's models (once their requests finish). */
  @Override
  public void close() {
    shadowScoring.shutdownNow();
    for (RoutedEndpoint e : endpoints.values()) {
      e.slots().values().forEach(ModelSlot::close);
    }
    endpoints.clear();
  }
}
