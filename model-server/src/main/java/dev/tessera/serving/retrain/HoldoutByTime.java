package dev.tessera.serving.retrain;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Splits rows by time: the most recent share is the holdout both models are judged on, the older
 * rest trains the candidate, so the holdout is what the next weeks will look like and no training
 * row comes from after a holdout row.
 *
 * @param train indices of the training rows, oldest first
 * @param holdout indices of the holdout rows, oldest first
 */
public record HoldoutByTime(int[] train, int[] holdout) {

  /**
   * @throws IllegalArgumentException if either part would lack a class
   */
  public static HoldoutByTime of(long[] times, int[] labels, double fraction) {
    int[] order =
        IntStream.range(0, times.length)
            .boxed()
            .sorted(Comparator.comparingLong((Integer i) -> times[i]).thenComparing(i -> i))
            .mapToInt(Integer::intValue)
            .toArray();
    int holdoutRows = (int) Math.round(times.length * fraction);
    int cut = times.length - holdoutRows;
    var split =
        new HoldoutByTime(Arrays.copyOf(order, cut), Arrays.copyOfRange(order, cut, order.length));
    requireBothClasses(split.train, labels, "training rows");
    requireBothClasses(split.holdout, labels, "holdout");
    return split;
  }

  private static void requireBothClasses(int[] rows, int[] labels, String what) {
    long positives = Arrays.stream(rows).filter(i -> labels[i] == 1).count();
    if (positives < 2 || rows.length - positives < 2) {
      throw new IllegalArgumentException(
          "The "
              + what
              + " need at least 2 labels of each class, have "
              + positives
              + " positive of "
              + rows.length);
    }
  }
}
