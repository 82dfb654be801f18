package dev.tessera.serving.retrain;

import dev.tessera.features.definition.DefinitionsHash;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.offline.EventLog;
import dev.tessera.features.offline.FeatureTable;
import dev.tessera.features.offline.LabelRow;
import dev.tessera.features.offline.OfflineEngine;
import dev.tessera.features.offline.ProgressListener;
import dev.tessera.serving.config.RetrainConfig;
import dev.tessera.serving.drift.PopulationStability;
import dev.tessera.serving.drift.PopulationStability.Bins;
import dev.tessera.serving.endpoint.AuditEntry.Action;
import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.endpoint.EndpointStore;
import dev.tessera.serving.endpoint.EndpointWriter;
import dev.tessera.serving.endpoint.ServedEntity;
import dev.tessera.serving.registry.ModelRegistry;
import dev.tessera.serving.registry.ModelValidator;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.registry.NewVersion;
import dev.tessera.serving.retrain.CycleReport.Decision;
import dev.tessera.serving.training.TrainingRun;
import dev.tessera.serving.training.TrainingSet;
import dev.tessera.serving.training.XgboostOnnxExporter;
import dev.tessera.serving.training.XgboostParams;
import dev.tessera.serving.training.XgboostTrainer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retraining cycle of an endpoint's champion: labels from the newest outcomes, a point-in-time
 * training set, a candidate trained on the older rows, candidate and champion evaluated on the same
 * recent holdout, the quality gates, and — if all pass — the candidate registered, aliased {@value
 * ChallengerRollout#ALIAS} and given a share of the traffic. Every decision is audited on the
 * endpoint with its figures. Nothing is written before the gates have passed, and a failure while
 * writing undoes the cycle's writes.
 *
 * <pre>{@code
 * CycleReport report =
 *     cycle.run("churn", "manual-1", false, "cli", new RetrainConfig(Map.of()), CycleFaults.NONE);
 * System.out.print(report.toText());
 * }</pre>
 */
public final class RetrainCycle {
  private static final Logger log = LoggerFactory.getLogger(RetrainCycle.class);
  private static final int PSI_BINS = 10;

  private final FeatureRegistry features;
  private final ModelRegistry models;
  private final ModelValidator validator;
  private final EndpointStore endpoints;
  private final EndpointWriter endpointWriter;
  private final ChallengerRollout rollout;
  private final Function<String, Optional<EndpointConfig>> defaults;
  private final CycleData data;
  private final Path workDir;
  private final Clock clock;
  private final ProgressListener progress;

  public RetrainCycle(
      FeatureRegistry features,
      ModelRegistry models,
      ModelValidator validator,
      EndpointStore endpoints,
      EndpointWriter endpointWriter,
      ChallengerRollout rollout,
      Function<String, Optional<EndpointConfig>> defaults,
      CycleData data,
      Path workDir,
      Clock clock,
      ProgressListener progress) {
    this.features = features;
    this.models = models;
    this.validator = validator;
    this.endpoints = endpoints;
    this.endpointWriter = endpointWriter;
    this.rollout = rollout;
    this.defaults = defaults;
    this.data = data;
    this.workDir = workDir;
    this.clock = clock;
    this.progress = progress;
  }

  /**
   * Runs one cycle; one at a time per node.
   *
   * @param endpoint whose champion to retrain
   * @param cycle the cycle's id, kept in the audit
   * @param dryRun evaluate and judge, write nothing
   * @param actor who asked, for the audit
   * @param config the loop's settings (gates, labels, training)
   * @param faults where to fail on purpose; {@link CycleFaults#NONE} outside tests
   * @throws NoSuchElementException if the endpoint does not exist
   * @throws IllegalStateException if its champion is not a registered version (nothing to compare
   *     with)
   */
  public synchronized CycleReport run(
      String endpoint,
      String cycle,
      boolean dryRun,
      String actor,
      RetrainConfig config,
      CycleFaults faults) {
    Instant started = clock.instant();
    Optional<EndpointStore.Versioned> stored = endpoints.get(endpoint);
    EndpointConfig endpointConfig =
        stored
            .map(EndpointStore.Versioned::config)
            .or(() -> defaults.apply(endpoint))
            .orElseThrow(() -> new NoSuchElementException("No endpoint " + endpoint));
    ServedEntity championEntity = endpointConfig.entity(endpointConfig.champion()).orElseThrow();
    String model = championEntity.model();
    ModelVersion champion = resolve(championEntity);
    var builder = new ReportBuilder(cycle, endpoint, model, dryRun, started, champion.version());
    CycleReport report;
    try {
      report =
          evaluateAndDecide(
              builder, endpointConfig, stored.orElse(null), champion, actor, config, faults);
    } catch (RuntimeException e) {
      log.warn("Retraining cycle {} of {} failed", cycle, endpoint, e);
      report = builder.finish(Decision.FAILED, "failed: " + describe(e), clock.instant());
    }
    if (!dryRun && report.decision() != Decision.CHALLENGER) {
      audit(report, actor);
    }
    return report;
  }

  private CycleReport evaluateAndDecide(
      ReportBuilder b,
      EndpointConfig endpointConfig,
      EndpointStore.Versioned stored,
      ModelVersion champion,
      String actor,
      RetrainConfig config,
      CycleFaults faults) {
    String model = b.model;
    String service = config.getString(RetrainConfig.FEATURE_SERVICE);
    service = service.isEmpty() ? champion.featureService() : service;
    b.candidateService = service;
    Instant now = clock.instant();
    List<LabelRow> labels =
        data.labels(
            new OutcomeLabels.Window(
                now.minusMillis(config.getLong(RetrainConfig.LABEL_WINDOW_MS)),
                now,
                Duration.ofMillis(config.getLong(RetrainConfig.LABEL_OFFSET_MS)),
                config.getString(RetrainConfig.LABEL_SOURCE)));
    b.labels = labels.size();
    int minLabels = config.getInt(RetrainConfig.MIN_LABELS);
    if (labels.size() < minLabels) {
      return b.finish(
          Decision.SKIPPED,
          "only " + labels.size() + " labels in the window, need " + minLabels,
          clock.instant());
    }
    EventLog events = data.events();
    FeatureTable candidateTable =
        OfflineEngine.trainingSet(features, service, labels, events, progress, workDir);
    TrainingSet candidateRows = TrainingSet.of(candidateTable, candidateTable.columns());
    TrainingSet championRows =
        championRows(champion.featureService(), candidateTable, labels, events);
    HoldoutByTime split =
        HoldoutByTime.of(
            candidateRows.timestamps(),
            candidateRows.labels(),
            config.getDouble(RetrainConfig.HOLDOUT_FRACTION));
    b.trainRows = split.train().length;
    b.holdoutRows = split.holdout().length;

    faults.before("train");
    TrainingSet trainSet = candidateRows.select(split.train());
    TrainingSet holdout = candidateRows.select(split.holdout());
    long seed = config.getLong(RetrainConfig.SEED);
    XgboostTrainer.Result result =
        XgboostTrainer.train(
            trainSet, XgboostParams.parse(config.getString(RetrainConfig.PARAMS)), seed);
    byte[] onnx =
        XgboostOnnxExporter.export(
            result.modelJson(),
            result.featureNames(),
            model + " retrained by cycle " + b.cycle + " on " + service);
    b.candidate = Evaluation.of(holdout.labels(), OnnxProbe.scores(onnx, holdout));
    b.champion =
        Evaluation.of(
            holdout.labels(),
            OnnxProbe.scores(
                models.artifact(champion.name(), champion.version()),
                championRows.select(split.holdout())));
    double[] worst = worstDrift(trainSet, holdout);
    b.gates =
        QualityGates.judge(
            new QualityGates.Figures(
                b.candidate,
                b.champion,
                signatureProblem(service, onnx),
                OnnxProbe.latencyP99Micros(
                    onnx, holdout, config.getInt(RetrainConfig.LATENCY_ROWS)),
                worst[1],
                trainSet.columns().get((int) worst[0])),
            GateThresholds.of(config));
    if (!QualityGates.allPassed(b.gates)) {
      return b.finish(
          Decision.REJECTED, "stopped at the gates: " + QualityGates.failures(b.gates), now());
    }
    int percent = config.getInt(RetrainConfig.CHALLENGER_PERCENT);
    if (b.dryRun) {
      return b.finish(
          Decision.CHALLENGER,
          "passed every gate; would be registered as "
              + ChallengerRollout.ALIAS
              + " with "
              + percent
              + "% of the traffic",
          now());
    }
    TrainingRun run =
        TrainingRun.of(model, result, trainSet, DefinitionsHash.of(features, service), now());
    String reason =
        "candidate passed every gate; serving it as "
            + ChallengerRollout.ALIAS
            + " with "
            + percent
            + "% of the traffic";
    NewVersion request =
        NewVersion.trained(
            model,
            service,
            onnx,
            "retrained by cycle " + b.cycle + " (" + config.getString(RetrainConfig.PARAMS) + ")",
            run,
            "retraining cycle " + b.cycle);
    // The audit entry is written with the endpoint config, so it must carry the version's number
    // before it exists: the next one, checked again by the registry's own numbering below.
    b.candidateVersion = models.latestVersion(model) + 1;
    CycleReport planned = b.finish(Decision.CHALLENGER, reason, now());
    ModelVersion registered =
        rollout.start(
            stored,
            endpointConfig,
            request,
            percent,
            new EndpointWriter.Request(
                actor, Action.RETRAIN_CHALLENGER, reason, planned.auditDetails()),
            faults);
    b.candidateVersion = registered.version();
    return b.finish(Decision.CHALLENGER, reason, now());
  }

  private Instant now() {
    return clock.instant();
  }

  private ModelVersion resolve(ServedEntity entity) {
    Optional<ModelVersion> version =
        entity.version() != null
            ? models.version(entity.model(), entity.version())
            : models.versionByAlias(entity.model(), entity.alias());
    return version.orElseThrow(
        () ->
            new IllegalStateException(
                "The champion "
                    + entity.target()
                    + " is not a registered version; register one and point the endpoint at it"
                    + " before retraining"));
  }

  private String signatureProblem(String service, byte[] onnx) {
    try {
      validator.validate(service, onnx, "the candidate");
      return null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  /**
   * The champion's point-in-time rows of the labels, as its model is fed them: taken from the
   * candidate's table when that holds every column of the champion's service (a replay of the event
   * log is most of a cycle's time), from a replay of their own otherwise.
   */
  private TrainingSet championRows(
      String championService, FeatureTable candidateTable, List<LabelRow> labels, EventLog events) {
    List<String> columns = features.columns(OfflineEngine.service(features, championService));
    if (candidateTable.columns().containsAll(columns)) {
      return TrainingSet.of(candidateTable, columns);
    }
    FeatureTable table =
        OfflineEngine.trainingSet(features, championService, labels, events, progress, workDir);
    return TrainingSet.of(table, table.columns());
  }

  /** {column index, PSI} of the feature whose training rows differ most from the holdout's. */
  private static double[] worstDrift(TrainingSet train, TrainingSet recent) {
    double[] worst = {0, 0};
    for (int c = 0; c < train.columnCount(); c++) {
      double[] before = column(train, c);
      double[] now = column(recent, c);
      Bins bins = Bins.ofQuantiles(before, PSI_BINS);
      double psi = PopulationStability.psi(bins.counts(before), bins.counts(now));
      if (psi > worst[1]) {
        worst[0] = c;
        worst[1] = psi;
      }
    }
    return worst;
  }

  private static double[] column(TrainingSet set, int column) {
    double[] out = new double[set.rowCount()];
    for (int r = 0; r < out.length; r++) {
      out[r] = set.value(r, column);
    }
    return out;
  }

  private void audit(CycleReport report, String actor) {
    Action action =
        report.decision() == Decision.FAILED ? Action.RETRAIN_FAILED : Action.RETRAIN_REJECTED;
    try {
      endpointWriter.record(
          report.endpoint(),
          new EndpointWriter.Request(actor, action, report.reason(), report.auditDetails()));
    } catch (RuntimeException e) {
      log.warn("Could not audit retraining cycle {}: {}", report.cycle(), e.toString());
    }
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return e.getSuppressed().length == 0
        ? message
        : message + " (undoing its writes also failed: " + e.getSuppressed()[0].getMessage() + ")";
  }

  /** The figures gathered so far; a failure reports what was reached. */
  private static final class ReportBuilder {
    final String cycle;
    final String endpoint;
    final String model;
    final boolean dryRun;
    final Instant started;
    final int championVersion;
    String candidateService;
    int candidateVersion;
    int labels;
    int trainRows;
    int holdoutRows;
    Evaluation candidate;
    Evaluation champion;
    List<GateResult> gates = List.of();

    ReportBuilder(
        String cycle,
        String endpoint,
        String model,
        boolean dryRun,
        Instant started,
        int championVersion) {
      this.cycle = cycle;
      this.endpoint = endpoint;
      this.model = model;
      this.dryRun = dryRun;
      this.started = started;
      this.championVersion = championVersion;
    }

    CycleReport finish(Decision decision, String reason, Instant finished) {
      return new CycleReport(
          cycle,
          endpoint,
          model,
          dryRun,
          decision,
          reason,
          championVersion,
          candidateService,
          decision == Decision.FAILED ? 0 : candidateVersion,
          labels,
          trainRows,
          holdoutRows,
          candidate,
          champion,
          gates,
          started,
          finished);
    }
  }
}
