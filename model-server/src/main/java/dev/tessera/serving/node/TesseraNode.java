package dev.tessera.serving.node;

import ai.onnxruntime.OrtEnvironment;
import dev.tessera.features.FeaturePipeline;
import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.offline.ProgressListener;
import dev.tessera.serving.catalog.FeatureCatalog;
import dev.tessera.serving.catalog.PipelineFigures;
import dev.tessera.serving.catalog.ServingSnapshot;
import dev.tessera.serving.config.RetrainConfig;
import dev.tessera.serving.config.ServingConfig;
import dev.tessera.serving.drift.DriftMonitor;
import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.endpoint.EndpointOperations;
import dev.tessera.serving.endpoint.EndpointStore;
import dev.tessera.serving.endpoint.EndpointWriter;
import dev.tessera.serving.endpoint.ServedEntity;
import dev.tessera.serving.endpoint.ServedModel;
import dev.tessera.serving.endpoint.TrafficSplit;
import dev.tessera.serving.experiment.ClusterExperiments;
import dev.tessera.serving.experiment.ExperimentJob;
import dev.tessera.serving.http.CatalogHandler;
import dev.tessera.serving.http.DriftHandler;
import dev.tessera.serving.http.EndpointsHandler;
import dev.tessera.serving.http.ExperimentPeerClient;
import dev.tessera.serving.http.HttpApi;
import dev.tessera.serving.http.HttpListener;
import dev.tessera.serving.http.NodeStatus;
import dev.tessera.serving.http.RetrainHandler;
import dev.tessera.serving.http.auth.AccessTokens;
import dev.tessera.serving.http.auth.BindGuard;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.inference.PredictionLog;
import dev.tessera.serving.metrics.ServingMetrics;
import dev.tessera.serving.metrics.StreamsFigures;
import dev.tessera.serving.registry.ModelRegistry;
import dev.tessera.serving.registry.ModelValidator;
import dev.tessera.serving.registry.RegistryWriter;
import dev.tessera.serving.retrain.ChallengerFollowUp;
import dev.tessera.serving.retrain.ChallengerRollout;
import dev.tessera.serving.retrain.CycleData;
import dev.tessera.serving.retrain.RetrainCycle;
import dev.tessera.serving.retrain.RetrainLoop;
import dev.tessera.serving.retrain.RetrainScheduler;
import dev.tessera.serving.scoring.OnnxScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Tessera node: the feature pipeline (Kafka Streams), the endpoints and their models, the
 * prediction log, the model registry and endpoint configs it follows and the HTTP API, started
 * together and closed in reverse order.
 *
 * <p>Every endpoint is served as its config on the endpoints topic says ({@link EndpointServing}).
 * The {@code churn} endpoint exists before any config: it serves the version {@code churn.alias}
 * (champion) of {@code churn.model} (churn) points at, swapping whenever the alias moves, and
 * {@code model.path} or the bootstrap model until that alias exists.
 *
 * <pre>{@code
 * try (TesseraNode node = TesseraNode.start(Map.of("bootstrap.servers", "127.0.0.1:9092"))) {
 *   node.awaitShutdown();
 * }
 * }</pre>
 */
public final class TesseraNode implements AutoCloseable, NodeStatus {
  private static final Logger log = LoggerFactory.getLogger(TesseraNode.class);
  public static final String CHURN_ENDPOINT = "churn";
  private static final Duration CATCH_UP = Duration.ofSeconds(60);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private FeaturePipeline pipeline;
  private HttpApi http;
  private PredictionLog predictionLog;
  private ModelRegistry models;
  private EndpointStore endpoints;
  private EndpointWriter endpointWriter;
  private InferenceService inference;
  private EndpointOperations operations;
  private RetrainLoop retraining;

  private TesseraNode() {}

