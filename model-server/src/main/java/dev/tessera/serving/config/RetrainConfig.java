package dev.tessera.serving.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the retraining loop (docs/TRAINING.md, "Retraining loop"), each with a doc and a
 * default. Read by {@code dev.tessera.serving.retrain}.
 *
 * <pre>{@code
 * var config = new RetrainConfig(Map.of("retrain.schedule", "weekly"));
 * config.interval(); // PT168H
 * }</pre>
 */
public final class RetrainConfig extends AbstractConfig {
  public static final String ENDPOINTS = "retrain.endpoints";
  public static final String SCHEDULE = "retrain.schedule";
  public static final String CHECK_INTERVAL_MS = "retrain.check.interval.ms";
  public static final String FEATURE_SERVICE = "retrain.feature.service";
  public static final String LABEL_WINDOW_MS = "retrain.label.window.ms";
  public static final String LABEL_OFFSET_MS = "retrain.label.offset.ms";
  public static final String LABEL_SOURCE = "retrain.label.source";
  public static final String MIN_LABELS = "retrain.min.labels";
  public static final String HOLDOUT_FRACTION = "retrain.holdout.fraction";
  public static final String PARAMS = "retrain.params";
  public static final String SEED = "retrain.seed";
  public static final String AUC_MAX_DROP = "retrain.gate.auc.max.drop";
  public static final String AUC_MIN_GAIN = "retrain.gate.auc.min.gain";
  public static final String LOG_LOSS_MAX_INCREASE = "retrain.gate.logloss.max.increase";
  public static final String LATENCY_ROWS = "retrain.gate.latency.rows";
  public static final String LATENCY_P99_MAX_US = "retrain.gate.latency.p99.max.us";
  public static final String DRIFT_MAX_PSI = "retrain.gate.drift.max.psi";
  public static final String CHALLENGER_PERCENT = "retrain.challenger.percent";
  public static final String EXPERIMENT_MAX_MS = "retrain.experiment.max.duration.ms";
  public static final String READ_TIMEOUT_MS = "retrain.read.timeout.ms";

  private static final long DAY_MS = Duration.ofDays(1).toMillis();

