package dev.tessera.serving.metrics;

import dev.tessera.serving.drift.DriftMonitor;
import dev.tessera.serving.drift.DriftStatus;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.inference.PredictionLog;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The metrics of a node in one Prometheus registry, written in the text exposition format for
 * {@code GET /metrics}: HTTP request and inference latencies (recorded as requests run) and the
 * prediction log's and feature pipeline's figures (read when scraped).
 *
 * <pre>{@code
 * ServingMetrics metrics =
 *     ServingMetrics.create().watch(predictionLog).watch(StreamsFigures.of(streams));
 * byte[] text = metrics.scrape(); // served as metrics.contentType()
 * }</pre>
 */
public final class ServingMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final RequestMetrics requests = new RequestMetrics(registry);
  private final InferenceMetrics inference = new InferenceMetrics(registry);

  private ServingMetrics() {}

  /** Request and inference metrics only. */
  public static ServingMetrics create() {
    return new ServingMetrics();
  }

  /**
   * Adds {@code tessera_prediction_log_dropped_total}: predictions that never reached the topic, by
   * reason ({@code queue_full}, {@code send_failed}).
   */
  public ServingMetrics watch(PredictionLog log) {
    CounterWithCallback.builder()
        .name("tessera_prediction_log_dropped_total")
        .help("Predictions not written to the predictions topic, by reason")
        .labelNames("reason")
        .callback(
            cb -> {
              cb.call(log.dropped(), "queue_full");
              cb.call(log.failed(), "send_failed");
            })
        .register(registry);
    return this;
  }

  /**
   * Adds {@code tessera_scoring_failures_total} (rows a model could not score: logged as errors
   * and, for a challenger, answered by the champion) and {@code tessera_shadow_dropped_total}
   * (requests a shadow skipped because its queue was full).
   */
  public ServingMetrics watch(InferenceService inference) {
    CounterWithCallback.builder()
        .name("tessera_scoring_failures_total")
        .help("Rows a model failed to score (threw or answered NaN), logged as errors")
        .callback(cb -> cb.call(inference.scoringFailures()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tessera_shadow_dropped_total")
        .help("Requests shadow entities did not score because their queue was full")
        .callback(cb -> cb.call(inference.shadowDropped()))
        .register(registry);
    return this;
  }

  /**
   * Adds {@code tessera_streams_lag_records} (the most records an input partition is behind) and
   * {@code tessera_streams_dropped_records_total} (dead-lettered and late records).
   */
  public ServingMetrics watch(StreamsFigures streams) {
    GaugeWithCallback.builder()
        .name("tessera_streams_lag_records")
        .help(
            "Most records any input partition of the feature pipeline is behind (records-lag-max)")
        .callback(
            cb -> {
              double lag = streams.recordsLagMax();
              if (!Double.isNaN(lag)) {
                cb.call(lag);
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("tessera_streams_dropped_records_total")
        .help(
            "Records the feature pipeline did not apply: dead-lettered or late, summed over the"
                + " tasks this node runs")
        .callback(cb -> cb.call(streams.droppedRecords()))
        .register(registry);
    return this;
  }

  /**
   * Adds the drift monitor's latest figures: {@code tessera_drift_psi} and {@code
   * tessera_drift_missing_rate} per model, version and feature, {@code tessera_drift_score_psi} and
   * {@code tessera_drift_alert} (1 while a version's status is alert) per model and version.
   * Versions without a judgement (no reference, too few rows) have no PSI series.
   */
  public ServingMetrics watch(DriftMonitor drift) {
    GaugeWithCallback.builder()
        .name("tessera_drift_psi")
        .help("Population stability index of a feature served in the drift window vs training")
        .labelNames("model", "version", "feature")
        .callback(
            cb ->
                drift
                    .all()
                    .forEach(
                        d ->
                            d.features().stream()
                                .filter(f -> !Double.isNaN(f.psi()))
                                .forEach(
                                    f -> cb.call(f.psi(), d.model(), d.version(), f.feature()))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tessera_drift_missing_rate")
        .help("Share of served rows in the drift window whose feature had no data (its default)")
        .labelNames("model", "version", "feature")
        .callback(
            cb ->
                drift
                    .all()
                    .forEach(
                        d ->
                            d.features()
                                .forEach(
                                    f ->
                                        cb.call(
                                            f.missingRate(), d.model(), d.version(), f.feature()))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tessera_drift_score_psi")
        .help("Population stability index of served scores in the drift window vs holdout scores")
        .labelNames("model", "version")
        .callback(
            cb ->
                drift.all().stream()
                    .filter(d -> !Double.isNaN(d.scorePsi()))
                    .forEach(d -> cb.call(d.scorePsi(), d.model(), d.version())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tessera_drift_alert")
        .help("1 while a model version's drift status is alert, else 0")
        .labelNames("model", "version")
        .callback(
            cb ->
                drift
                    .all()
                    .forEach(
                        d ->
                            cb.call(
                                d.status() == DriftStatus.ALERT ? 1 : 0, d.model(), d.version())))
        .register(registry);
    return this;
  }

  public RequestMetrics requests() {
    return requests;
  }

  public InferenceMetrics inference() {
    return inference;
  }

  /** Every metric now, in the Prometheus text format. */
  public byte[] scrape() {
    var out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write metrics", e);
    }
    return out.toByteArray();
  }

  /** The content type of {@link #scrape()}'s text. */
  public String contentType() {
    return writer.getContentType();
  }
}
