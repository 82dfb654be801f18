package dev.tessera.serving.training;

import dev.tessera.features.offline.FeatureTable;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A labelled binary-classification training set held in memory: ordered feature columns, a
 * row-major {@code float} matrix, one 0/1 label per row and, optionally, one timestamp per row.
 *
 * <p>{@code NaN} marks a missing value; the trainer hands it to XGBoost as missing, and the
 * exported model sends it down each split's default branch. Infinities are refused, because XGBoost
 * refuses them ("Input data contains {@code inf}"); clamp or map them to {@code NaN} first.
 * Timestamps (epoch milliseconds, typically each row's point-in-time) only feed the dataset's time
 * range in a {@link TrainingRun}.
 *
 * <p>The arrays are copied in, so the set is immutable; accessors that return arrays return copies.
 *
 * <pre>{@code
 * TrainingSet set =
 *     TrainingSet.of(
 *         List.of("orders_7d", "days_since_last_order"),
 *         new float[][] {{3f, 2f}, {0f, Float.NaN}, {1f, 40f}},
 *         new int[] {0, 1, 1});
 * set.rowCount();   // 3
 * set.positives();  // 2
 * }</pre>
 */
public final class TrainingSet {
  private final List<String> columns;
  private final float[] values;
  private final int[] labels;
  private final long[] timestamps;
  private final int positives;
  private final boolean[] defaulted;

  /**
   * Creates a training set from a flat row-major matrix: value {@code (row, column)} is at {@code
   * values[row * columns.size() + column]}.
   *
   * @param columns feature names in column order; unique, non-blank, without commas
   * @param values {@code labels.length * columns.size()} values, {@code NaN} for missing
   * @param labels one label per row, 0 or 1
   * @param timestamps one epoch-millisecond timestamp per row, or {@code null} for none
   * @throws IllegalArgumentException if the set is empty, the sizes disagree, a label is not 0 or
   *     1, a value is infinite or a column name is invalid
   */
  public TrainingSet(List<String> columns, float[] values, int[] labels, long[] timestamps) {
    validateColumns(columns);
    this.columns = List.copyOf(columns);
    if (labels.length == 0) {
      throw new IllegalArgumentException("Training set has no rows");
    }
    long expected = (long) labels.length * this.columns.size();
    if (values.length != expected) {
      throw new IllegalArgumentException(
          "Expected "
              + labels.length
              + " rows x "
              + this.columns.size()
              + " columns = "
              + expected
              + " values, got "
              + values.length);
    }
    if (timestamps != null && timestamps.length != labels.length) {
      throw new IllegalArgumentException(
          "Expected one timestamp per row, got "
              + timestamps.length
              + " timestamps for "
              + labels.length
              + " rows");
    }
    int count = 0;
    for (int row = 0; row < labels.length; row++) {
      if (labels[row] != 0 && labels[row] != 1) {
        throw new IllegalArgumentException(
            "Label of row " + row + " is " + labels[row] + ", expected 0 or 1");
      }
      count += labels[row];
    }
    for (int i = 0; i < values.length; i++) {
      if (Float.isInfinite(values[i])) {
        int width = this.columns.size();
        throw new IllegalArgumentException(
            "Row "
                + i / width
                + ", column "
                + this.columns.get(i % width)
                + " is "
                + values[i]
                + "; XGBoost refuses infinities, use NaN for a missing value");
      }
    }
    this.values = values.clone();
    this.labels = labels.clone();
    this.timestamps = timestamps == null ? null : timestamps.clone();
    this.positives = count;
    this.defaulted = null;
  }

  private TrainingSet(TrainingSet set, boolean[] defaulted) {
    this.columns = set.columns;
    this.values = set.values;
    this.labels = set.labels;
    this.timestamps = set.timestamps;
    this.positives = set.positives;
    this.defaulted = defaulted;
  }

  /**
   * This set, with the values the feature store filled with their declared default because the key
   * had no data for them marked (row-major like the values). The model still sees the defaults, as
   * it does when served; the marks only feed the missing rates of a {@link TrainingProfile}.
   *
   * @throws IllegalArgumentException if there is not one mark per value
   */
  public TrainingSet withDefaulted(boolean[] defaulted) {
    if (defaulted.length != values.length) {
      throw new IllegalArgumentException(
          "Expected one mark per value (" + values.length + "), got " + defaulted.length);
    }
    return new TrainingSet(this, defaulted.clone());
  }

  /** A copy of the rows' timestamps, or {@code null} when the set has none. */
  public long[] timestamps() {
    return timestamps == null ? null : timestamps.clone();
  }

  /**
   * The rows at {@code rows}, in that order, with their labels, timestamps and defaulted marks: a
   * split of one set into training rows and a holdout.
   *
   * @throws IllegalArgumentException if no row is selected
   * @throws IndexOutOfBoundsException if an index is not a row
   */
  public TrainingSet select(int[] rows) {
    int width = columns.size();
    float[] picked = new float[rows.length * width];
    int[] pickedLabels = new int[rows.length];
    long[] pickedTimes = timestamps == null ? null : new long[rows.length];
    boolean[] pickedMarks = defaulted == null ? null : new boolean[picked.length];
    for (int i = 0; i < rows.length; i++) {
      int r = Objects.checkIndex(rows[i], labels.length);
      System.arraycopy(values, r * width, picked, i * width, width);
      pickedLabels[i] = labels[r];
      if (pickedTimes != null) {
        pickedTimes[i] = timestamps[r];
      }
      if (pickedMarks != null) {
        System.arraycopy(defaulted, r * width, pickedMarks, i * width, width);
      }
    }
    var set = new TrainingSet(columns, picked, pickedLabels, pickedTimes);
    return pickedMarks == null ? set : new TrainingSet(set, pickedMarks);
  }

  /** Whether the value at {@code (row, column)} is missing: {@code NaN}, or marked defaulted. */
  public boolean missing(int row, int column) {
    int i = row * columns.size() + column;
    return Float.isNaN(values[i]) || defaulted != null && defaulted[i];
  }

  /**
   * The columns {@code columns} of an offline engine's table as float32 model inputs, as a model is
   * fed online, with the table's rows, labels, times and {@link #withDefaulted defaulted} marks.
   *
   * <pre>{@code
   * TrainingSet set = TrainingSet.of(table, table.columns());
   * }</pre>
   *
   * @throws IllegalArgumentException if a column is not in the table
   */
  public static TrainingSet of(FeatureTable table, List<String> columns) {
    int[] at = columns.stream().mapToInt(table.columns()::indexOf).toArray();
    for (int i = 0; i < at.length; i++) {
      if (at[i] < 0) {
        throw new IllegalArgumentException(
            "Column " + columns.get(i) + " is not in the training set of " + table.service());
      }
    }
    float[][] rows = new float[table.rows()][at.length];
    boolean[] defaulted = new boolean[table.rows() * at.length];
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < at.length; c++) {
        rows[r][c] = (float) table.values()[r][at[c]];
        defaulted[r * at.length + c] = table.defaulted() != null && table.defaulted()[r][at[c]];
      }
    }
    TrainingSet set = of(columns, rows, table.labels(), table.times());
    return table.defaulted() == null ? set : set.withDefaulted(defaulted);
  }

  /**
   * Creates a training set without timestamps from one array per row.
   *
   * @throws IllegalArgumentException as {@link #TrainingSet}, or if a row's width is not the number
   *     of columns
   */
  public static TrainingSet of(List<String> columns, float[][] rows, int[] labels) {
    return of(columns, rows, labels, null);
  }

  /**
   * Creates a training set from one array per row, with one timestamp per row or {@code null}.
   *
   * @throws IllegalArgumentException as {@link #TrainingSet}, or if a row's width is not the number
   *     of columns
   */
  public static TrainingSet of(
      List<String> columns, float[][] rows, int[] labels, long[] timestamps) {
    int width = columns.size();
    if (rows.length != labels.length) {
      throw new IllegalArgumentException(
          "Expected one label per row, got "
              + rows.length
              + " rows and "
              + labels.length
              + " labels");
    }
    float[] values = new float[Math.multiplyExact(rows.length, width)];
    for (int row = 0; row < rows.length; row++) {
      if (rows[row].length != width) {
        throw new IllegalArgumentException(
            "Row "
                + row
                + " has "
                + rows[row].length
                + " values, expected "
                + width
                + " (one per column "
                + columns
                + ")");
      }
      System.arraycopy(rows[row], 0, values, row * width, width);
    }
    return new TrainingSet(columns, values, labels, timestamps);
  }

  /** The feature names, in column order. */
  public List<String> columns() {
    return columns;
  }

  /** The number of rows, at least 1. */
  public int rowCount() {
    return labels.length;
  }

  /** The number of feature columns, at least 1. */
  public int columnCount() {
    return columns.size();
  }

  /** The value at {@code (row, column)}; {@code NaN} if missing. */
  public float value(int row, int column) {
    return values[row * columns.size() + column];
  }

  /** A copy of one row's values. */
  public float[] row(int row) {
    int width = columns.size();
    float[] copy = new float[width];
    System.arraycopy(values, row * width, copy, 0, width);
    return copy;
  }

  /** The label of one row, 0 or 1. */
  public int label(int row) {
    return labels[row];
  }

  /** A copy of the labels, one per row. */
  public int[] labels() {
    return labels.clone();
  }

  /** A copy of the row-major values. */
  public float[] values() {
    return values.clone();
  }

  /** The number of rows labelled 1. */
  public int positives() {
    return positives;
  }

  /** Whether the rows carry timestamps. */
  public boolean hasTimestamps() {
    return timestamps != null;
  }

  /** The earliest row timestamp in epoch milliseconds, empty without timestamps. */
  public OptionalLong minTimestamp() {
    if (timestamps == null) {
      return OptionalLong.empty();
    }
    long min = Long.MAX_VALUE;
    for (long timestamp : timestamps) {
      min = Math.min(min, timestamp);
    }
    return OptionalLong.of(min);
  }

  /** The latest row timestamp in epoch milliseconds, empty without timestamps. */
  public OptionalLong maxTimestamp() {
    if (timestamps == null) {
      return OptionalLong.empty();
    }
    long max = Long.MIN_VALUE;
    for (long timestamp : timestamps) {
      max = Math.max(max, timestamp);
    }
    return OptionalLong.of(max);
  }

  /** The rows {@code indices}, in that order, as a new flat row-major matrix. */
  float[] rows(int[] indices) {
    int width = columns.size();
    float[] out = new float[Math.multiplyExact(indices.length, width)];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(values, indices[i] * width, out, i * width, width);
    }
    return out;
  }

  /** The labels of the rows {@code indices}, in that order. */
  int[] labels(int[] indices) {
    int[] out = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      out[i] = labels[indices[i]];
    }
    return out;
  }

  // Commas are refused because the exported model stores the names comma-joined.
  private static void validateColumns(List<String> columns) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("Training set has no columns");
    }
    Set<String> seen = new HashSet<>();
    for (String name : columns) {
      if (name == null || name.isBlank() || name.contains(",") || !seen.add(name)) {
        throw new IllegalArgumentException(
            "Column names must be unique, non-blank and free of commas, got " + columns);
      }
    }
  }

  @Override
  public String toString() {
    return "TrainingSet("
        + labels.length
        + " rows, "
        + positives
        + " positives, columns "
        + columns
        + (timestamps == null ? "" : ", timestamped")
        + ")";
  }
}
