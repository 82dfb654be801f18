package dev.tessera.features.aggregate;

/** Number of events; merging adds counts. */
final class Count implements Aggregator {
  static final Count INSTANCE = new Count();

  private Count() {}

  @Override
  public int slots() {
    return 1;
  }

  @Override
  public void add(double[] partial, int offset, double value) {
    partial[offset] += 1;
  }

  @Override
  public void merge(double[] into, double[] from, int offset) {
    into[offset] += from[offset];
  }

  @Override
  public double result(double[] partial, int offset, double defaultValue) {
    return partial[offset] == 0 ? defaultValue : partial[offset];
  }
}
