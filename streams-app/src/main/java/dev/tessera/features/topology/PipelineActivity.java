package dev.tessera.features.topology;

import dev.tessera.features.definition.FeatureView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this node's feature pipeline has done so far, for the feature catalog: a {@link ViewMeter}
 * per view, fed by the view's aggregating processors, and the records dead-lettered per source
 * topic, counted by the dead-letter handlers. In memory and per node: it starts at zero when the
 * node starts.
 *
 * <p>The handlers are created by Kafka Streams from class names, so they find the activity in the
 * streams properties under {@link #CONFIG}.
 *
 * <pre>{@code
 * var activity = new PipelineActivity(registry.views(), System.currentTimeMillis());
 * Topology topology = FeatureTopology.build(registry, topics, activity);
 * Properties props = config.streamsProperties();
 * props.put(PipelineActivity.CONFIG, activity);
 * long rejected = activity.deadLetters().getOrDefault("orders", 0L);
 * }</pre>
 */
public final class PipelineActivity {
  /** Streams property holding the activity object (not a string) for the dead-letter handlers. */
  public static final String CONFIG = "tessera.pipeline.activity";

  private final Map<String, ViewMeter> views = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> deadLetters = new ConcurrentHashMap<>();
  private final long createdMillis;

  public PipelineActivity(List<FeatureView> views, long nowMillis) {
    this.createdMillis = nowMillis;
    for (FeatureView v : views) {
      this.views.put(v.name(), new ViewMeter(nowMillis));
    }
  }

  /** The meter of a view; one is made for a view the constructor did not know. */
  public ViewMeter view(String name) {
    return views.computeIfAbsent(name, n -> new ViewMeter(createdMillis));
  }

  /** The meter of a view, if the pipeline has one. */
  public Optional<ViewMeter> meter(String name) {
    return Optional.ofNullable(views.get(name));
  }

  void deadLettered(String topic) {
    deadLetters.computeIfAbsent(topic, t -> new LongAdder()).increment();
  }

  /** Records dead-lettered per source topic since the node started, sorted by topic. */
  public Map<String, Long> deadLetters() {
    var counts = new TreeMap<String, Long>();
    deadLetters.forEach((topic, n) -> counts.put(topic, n.sum()));
    return counts;
  }

  /** The activity in a handler's configs, or null when the pipeline put none there. */
  static PipelineActivity from(Map<String, ?> configs) {
    return configs.get(CONFIG) instanceof PipelineActivity a ? a : null;
  }
}
