package dev.tessera.serving.config;

import dev.tessera.serving.drift.DriftSettings;
import dev.tessera.serving.experiment.EvaluationSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Settings of the serving side of a node, each with a doc and a default.
 *
 * <pre>{@code
 * var config = new ServingConfig(Map.of("http.port", "8081"));
 * config.httpPort(); // 8081
 * }</pre>
 */
public final class ServingConfig extends AbstractConfig {
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String MODEL_PATH = "model.path";
  public static final String MAX_BATCH_ROWS = "http.max.batch.rows";
  public static final String MAX_BODY_BYTES = "http.max.body.bytes";
  public static final String PREDICTION_LOG_QUEUE = "prediction.log.queue.size";
  public static final String REGISTRY_SOURCE_DIR = "registry.source.dir";
  public static final String CHURN_MODEL = "churn.model";
  public static final String CHURN_ALIAS = "churn.alias";
  public static final String EXPERIMENTS_ENABLED = "experiments.enabled";
  public static final String EXPERIMENT_DELAY_MS = "experiment.delay.ms";
  public static final String EXPERIMENT_HORIZON_MS = "experiment.horizon.ms";
  public static final String EXPERIMENT_GRACE_MS = "experiment.grace.ms";
  public static final String GUARDRAIL_INTERVAL_MS = "guardrail.check.interval.ms";
  public static final String AUTH_TOKENS = "auth.tokens";
  public static final String AUTH_TOKENS_FILE = "auth.tokens.file";
  public static final String AUTH_PEER_TOKEN = "auth.peer.token";
  public static final String AUTH_FAILURE_LIMIT = "auth.failure.limit";
  public static final String AUTH_FAILURE_WINDOW_MS = "auth.failure.window.ms";
  public static final String METRICS_PUBLIC = "metrics.public";
  public static final String DRIFT_INTERVAL_MS = "drift.check.interval.ms";
  public static final String DRIFT_WINDOW_MS = "drift.window.ms";
  public static final String DRIFT_MAX_ROWS = "drift.max.rows";
  public static final String DRIFT_MIN_ROWS = "drift.min.rows";
  public static final String DRIFT_PSI_WARN = "drift.psi.warn";
  public static final String DRIFT_PSI_ALERT = "drift.psi.alert";
  public static final String DRIFT_MISSING_RATE_MAX_INCREASE = "drift.missing.rate.max.increase";

