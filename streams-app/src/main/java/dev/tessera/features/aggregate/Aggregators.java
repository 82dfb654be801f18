package dev.tessera.features.aggregate;

/** The numeric aggregators. Each is stateless; its partial lives in the caller's slots. */
final class Aggregators {
  private Aggregators() {}

  /** [n]. */
  static final Aggregator COUNT =
      new Aggregator() {
        @Override
        public int slots() {
          return 1;
        }

        @Override
        public void add(double[] p, int o, double value, double eventTime, double newest) {
          p[o] += 1;
        }

        @Override
        public void merge(double[] into, double[] from, int o, double in, double fn) {
          into[o] += from[o];
        }

        @Override
        public double result(double[] p, int o) {
          return p[o];
        }
      };

  /** [sum]. */
  static final Aggregator SUM =
      new Aggregator() {
        @Override
        public int slots() {
          return 1;
        }

        @Override
        public void add(double[] p, int o, double value, double eventTime, double newest) {
          p[o] += value;
        }

        @Override
        public void merge(double[] into, double[] from, int o, double in, double fn) {
          into[o] += from[o];
        }

        @Override
        public double result(double[] p, int o) {
          return p[o];
        }
      };

  /** [n, sum]. */
  static final Aggregator MEAN =
      new Aggregator() {
        @Override
        public int slots() {
          return 2;
        }

        @Override
        public void add(double[] p, int o, double value, double eventTime, double newest) {
          p[o] += 1;
          p[o + 1] += value;
        }

        @Override
        public void merge(double[] into, double[] from, int o, double in, double fn) {
          into[o] += from[o];
          into[o + 1] += from[o + 1];
        }

        @Override
        public double result(double[] p, int o) {
          return p[o + 1] / p[o];
        }
      };

  /** [min]. */
  static final Aggregator MIN =
      new Aggregator() {
        @Override
        public int slots() {
          return 1;
        }

        @Override
        public void clear(double[] p, int o) {
          p[o] = Double.POSITIVE_INFINITY;
        }

        @Override
        public void add(double[] p, int o, double value, double eventTime, double newest) {
          p[o] = Math.min(p[o], value);
        }

        @Override
        public void merge(double[] into, double[] from, int o, double in, double fn) {
          into[o] = Math.min(into[o], from[o]);
        }

        @Override
        public double result(double[] p, int o) {
          return p[o];
        }
      };

  /** [max]. */
  static final Aggregator MAX =
      new Aggregator() {
        @Override
        public int slots() {
          return 1;
        }

        @Override
        public void clear(double[] p, int o) {
          p[o] = Double.NEGATIVE_INFINITY;
        }

        @Override
        public void add(double[] p, int o, double value, double eventTime, double newest) {
          p[o] = Math.max(p[o], value);
        }

        @Override
        public void merge(double[] into, double[] from, int o, double in, double fn) {
          into[o] = Math.max(into[o], from[o]);
        }

        @Override
        public double result(double[] p, int o) {
          return p[o];
        }
      };

  /**
   * [n, mean, M2]: Welford's update per event and Chan et al.'s pairwise formula per merge, both
   * stable for large values with a small spread.
   */
  static final Aggregator STDDEV =
      new Aggregator() {
        @Override
        public int slots() {
          return 3;
        }

        @Override
        public void add(double[] p, int o, double value, double eventTime, double newest) {
          double n = p[o] + 1;
          double delta = value - p[o + 1];
          double mean = p[o + 1] + delta / n;
          p[o] = n;
          p[o + 1] = mean;
          p[o + 2] += delta * (value - mean);
        }

        @Override
        public void merge(double[] into, double[] from, int o, double in, double fn) {
          double na = into[o];
          double nb = from[o];
          double n = na + nb;
          double delta = from[o + 1] - into[o + 1];
          into[o + 1] = into[o + 1] + delta * (nb / n);
          into[o + 2] = into[o + 2] + from[o + 2] + delta * delta * (na * nb / n);
          into[o] = n;
        }

        @Override
        public double result(double[] p, int o) {
          return p[o] < 2 ? Double.NaN : Math.sqrt(Math.max(0.0, p[o + 2] / (p[o] - 1)));
        }
      };

  /**
   * [value]: the value of the event with the newest event time; among events with equal times the
   * one folded in last wins.
   */
  static final Aggregator LAST =
      new Aggregator() {
        @Override
        public int slots() {
          return 1;
        }

        @Override
        public void add(double[] p, int o, double value, double eventTime, double newest) {
          if (eventTime >= newest) {
            p[o] = value;
          }
        }

        @Override
        public void merge(
            double[] into, double[] from, int o, double intoNewest, double fromNewest) {
          if (fromNewest >= intoNewest) {
            into[o] = from[o];
          }
        }

        @Override
        public double result(double[] p, int o) {
          return p[o];
        }
      };
}
