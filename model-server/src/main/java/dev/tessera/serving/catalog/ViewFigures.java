package dev.tessera.serving.catalog;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a view is doing, as seen by one node since it started.
 *
 * @param scope {@code "node"}: the figures are this node's, not the cluster's
 * @param node the node that answered ({@code application.server})
 * @param keysHeld approximate keys in the view's per-key stores of this node's active tasks; null
 *     when the view keeps none (only windowed tiles) or the stores are not queryable yet
 * @param eventsApplied events the view's processors applied on this node since it started
 * @param eventsPerSecond applied events per second over the last minute
 * @param newestEventTime ISO-8601 event time of the newest event applied, or null
 * @param freshnessSeconds now minus {@code newestEventTime} in seconds, or null
 * @param deadLetters records dead-lettered on this node per source topic of the view, by topic (a
 *     topic's dead letters count for every view reading it)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ViewFigures(
    String scope,
    String node,
    Long keysHeld,
    long eventsApplied,
    double eventsPerSecond,
    String newestEventTime,
    Double freshnessSeconds,
    Map<String, Long> deadLetters) {

  public static final String NODE_SCOPE = "node";

  public ViewFigures {
    deadLetters = Collections.unmodifiableMap(new TreeMap<>(deadLetters));
  }
}