  public static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              HTTP_HOST,
              Type.STRING,
              "127.0.0.1",
              Importance.HIGH,
              "Address the HTTP API binds to. Loopback by default.")
          .define(
              HTTP_PORT,
              Type.INT,
              8080,
              Range.between(0, 65535),
              Importance.HIGH,
              "Port of the HTTP API; 0 picks a free port.")
          .define(
              MODEL_PATH,
              Type.STRING,
              "",
              Importance.HIGH,
              "ONNX model served by the churn endpoint; empty serves the bootstrap model Tessera"
                  + " builds at start.")
          .define(
              CHURN_MODEL,
              Type.STRING,
              "churn",
              Importance.HIGH,
              "Registered model whose aliased version the churn endpoint serves.")
          .define(
              CHURN_ALIAS,
              Type.STRING,
              "champion",
              Importance.HIGH,
              "Alias of churn.model the churn endpoint serves and follows when it moves; until it"
                  + " exists the endpoint serves model.path or the bootstrap model.")
          .define(
              MAX_BATCH_ROWS,
              Type.INT,
              1000,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Most rows one invocation may score; more is a 400.")
          .define(
              MAX_BODY_BYTES,
              Type.LONG,
              1_048_576L,
              Range.atLeast(1024),
              Importance.MEDIUM,
              "Largest request body accepted; larger is a 413.")
          .define(
              PREDICTION_LOG_QUEUE,
              Type.INT,
              100_000,
              Range.atLeast(1),
              Importance.LOW,
              "Predictions waiting to be written to Kafka before new ones are dropped (and"
                  + " counted) rather than slowing requests down.")
          .define(
              REGISTRY_SOURCE_DIR,
              Type.STRING,
              "",
              Importance.LOW,
              "Directory on the node from which model-versions/create may read a 'source' file"
                  + " (paths relative to it, never outside it); empty refuses 'source', so"
                  + " artifacts must be uploaded as base64.")
          .define(
              EXPERIMENTS_ENABLED,
              Type.BOOLEAN,
              true,
              Importance.MEDIUM,
              "Run the experiment evaluation job (application <application.id>-experiments) on"
                  + " this node; off, the experiment report and guardrails are not available here.")
          .define(
              EXPERIMENT_DELAY_MS,
              Type.LONG,
              0L,
              Range.atLeast(0),
              Importance.MEDIUM,
              "Outcomes observed less than this after a prediction do not label it.")
          .define(
              EXPERIMENT_HORIZON_MS,
              Type.LONG,
              Duration.ofDays(30).toMillis(),
              Range.atLeast(1),
              Importance.MEDIUM,
              "A prediction at ts is labelled by its customer's first outcome in (ts + delay, ts +"
                  + " delay + horizon].")
          .define(
              EXPERIMENT_GRACE_MS,
              Type.LONG,
              Duration.ofDays(7).toMillis(),
              Range.atLeast(0),
              Importance.LOW,
              "How late (behind the evaluation job's stream time) a prediction or outcome may"
                  + " arrive and still be joined.")
          .define(
              GUARDRAIL_INTERVAL_MS,
              Type.LONG,
              10_000L,
              Range.atLeast(100),
              Importance.MEDIUM,
              "How often the leading node checks every endpoint's challenger against its"
                  + " guardrails.")
          .define(
              AUTH_TOKENS,
              Type.PASSWORD,
              "",
              Importance.HIGH,
              "Bearer tokens the HTTP API accepts, comma-separated 'token:scope' entries with scope"
                  + " 'invoke' (invocations, feature lookups) or 'admin' (everything, including"
                  + " the registry and endpoint management). With auth.tokens.file empty too, auth"
                  + " is off, which is allowed only on a loopback http.host.")
          .define(
              AUTH_TOKENS_FILE,
              Type.STRING,
              "",
              Importance.HIGH,
              "File of further 'token:scope' lines (blank lines and '#' comments ignored), so that"
                  + " tokens need not appear on a command line; empty reads none.")
          .define(
              AUTH_PEER_TOKEN,
              Type.PASSWORD,
              "",
              Importance.MEDIUM,
              "Token this node sends when it forwards a lookup to the node owning the key; must be"
                  + " one of the configured tokens. Empty uses the first admin token, else the"
                  + " first token.")
          .define(
              AUTH_FAILURE_LIMIT,
              Type.INT,
              20,
              Range.atLeast(0),
              Importance.MEDIUM,
              "Invalid bearer tokens one remote address may present within auth.failure.window.ms;"
                  + " after that every request of that address to a route needing a token is"
                  + " answered 429 with Retry-After until the window ends, valid token or not."
                  + " 0 turns the limit off. At most 10,000 addresses are tracked.")
          .define(
              AUTH_FAILURE_WINDOW_MS,
              Type.LONG,
              60_000L,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Window of auth.failure.limit, starting at an address's first invalid token.")
          .define(
              METRICS_PUBLIC,
              Type.BOOLEAN,
              false,
              Importance.MEDIUM,
              "Whether /metrics is served without a token (for a scraper on a trusted network);"
                  + " otherwise it needs an admin token when auth is on.")
          .define(
              DRIFT_INTERVAL_MS,
              Type.LONG,
              60_000L,
              Range.atLeast(0),
              Importance.MEDIUM,
              "How often the drift monitor reads the recent window of the predictions topic and"
                  + " compares each model version's served features and scores with its training"
                  + " profile; 0 turns the monitor off.")
          .define(
              DRIFT_WINDOW_MS,
              Type.LONG,
              Duration.ofHours(1).toMillis(),
              Range.atLeast(1),
              Importance.MEDIUM,
              "How far back from now the drift monitor reads served rows.")
          .define(
              DRIFT_MAX_ROWS,
              Type.INT,
              50_000,
              Range.atLeast(1),
              Importance.LOW,
              "At most this many rows of the window, the newest, are read per drift check.")
          .define(
              DRIFT_MIN_ROWS,
              Type.INT,
              200,
              Range.atLeast(1),
              Importance.MEDIUM,
              "A model version with fewer served rows in the window is reported as"
                  + " insufficient_data rather than judged.")
          .define(
              DRIFT_PSI_WARN,
              Type.DOUBLE,
              0.1,
              Range.atLeast(0.0),
              Importance.MEDIUM,
              "Population stability index from which a feature or the score is 'warn'.")
          .define(
              DRIFT_PSI_ALERT,
              Type.DOUBLE,
              0.25,
              Range.atLeast(0.0),
              Importance.MEDIUM,
              "Population stability index from which a feature or the score is 'alert'.")
          .define(
              DRIFT_MISSING_RATE_MAX_INCREASE,
              Type.DOUBLE,
              0.1,
              Range.between(0.0, 1.0),
              Importance.MEDIUM,
              "A feature whose served missing rate (values with no contributing event, i.e. the"
                  + " declared default) exceeds its training set's by more than this is 'alert'.");

  public ServingConfig(Map<?, ?> originals) {
    super(DEFINITION, originals, false);
  }

  public String httpHost() {
    return getString(HTTP_HOST);
  }

  public int httpPort() {
    return getInt(HTTP_PORT);
  }

  public String churnModel() {
    return getString(CHURN_MODEL);
  }

  public String churnAlias() {
    return getString(CHURN_ALIAS);
  }

  public String modelPath() {
    return getString(MODEL_PATH);
  }

  public int maxBatchRows() {
    return getInt(MAX_BATCH_ROWS);
  }

  public long maxBodyBytes() {
    return getLong(MAX_BODY_BYTES);
  }

  public int predictionLogQueueSize() {
    return getInt(PREDICTION_LOG_QUEUE);
  }

  public boolean experimentsEnabled() {
    return getBoolean(EXPERIMENTS_ENABLED);
  }

  /** The evaluation job's join settings. */
  public EvaluationSettings evaluationSettings() {
    return EvaluationSettings.defaults()
        .withDelay(Duration.ofMillis(getLong(EXPERIMENT_DELAY_MS)))
        .withHorizon(Duration.ofMillis(getLong(EXPERIMENT_HORIZON_MS)))
        .withGrace(Duration.ofMillis(getLong(EXPERIMENT_GRACE_MS)));
  }

  public Duration guardrailInterval() {
    return Duration.ofMillis(getLong(GUARDRAIL_INTERVAL_MS));
  }

  /** Directory {@code source} paths of registrations are read from; empty if disabled. */
  public String registrySourceDir() {
    return getString(REGISTRY_SOURCE_DIR);
  }

  /** The {@code auth.tokens} entries as configured (a secret: never log it). */
  public String authTokens() {
    return getPassword(AUTH_TOKENS).value();
  }

  /** File of further token lines; empty if none. */
  public String authTokensFile() {
    return getString(AUTH_TOKENS_FILE);
  }

  /** The token sent to peers; empty to pick one of the configured tokens. */
  public String authPeerToken() {
    return getPassword(AUTH_PEER_TOKEN).value();
  }

  /** Invalid tokens an address may present per window; 0 means no limit. */
  public int authFailureLimit() {
    return getInt(AUTH_FAILURE_LIMIT);
  }

  public Duration authFailureWindow() {
    return Duration.ofMillis(getLong(AUTH_FAILURE_WINDOW_MS));
  }

  /** The {@code drift.*} settings. */
  public DriftSettings driftSettings() {
    return new DriftSettings(
        Duration.ofMillis(getLong(DRIFT_INTERVAL_MS)),
        Duration.ofMillis(getLong(DRIFT_WINDOW_MS)),
        getInt(DRIFT_MAX_ROWS),
        getInt(DRIFT_MIN_ROWS),
        getDouble(DRIFT_PSI_WARN),
        getDouble(DRIFT_PSI_ALERT),
        getDouble(DRIFT_MISSING_RATE_MAX_INCREASE));
  }

  public boolean metricsPublic() {
    return getBoolean(METRICS_PUBLIC);
  }
}
