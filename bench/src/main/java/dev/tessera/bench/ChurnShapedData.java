package dev.tessera.bench;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.serving.training.TrainingSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded synthetic training set shaped like the {@code churn_v2} feature vector of the shipped
 * views: its columns, in its order, with values on the scales the views produce (counts, revenue,
 * days, an ordinal tier, a one-hot region) and a churn label that depends on them nonlinearly plus
 * noise, so that 200 trees of depth 6 grow full trees as on real data. Not a model of real churn:
 * only the shape matters to the scoring benchmark, which times tree traversal.
 *
 * <pre>{@code
 * TrainingSet set = ChurnShapedData.generate(20_000, 42L);
 * set.columnCount(); // 18, as customer_churn's vector for churn_v2
 * }</pre>
 */
final class ChurnShapedData {
  // The one-hot columns of region are named region_<category>, lower case, "-" as "_".
  private static final String[] REGIONS = {"eu_west", "eu_central", "us_east", "us_west", "apac"};

  private ChurnShapedData() {}

  /** The columns of the shipped {@code churn_v2} service, as its model consumes them. */
  static List<String> columns() {
    FeatureRegistry registry = ShippedFeatures.registry();
    return registry.columns(registry.service(ShippedFeatures.CHURN_V2).orElseThrow());
  }

  static TrainingSet generate(int rows, long seed) {
    List<String> columns = columns();
    int width = columns.size();
    var random = new SplittableRandom(seed);
    float[] values = new float[rows * width];
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      Customer c = Customer.draw(random);
      for (int j = 0; j < width; j++) {
        values[i * width + j] = c.value(columns.get(j), random);
      }
      labels[i] = random.nextDouble() < c.churnProbability() ? 1 : 0;
    }
    return new TrainingSet(columns, values, labels, null);
  }

  /** One synthetic customer's latent traits, from which every column is drawn. */
  private record Customer(
      double activity, int orders, int orders30d, double daysSinceLast, int tier, int region) {
    static Customer draw(SplittableRandom random) {
      double activity = Math.exp(random.nextGaussian() * 0.9);
      int orders = poisson(random, 6 * activity);
      int orders30d = orders == 0 ? 0 : poisson(random, 0.8 * activity);
      double daysSinceLast =
          orders == 0 ? -1 : Math.min(365, -Math.log(1 - random.nextDouble()) * 25 / activity);
      return new Customer(
          activity,
          orders,
          orders30d,
          daysSinceLast,
          random.nextInt(3),
          random.nextInt(REGIONS.length));
    }

    double churnProbability() {
      double logit =
          -0.5
              + (daysSinceLast < 0 ? 1.5 : 0.03 * daysSinceLast)
              - 0.6 * orders30d
              - 0.4 * tier
              + (region == 4 ? 0.5 : 0)
              - 0.5 * Math.log(activity);
      return 1 / (1 + Math.exp(-logit));
    }

    /** The column's value; unknown columns (a changed definition file) get noise. */
    float value(String column, SplittableRandom random) {
      double meanOrder = 40 + 30 * random.nextDouble();
      return (float)
          switch (column) {
            case "days_since_last_order" -> daysSinceLast;
            case "total_orders" -> orders;
            case "lifetime_revenue" -> orders * meanOrder;
            case "avg_order_value" -> orders == 0 ? Double.NaN : meanOrder;
            case "order_value_stddev" -> orders < 2 ? Double.NaN : meanOrder * 0.4;
            case "unique_categories" -> Math.min(orders, 1 + random.nextInt(8));
            case "orders_30d" -> orders30d;
            case "sessions_last_30d" -> poisson(random, 4 * activity);
            case "page_views_30d" -> poisson(random, 20 * activity);
            case "cart_adds_30d" -> poisson(random, 3 * activity);
            case "avg_session_duration" -> 60 + random.nextDouble() * 900;
            case "account_age_days" -> 30 + random.nextInt(1_500);
            case "subscription_tier" -> tier;
            default -> regionColumn(column, random);
          };
    }

    private double regionColumn(String column, SplittableRandom random) {
      for (int r = 0; r < REGIONS.length; r++) {
        if (column.endsWith(REGIONS[r])) {
          return r == region ? 1 : 0;
        }
      }
      return random.nextGaussian();
    }
  }

  private static int poisson(SplittableRandom random, double mean) {
    // Knuth's method is fine for the small means used here; capped so a huge mean cannot spin.
    double limit = Math.exp(-Math.min(mean, 500));
    double product = random.nextDouble();
    int k = 0;
    while (product > limit && k < 10_000) {
      product *= random.nextDouble();
      k++;
    }
    return k;
  }
}
