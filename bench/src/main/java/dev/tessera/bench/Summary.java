package dev.tessera.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median and range of the values one measurement took over several runs.
 *
 * @param median middle value (mean of the two middle ones for an even count)
 * @param min smallest value
 * @param max largest value
 * @param runs how many values
 */
record Summary(double median, double min, double max, int runs) {

  static Summary of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("No values to summarise");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Summary(median, sorted.get(0), sorted.get(n - 1), n);
  }

  /** The ratio of paired runs ({@code a[i] / b[i]}), for measurements taken side by side. */
  static Summary ratio(List<Double> a, List<Double> b) {
    int n = Math.min(a.size(), b.size());
    var ratios = new ArrayList<Double>(n);
    for (int i = 0; i < n; i++) {
      ratios.add(a.get(i) / b.get(i));
    }
    return of(ratios);
  }
}