  /** Starts a node from settings (see {@link FeatureStoreConfig} and {@link ServingConfig}). */
  public static TesseraNode start(Map<String, String> settings) {
    var node = new TesseraNode();
    try {
      var serving = new ServingConfig(settings);
      // Refuse a non-loopback bind without tokens before binding or starting anything.
      AccessTokens tokens = AccessTokens.load(serving);
      BindGuard.check(serving.httpHost(), tokens);
      // Bound first: application.server names this port before Streams starts (0: the kernel's
      // choice, held from now on, so nothing can take it before the API serves on it).
      HttpListener listener = HttpListener.bind(serving.httpHost(), serving.httpPort());
      node.resources.add(listener);
      Map<String, String> effective = withApplicationServer(settings, listener.port());
      node.startAll(
          listener, tokens, new FeatureStoreConfig(effective), new ServingConfig(effective));
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /**
   * Settings where {@code application.server} names this node's HTTP API, so that Streams can tell
   * other nodes where a key lives: the configured value, else {@code http.host:port} with the port
   * the API's listener is bound to (a wildcard host becomes loopback).
   */
  static Map<String, String> withApplicationServer(Map<String, String> settings, int port) {
    var effective = new HashMap<>(settings);
    var serving = new ServingConfig(settings);
    effective.put(ServingConfig.HTTP_PORT, Integer.toString(port));
    String host = serving.httpHost().equals("0.0.0.0") ? "127.0.0.1" : serving.httpHost();
    effective.putIfAbsent(FeatureStoreConfig.APPLICATION_SERVER, host + ":" + port);
    return effective;
  }

  private void startAll(
      HttpListener listener,
      AccessTokens tokens,
      FeatureStoreConfig features,
      ServingConfig serving) {
    FeatureRegistry registry = features.registry();
    byte[] bootstrapBytes = modelBytes(serving);
    String appId = features.getString(FeatureStoreConfig.APPLICATION_ID);
    // First in, so closed last: after every store is closed.
    resources.add(
        RunMarker.claim(
            Path.of(features.getString(FeatureStoreConfig.STATE_DIR)),
            List.of(appId, appId + ExperimentJob.APPLICATION_SUFFIX)));
    pipeline = FeaturePipeline.start(features, registry, tokens.peerToken());
    resources.add(pipeline);
    predictionLog =
        PredictionLog.start(
            pipeline.topics().predictions(),
            features.clientProperties(),
            serving.predictionLogQueueSize());
    resources.add(predictionLog);
    // The pipeline created the control topics; read them to their end so the node starts complete.
    models = ModelRegistry.follow(pipeline.topics().registry(), features.clientProperties());
    resources.add(models);
    models.awaitCaughtUp(CATCH_UP);
    DriftMonitor drift =
        DriftMonitor.start(
            pipeline.topics().predictions(),
            features.clientProperties(),
            DriftMonitor.Profiles.of(models),
            serving.driftSettings(),
            Clock.systemUTC());
    resources.add(drift);
    endpoints = EndpointStore.follow(pipeline.topics().endpoints(), features.clientProperties());
    resources.add(endpoints);
    endpoints.awaitCaughtUp(CATCH_UP);
    var validator = new ModelValidator(registry, OrtEnvironment.getEnvironment());
    var writer =
        new RegistryWriter(
            models,
            pipeline.topics().registry(),
            features.clientProperties(),
            validator,
            Clock.systemUTC());
    endpointWriter =
        new EndpointWriter(
            endpoints,
            pipeline.topics().endpoints(),
            features.clientProperties(),
            Clock.systemUTC());
    inference = new InferenceService(registry, pipeline.router(), predictionLog, Clock.systemUTC());
    resources.add(inference);
    var serving0 =
        new EndpointServing(
            models,
            registry,
            inference,
            endpoints,
            seedConfig(serving, registry),
            () -> bootstrapModel(bootstrapBytes));
    resources.add(serving0);
    serving0.start();
    operations = new EndpointOperations(endpoints, endpointWriter, models, writer);
    ClusterExperiments experiments = null;
    if (serving.experimentsEnabled()) {
      ExperimentJob job =
          ExperimentJob.start(
              pipeline.topics(), serving.evaluationSettings(), features.streamsProperties());
      resources.add(job);
      HostInfo self = HostInfo.buildFromEndpoint(features.applicationServer());
      experiments = new ClusterExperiments(job, self, new ExperimentPeerClient(tokens.peerToken()));
      var guardrails =
          new GuardrailWatcher(
              endpoints,
              inference,
              experiments,
              operations,
              "node " + features.applicationServer());
      resources.add(guardrails);
      guardrails.start(serving.guardrailInterval());
    }
    retraining = retraining(features, serving, registry, validator, writer, experiments);
    resources.add(retraining);
    http =
        HttpApi.start(
            listener,
            serving,
            inference,
            pipeline.router(),
            registry,
            models,
            writer,
            this,
            Clock.systemUTC(),
            ServingMetrics.create()
                .watch(predictionLog)
                .watch(inference)
                .watch(StreamsFigures.of(pipeline.streams()))
                .watch(drift),
            new EndpointsHandler(
                    endpoints,
                    endpointWriter,
                    operations,
                    inference,
                    seedConfig(serving, registry),
                    experiments)
                .withDrift(drift),
            new DriftHandler(inference, drift),
            new RetrainHandler(retraining),
            new CatalogHandler(
                new FeatureCatalog(
                    registry,
                    new PipelineFigures(pipeline, features.applicationServer(), Clock.systemUTC())),
                () ->
                    ServingSnapshot.of(
                        models, servedConfigs(seedConfig(serving, registry)), drift.all())));
    resources.add(http);
    log.info(
        "Tessera node serving http://{}:{} with Kafka at {}",
        serving.httpHost(),
        http.port(),
        features.bootstrapServers());
  }

  /**
   * The retraining loop: cycles on request, on the schedule if one is set, and the follow-up of
   * retrained challengers where the evaluation job runs.
   */
  private RetrainLoop retraining(
      FeatureStoreConfig features,
      ServingConfig serving,
      FeatureRegistry registry,
      ModelValidator validator,
      RegistryWriter writer,
      ClusterExperiments experiments) {
    var config = new RetrainConfig(serving.originals());
    String actor = "node " + features.applicationServer();
    Clock clock = Clock.systemUTC();
    EndpointConfig churnDefault = seedConfig(serving, registry);
    var cycle =
        new RetrainCycle(
            registry,
            models,
            validator,
            endpoints,
            endpointWriter,
            new ChallengerRollout(models, writer, operations, endpointWriter),
            name ->
                churnDefault != null && name.equals(CHURN_ENDPOINT)
                    ? Optional.of(churnDefault)
                    : Optional.empty(),
            CycleData.fromKafka(
                features.clientProperties(),
                pipeline.topics(),
                registry,
                Duration.ofMillis(config.getLong(RetrainConfig.READ_TIMEOUT_MS))),
            Path.of(features.getString(FeatureStoreConfig.STATE_DIR)),
            clock,
            ProgressListener.NONE);
    Duration period = config.interval();
    var scheduler =
        period.isZero()
            ? null
            : new RetrainScheduler(
                cycle,
                config,
                endpoints,
                endpointWriter,
                config.getList(RetrainConfig.ENDPOINTS),
                period,
                clock,
                actor);
    var followUp =
        experiments == null
            ? null
            : new ChallengerFollowUp(
                endpoints,
                endpointWriter,
                operations,
                models,
                writer,
                inference,
                experiments,
                Duration.ofMillis(config.getLong(RetrainConfig.EXPERIMENT_MAX_MS)),
                clock,
                actor);
    var loop = new RetrainLoop(cycle, config, scheduler, followUp, clock);
    loop.start(Duration.ofMillis(config.getLong(RetrainConfig.CHECK_INTERVAL_MS)));
    return loop;
  }

  /**
   * The seed endpoint before anyone configures it: one entity, named after the alias, following
   * {@code churn.model@churn.alias} with all the traffic.
   */
  static EndpointConfig defaultChurnConfig(ServingConfig serving) {
    String alias = serving.churnAlias();
    return new EndpointConfig(
        CHURN_ENDPOINT,
        List.of(ServedEntity.ofAlias(alias, serving.churnModel(), alias)),
        List.of(new TrafficSplit.Route(alias, 100)),
        CHURN_ENDPOINT);
  }

  /**
   * The seed endpoint's default, or null when the definitions have no {@code churn_v1} (a node of
   * the user's own definitions): then there is no seed endpoint, rather than one that cannot serve.
   */
  static EndpointConfig seedConfig(ServingConfig serving, FeatureRegistry registry) {
    return registry.service(BootstrapModel.featureService().name()).isPresent()
        ? defaultChurnConfig(serving)
        : null;
  }

  /** The stored endpoint configs, and the seed endpoint's default while it has none stored. */
  private List<EndpointConfig> servedConfigs(EndpointConfig seed) {
    var configs = new ArrayList<EndpointConfig>();
    endpoints.all().forEach(v -> configs.add(v.config()));
    if (seed != null && endpoints.get(seed.name()).isEmpty()) {
      configs.add(seed);
    }
    return configs;
  }

  private static ServedModel bootstrapModel(byte[] onnx) {
    return new ServedModel(
        BootstrapModel.MODEL_NAME + "-" + BootstrapModel.VERSION,
        BootstrapModel.MODEL_NAME,
        BootstrapModel.VERSION,
        BootstrapModel.featureService(),
        OnnxScorer.load(OrtEnvironment.getEnvironment(), onnx));
  }

  private static byte[] modelBytes(ServingConfig serving) {
    if (serving.modelPath().isEmpty()) {
      return BootstrapModel.onnx();
    }
    Path path = Path.of(serving.modelPath());
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not read model " + path.toAbsolutePath() + " (" + ServingConfig.MODEL_PATH + ")",
          e);
    }
  }

