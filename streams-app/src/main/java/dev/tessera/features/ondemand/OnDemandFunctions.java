package dev.tessera.features.ondemand;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The functions an on-demand feature may name.
 *
 * <ul>
 *   <li>{@code days_since(time)}: days from {@code time} (epoch millis) to the lookup time.
 *   <li>{@code zscore(value, mean, stddev)}: (value − mean) / stddev; undefined when stddev is 0.
 *   <li>{@code haversine_km(lat, lon, home_lat, home_lon)}: great-circle distance in km.
 * </ul>
 *
 * <pre>{@code
 * OnDemandFunction f = OnDemandFunctions.find("days_since").orElseThrow();
 * double days = f.apply(now, new double[] {lastOrderMillis});
 * }</pre>
 */
public final class OnDemandFunctions {
  private static final double MILLIS_PER_DAY = 86_400_000.0;
  private static final double EARTH_RADIUS_KM = 6371.0088;

  private static final Map<String, OnDemandFunction> FUNCTIONS =
      Map.of(
          "days_since", of(List.of("time"), (t, a) -> (t - a[0]) / MILLIS_PER_DAY),
          "zscore",
              of(
                  List.of("value", "mean", "stddev"),
                  (t, a) -> a[2] > 0 ? (a[0] - a[1]) / a[2] : Double.NaN),
          "haversine_km",
              of(
                  List.of("lat", "lon", "home_lat", "home_lon"),
                  (t, a) -> haversineKm(a[0], a[1], a[2], a[3])));

  private OnDemandFunctions() {}

  public static Optional<OnDemandFunction> find(String name) {
    return Optional.ofNullable(FUNCTIONS.get(name));
  }

  /** Names of every function, sorted, for error messages. */
  public static List<String> names() {
    return List.copyOf(new TreeSet<>(FUNCTIONS.keySet()));
  }

  /** Great-circle distance between two points given in degrees, in km. */
  public static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
    double dLat = Math.toRadians(lat2 - lat1);
    double dLon = Math.toRadians(lon2 - lon1);
    double h =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2))
                * Math.sin(dLon / 2)
                * Math.sin(dLon / 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(h)));
  }

  private interface Body {
    double apply(long asOfMillis, double[] args);
  }

  private static OnDemandFunction of(List<String> parameters, Body body) {
    return new OnDemandFunction() {
      @Override
      public List<String> parameters() {
        return parameters;
      }

      @Override
      public double apply(long asOfMillis, double[] args) {
        for (double a : args) {
          if (Double.isNaN(a)) {
            return Double.NaN;
          }
        }
        return body.apply(asOfMillis, args);
      }
    };
  }
}
