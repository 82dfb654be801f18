package dev.tessera.serving.metrics;

/** Shared histogram buckets and label values. */
final class Buckets {
  /** From 100 µs (an in-process lookup) to 10 s (a timed-out forward). */
  static final double[] LATENCY_SECONDS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10
  };

  private static final String[] STATUS = new String[600];

  static {
    for (int i = 0; i < STATUS.length; i++) {
      STATUS[i] = Integer.toString(i);
    }
  }

  private Buckets() {}

  /** The label of an HTTP status without formatting on the request path. */
  static String status(int status) {
    return status >= 0 && status < STATUS.length ? STATUS[status] : Integer.toString(status);
  }
}
