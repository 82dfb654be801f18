package dev.tessera.serving.training;

import java.util.Arrays;
import java.util.Random;

/**
 * A seeded, stratified train/holdout split of row indices: each class is shuffled on its own and
 * the same fraction of it is held out, so both parts keep the class balance of the whole and both
 * contain both classes.
 *
 * <p>A class of {@code n} rows puts {@code round(fraction * n)} rows in the holdout, at least one
 * and at most {@code n - 1}. The shuffle is a Fisher–Yates shuffle driven by {@link
 * java.util.Random}, whose algorithm the JDK specifies, so a seed gives the same split on every
 * JVM. Index arrays are sorted ascending, so reading the rows they name walks memory forward.
 *
 * <pre>{@code
 * StratifiedSplit split = StratifiedSplit.of(set.labels(), 0.2, 42L);
 * int[] holdout = split.holdout();   // about 20% of each class, same rows for seed 42
 * }</pre>
 */
public final class StratifiedSplit {
  private final int[] train;
  private final int[] holdout;

  private StratifiedSplit(int[] train, int[] holdout) {
    this.train = train;
    this.holdout = holdout;
  }

  /**
   * Splits the rows of {@code labels}.
   *
   * @param labels one label per row, 0 or 1
   * @param holdoutFraction the share of each class held out, strictly between 0 and 1
   * @param seed seeds the shuffle
   * @throws IllegalArgumentException if the fraction is out of range, a label is not 0 or 1, or a
   *     class has fewer than 2 rows (it could not appear on both sides)
   */
  public static StratifiedSplit of(int[] labels, double holdoutFraction, long seed) {
    if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
      throw new IllegalArgumentException(
          "Holdout fraction must be strictly between 0 and 1, got " + holdoutFraction);
    }
    int positives = 0;
    for (int row = 0; row < labels.length; row++) {
      if (labels[row] != 0 && labels[row] != 1) {
        throw new IllegalArgumentException(
            "Label of row " + row + " is " + labels[row] + ", expected 0 or 1");
      }
      positives += labels[row];
    }
    int negatives = labels.length - positives;
    if (positives < 2 || negatives < 2) {
      throw new IllegalArgumentException(
          "A stratified split needs at least 2 rows of each class, got "
              + positives
              + " positive and "
              + negatives
              + " negative rows");
    }
    int[] negativeRows = new int[negatives];
    int[] positiveRows = new int[positives];
    for (int row = 0, n = 0, p = 0; row < labels.length; row++) {
      if (labels[row] == 1) {
        positiveRows[p++] = row;
      } else {
        negativeRows[n++] = row;
      }
    }
    Random random = new Random(seed);
    shuffle(negativeRows, random);
    shuffle(positiveRows, random);
    int heldNegatives = heldOut(negatives, holdoutFraction);
    int heldPositives = heldOut(positives, holdoutFraction);

    int[] holdout = new int[heldNegatives + heldPositives];
    int[] train = new int[labels.length - holdout.length];
    System.arraycopy(negativeRows, 0, holdout, 0, heldNegatives);
    System.arraycopy(positiveRows, 0, holdout, heldNegatives, heldPositives);
    System.arraycopy(negativeRows, heldNegatives, train, 0, negatives - heldNegatives);
    System.arraycopy(
        positiveRows, heldPositives, train, negatives - heldNegatives, positives - heldPositives);
    Arrays.sort(holdout);
    Arrays.sort(train);
    return new StratifiedSplit(train, holdout);
  }

  private static int heldOut(int classRows, double fraction) {
    long rounded = Math.round(fraction * classRows);
    return (int) Math.max(1, Math.min(classRows - 1, rounded));
  }

  private static void shuffle(int[] rows, Random random) {
    for (int i = rows.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = rows[i];
      rows[i] = rows[j];
      rows[j] = swap;
    }
  }

  /** A copy of the training rows' indices, ascending. */
  public int[] train() {
    return train.clone();
  }

  /** A copy of the held-out rows' indices, ascending. */
  public int[] holdout() {
    return holdout.clone();
  }

  /** The number of training rows. */
  public int trainCount() {
    return train.length;
  }

  /** The number of held-out rows. */
  public int holdoutCount() {
    return holdout.length;
  }

  @Override
  public String toString() {
    return "StratifiedSplit(" + train.length + " train, " + holdout.length + " holdout)";
  }
}