  public static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              ENDPOINTS,
              Type.LIST,
              List.of("churn"),
              Importance.MEDIUM,
              "Endpoints whose champion the schedule retrains (tessera retrain works on any).")
          .define(
              SCHEDULE,
              Type.STRING,
              "off",
              Importance.HIGH,
              "How often a cycle runs: off, hourly, daily, weekly or an ISO-8601 duration such as"
                  + " PT30M. Periods are counted from the epoch; the first node to claim a period"
                  + " on the endpoints topic runs its cycle, the others skip it.")
          .define(
              CHECK_INTERVAL_MS,
              Type.LONG,
              10_000L,
              Range.atLeast(100),
              Importance.LOW,
              "How often a node looks for a due cycle and follows running challengers' experiments"
                  + " (promote or retire).")
          .define(
              FEATURE_SERVICE,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "Feature service of the candidate; empty trains on the champion's.")
          .define(
              LABEL_WINDOW_MS,
              Type.LONG,
              90 * DAY_MS,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Outcomes with outcome_ts in the last this many ms are the labels of a cycle.")
          .define(
              LABEL_OFFSET_MS,
              Type.LONG,
              30 * DAY_MS,
              Range.atLeast(0),
              Importance.MEDIUM,
              "An outcome at outcome_ts labels the features as of outcome_ts minus this (e.g. 30"
                  + " days: churned within the 30 days after).")
          .define(
              LABEL_SOURCE,
              Type.STRING,
              "",
              Importance.LOW,
              "Only outcomes whose source field equals this are labels; empty takes all.")
          .define(
              MIN_LABELS,
              Type.INT,
              200,
              Range.atLeast(10),
              Importance.MEDIUM,
              "Fewer labels than this end a cycle without training.")
          .define(
              HOLDOUT_FRACTION,
              Type.DOUBLE,
              0.2,
              Range.between(0.05, 0.5),
              Importance.MEDIUM,
              "Share of the labels, the most recent, that candidate and champion are evaluated on;"
                  + " the candidate trains on the older rest.")
          .define(
              PARAMS,
              Type.STRING,
              "n_estimators=100,max_depth=5,eta=0.15",
              Importance.MEDIUM,
              "XGBoost params of the candidate (docs/TRAINING.md).")
          .define(SEED, Type.LONG, 42L, Importance.LOW, "Seed of the candidate's training.")
          .define(
              AUC_MAX_DROP,
              Type.DOUBLE,
              0.01,
              Range.atLeast(0),
              Importance.MEDIUM,
              "Gate: a candidate whose holdout AUC is below the champion's by more than this is"
                  + " rejected as worse.")
          .define(
              AUC_MIN_GAIN,
              Type.DOUBLE,
              0.005,
              Importance.MEDIUM,
              "Gate: a candidate must beat the champion's holdout AUC by at least this to proceed"
                  + " (negative accepts a small loss).")
          .define(
              LOG_LOSS_MAX_INCREASE,
              Type.DOUBLE,
              0.05,
              Range.atLeast(0),
              Importance.MEDIUM,
              "Gate (calibration): the candidate's holdout log loss may exceed the champion's by"
                  + " at most this share.")
          .define(
              LATENCY_ROWS,
              Type.INT,
              1000,
              Range.atLeast(10),
              Importance.LOW,
              "Gate: one-row scorings of holdout rows timed to measure the candidate's latency.")
          .define(
              LATENCY_P99_MAX_US,
              Type.LONG,
              2000L,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Gate: the candidate's p99 one-row scoring time in ONNX Runtime, microseconds.")
          .define(
              DRIFT_MAX_PSI,
              Type.DOUBLE,
              0.5,
              Range.atLeast(0),
              Importance.MEDIUM,
              "Gate (drift of the training data): largest population stability index of a feature"
                  + " between the candidate's training rows and the recent holdout. Above 0.25 is"
                  + " commonly read as a real shift, but lifetime aggregates grow with the"
                  + " customers in any time split, so the default stops only training data that no"
                  + " longer resembles the present.")
          .define(
              CHALLENGER_PERCENT,
              Type.INT,
              10,
              Range.between(1, 99),
              Importance.MEDIUM,
              "Traffic a candidate that passed the gates gets as challenger.")
          .define(
              EXPERIMENT_MAX_MS,
              Type.LONG,
              14 * DAY_MS,
              Range.atLeast(1),
              Importance.MEDIUM,
              "A challenger whose experiment has not said promote after this long is retired.")
          .define(
              READ_TIMEOUT_MS,
              Type.LONG,
              300_000L,
              Range.atLeast(1),
              Importance.LOW,
              "Longest time a cycle reads the event and outcome topics.");

  public RetrainConfig(Map<?, ?> originals) {
    super(DEFINITION, originals, false);
    interval();
  }

  /**
   * The schedule's period, or {@link Duration#ZERO} when off.
   *
   * @throws ConfigException if {@value #SCHEDULE} is not a known word or a positive duration
   */
  public Duration interval() {
    String text = getString(SCHEDULE).trim().toLowerCase(Locale.ROOT);
    switch (text) {
      case "off", "" -> {
        return Duration.ZERO;
      }
      case "hourly" -> {
        return Duration.ofHours(1);
      }
      case "daily" -> {
        return Duration.ofDays(1);
      }
      case "weekly" -> {
        return Duration.ofDays(7);
      }
      default -> {
        try {
          Duration d = Duration.parse(text.toUpperCase(Locale.ROOT));
          if (!d.isNegative() && !d.isZero()) {
            return d;
          }
        } catch (RuntimeException e) {
          // fall through to the error naming the key
        }
        throw new ConfigException(
            SCHEDULE, getString(SCHEDULE), "expected off, hourly, daily, weekly or PT<n>M/P<n>D");
      }
    }
  }
}
