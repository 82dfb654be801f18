package dev.tessera.serving.demo;

import java.util.SplittableRandom;

/** Seed derivation and the few distributions the demo worlds (churn, fraud) draw from. */
public final class Randoms {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Randoms() {}

  /**
   * A generator that depends only on {@code (seed, stream, index)}: each customer, and each order
   * or session of a customer, gets its own, so that a customer's behaviour does not change with the
   * number of customers or the world's end, and nothing shifts when one draw is added.
   */
  public static SplittableRandom derive(long seed, long stream, long index) {
    return new SplittableRandom(mix64(seed ^ mix64(stream * GOLDEN + index)));
  }

  /**
   * The seed of a world's customer or user {@code index}: the world seed is mixed before the index
   * is added, so that seed 1's customer 3 is not seed 3's customer 1.
   */
  public static long memberSeed(long worldSeed, int index) {
    return mix64(mix64(worldSeed) + index * GOLDEN);
  }

  /** MurmurHash3's 64-bit finaliser: neighbouring inputs give unrelated outputs. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }

  /** Exponential with the given mean. */
  public static double exponential(SplittableRandom random, double mean) {
    return -mean * Math.log(1 - random.nextDouble());
  }

  /** e^N(mu, sigma²). */
  public static double logNormal(SplittableRandom random, double median, double sigma) {
    return median * Math.exp(sigma * random.nextGaussian());
  }

  public static int poisson(SplittableRandom random, double mean) {
    // Knuth's method: the means here are small (clicks per session).
    double limit = Math.exp(-mean);
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > limit);
    return k - 1;
  }

  public static double uniform(SplittableRandom random, double from, double to) {
    return from + random.nextDouble() * (to - from);
  }

  public static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
