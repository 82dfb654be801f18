package dev.tessera.serving.catalog;

import dev.tessera.features.FeaturePipeline;
import dev.tessera.features.definition.EventSource;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.topology.PipelineActivity;
import dev.tessera.features.topology.ViewMeter;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * A view's live figures from this node's feature pipeline: its meter, its dead letters and the
 * approximate key count of its local active stores.
 *
 * <pre>{@code
 * LiveFigures live = new PipelineFigures(pipeline, "10.0.0.5:8080", Clock.systemUTC());
 * }</pre>
 */
public final class PipelineFigures implements LiveFigures {
  private final FeaturePipeline pipeline;
  private final String node;
  private final Clock clock;

  public PipelineFigures(FeaturePipeline pipeline, String node, Clock clock) {
    this.pipeline = pipeline;
    this.node = node;
    this.clock = clock;
  }

  @Override
  public ViewFigures of(FeatureView view) {
    long now = clock.millis();
    PipelineActivity activity = pipeline.activity();
    ViewMeter meter = activity.view(view.name());
    long newest = meter.newestEventTime();
    Map<String, Long> allDeadLetters = activity.deadLetters();
    var deadLetters = new TreeMap<String, Long>();
    for (EventSource s : view.sources()) {
      deadLetters.put(s.topic(), allDeadLetters.getOrDefault(s.topic(), 0L));
    }
    return new ViewFigures(
        ViewFigures.NODE_SCOPE,
        node,
        keysHeld(view),
        meter.total(),
        meter.eventsPerSecond(now),
        newest == ViewMeter.NONE ? null : Instant.ofEpochMilli(newest).toString(),
        newest == ViewMeter.NONE ? null : (now - newest) / 1000.0,
        deadLetters);
  }

  private Long keysHeld(FeatureView view) {
    try {
      return pipeline.keysHeld(view);
    } catch (InvalidStateStoreException e) {
      // Starting or rebalancing: unknown for now, not an error of the catalog.
      return null;
    }
  }
}
