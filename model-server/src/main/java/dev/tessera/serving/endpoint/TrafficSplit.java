package dev.tessera.serving.endpoint;

import java.util.ArrayList;
import java.util.List;

/**
 * Which served entity answers a bucket (0–9999): each route, in the order given, takes the next
 * {@code percentage × 100} buckets. Keeping the routes in the same order when the percentages
 * change moves only the buckets the new split requires: 90/10 to 70/30 moves buckets 7000–8999, and
 * nothing else, from the first route to the second.
 *
 * <pre>{@code
 * var split = TrafficSplit.of(List.of(new Route("champion", 90), new Route("challenger", 10)));
 * String who = split.route(Endpoint.bucket("churn", "C-1")); // the same on every node, every time
 * }</pre>
 */
public final class TrafficSplit {
  private final String[] names;
  private final int[] ends;

  private TrafficSplit(String[] names, int[] ends) {
    this.names = names;
    this.ends = ends;
  }

  /** One traffic route: a served entity and its share in whole percent. */
  public record Route(String servedModelName, int trafficPercentage) {
    public Route {
      if (servedModelName == null || servedModelName.isBlank()) {
        throw new IllegalArgumentException("A route needs a served_model_name");
      }
      if (trafficPercentage < 0 || trafficPercentage > 100) {
        throw new IllegalArgumentException(
            "traffic_percentage of "
                + servedModelName
                + " must be within 0..100, got "
                + trafficPercentage);
      }
    }
  }

  /**
   * @throws IllegalArgumentException if the routes are empty, name an entity twice or do not add up
   *     to 100
   */
  public static TrafficSplit of(List<Route> routes) {
    if (routes.isEmpty()) {
      throw new IllegalArgumentException("traffic_config.routes is empty; it must add up to 100");
    }
    var names = new ArrayList<String>();
    int[] ends = new int[routes.size()];
    int total = 0;
    for (int i = 0; i < routes.size(); i++) {
      Route r = routes.get(i);
      if (names.contains(r.servedModelName())) {
        throw new IllegalArgumentException(
            "traffic_config.routes names " + r.servedModelName() + " twice");
      }
      names.add(r.servedModelName());
      total += r.trafficPercentage();
      ends[i] = total * (Endpoint.BUCKETS / 100);
    }
    if (total != 100) {
      throw new IllegalArgumentException(
          "traffic_config.routes add up to "
              + total
              + "%, not 100%: "
              + routes.stream()
                  .map(r -> r.servedModelName() + " " + r.trafficPercentage() + "%")
                  .toList());
    }
    return new TrafficSplit(names.toArray(String[]::new), ends);
  }

  /** The served entity of a bucket. */
  public String route(int bucket) {
    if (bucket < 0 || bucket >= Endpoint.BUCKETS) {
      throw new IllegalArgumentException(
          "Bucket " + bucket + " is outside 0.." + (Endpoint.BUCKETS - 1));
    }
    for (int i = 0; i < ends.length; i++) {
      if (bucket < ends[i]) {
        return names[i];
      }
    }
    throw new AssertionError("routes cover every bucket");
  }

  /** Served entity names with traffic, in route order. */
  public List<String> names() {
    return List.of(names);
  }
}
