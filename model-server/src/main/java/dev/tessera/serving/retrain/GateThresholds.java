package dev.tessera.serving.retrain;

import dev.tessera.serving.config.RetrainConfig;

/**
 * The limits the quality gates apply (see {@link RetrainConfig} for each key).
 *
 * @param aucMaxDrop a candidate whose AUC is below the champion's by more than this is worse
 * @param aucMinGain a candidate must beat the champion's AUC by at least this to proceed
 * @param logLossMaxIncrease the candidate's log loss may exceed the champion's by this share
 * @param latencyP99MaxMicros the candidate's one-row p99 scoring time
 * @param driftMaxPsi the largest PSI of a feature between training rows and the recent holdout
 */
public record GateThresholds(
    double aucMaxDrop,
    double aucMinGain,
    double logLossMaxIncrease,
    double latencyP99MaxMicros,
    double driftMaxPsi) {

  public static GateThresholds of(RetrainConfig config) {
    return new GateThresholds(
        config.getDouble(RetrainConfig.AUC_MAX_DROP),
        config.getDouble(RetrainConfig.AUC_MIN_GAIN),
        config.getDouble(RetrainConfig.LOG_LOSS_MAX_INCREASE),
        config.getLong(RetrainConfig.LATENCY_P99_MAX_US),
        config.getDouble(RetrainConfig.DRIFT_MAX_PSI));
  }
}