  /** Port of the HTTP API. */
  public int httpPort() {
    return http.port();
  }

  /** The model registry this node follows (see {@link ModelRegistry#onAliasChange}). */
  public ModelRegistry modelRegistry() {
    return models;
  }

  public PredictionLog predictionLog() {
    return predictionLog;
  }

  @Override
  public String streamsState() {
    return pipeline == null ? "NOT_STARTED" : pipeline.state().name();
  }

  @Override
  public boolean featuresReady() {
    return pipeline != null && pipeline.isRunning();
  }

  @Override
  public boolean servesEndpoints() {
    return inference == null || !inference.endpointNames().isEmpty();
  }

  @Override
  public int modelsLoaded() {
    if (inference == null) {
      return 0;
    }
    return inference.endpointNames().stream()
        .mapToInt(e -> inference.endpoint(e).map(r -> r.slots().size()).orElse(0))
        .sum();
  }

  /**
   * Stores an endpoint config (validated against the registry), as {@code PUT
   * /api/2.0/serving-endpoints/{name}} does, and returns it once this node has read it back.
   */
  public EndpointStore.Versioned configureEndpoint(EndpointConfig config, String actor) {
    return endpointWriter.put(
        config, operations.registryView(), EndpointWriter.Request.of(actor, "config stored"));
  }

  /** This node's retraining loop (cycles on request, schedule, challenger follow-up). */
  public RetrainLoop retraining() {
    return retraining;
  }

  /** The endpoint configs this node follows. */
  public EndpointStore endpointStore() {
    return endpoints;
  }

  @Override
  public void close() {
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    for (AutoCloseable r : reversed) {
      try {
        r.close();
      } catch (Exception e) {
        log.warn("Error closing {}", r, e);
      }
    }
    resources.clear();
  }
}
