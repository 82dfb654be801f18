package dev.tessera.serving.experiment;

/**
 * The closed-form statistics of an experiment: clipped log loss and the chi-square survival
 * function (through the regularized upper incomplete gamma function). Pure functions.
 */
public final class Statistics {
  /** Scores are clipped to {@code [EPSILON, 1 - EPSILON]} before taking logs (as scikit-learn). */
  public static final double EPSILON = 1e-15;

  /**
   * Log loss is accumulated as a whole number of nano-nats so that sums are exact and subtractable.
   */
  public static final double LOG_LOSS_UNIT = 1e-9;

  private static final double[] LANCZOS = {
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7
  };

  private Statistics() {}

  /** {@code -(y ln p + (1 - y) ln(1 - p))} with p clipped to {@code [1e-15, 1 - 1e-15]}. */
  public static double logLoss(double score, int label) {
    double p = Math.min(Math.max(score, EPSILON), 1 - EPSILON);
    return label == 1 ? -Math.log(p) : -Math.log1p(-p);
  }

  /** {@link #logLoss} rounded to nano-nats: the unit the evaluation store sums. */
  public static long logLossNanos(double score, int label) {
    return Math.round(logLoss(score, label) / LOG_LOSS_UNIT);
  }

  /** ln Γ(x) for x &gt; 0 (Lanczos approximation, g = 7; about 15 significant digits). */
  public static double logGamma(double x) {
    if (x < 0.5) {
      // Reflection: Γ(x)Γ(1-x) = π / sin(πx).
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    x -= 1;
    double a = LANCZOS[0];
    double t = x + 7.5;
    for (int i = 1; i < LANCZOS.length; i++) {
      a += LANCZOS[i] / (x + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }

  /**
   * The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a): the series for P
   * below {@code x < a + 1}, Lentz's continued fraction above (Numerical Recipes §6.2).
   */
  public static double regularizedGammaQ(double a, double x) {
    if (!(a > 0) || !(x >= 0)) {
      throw new IllegalArgumentException("Q(a, x) needs a > 0 and x >= 0, got a=" + a + ", x=" + x);
    }
    if (x == 0) {
      return 1;
    }
    double logPrefix = -x + a * Math.log(x) - logGamma(a);
    if (x < a + 1) {
      double term = 1 / a;
      double sum = term;
      for (int n = 1; n < 10_000; n++) {
        term *= x / (a + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * 1e-16) {
          break;
        }
      }
      return Math.max(0, 1 - sum * Math.exp(logPrefix));
    }
    double tiny = 1e-300;
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 10_000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < tiny) {
        d = tiny;
      }
      c = b + an / c;
      if (Math.abs(c) < tiny) {
        c = tiny;
      }
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(logPrefix) * h;
  }

  /** P(X ≥ x) for X chi-square distributed with {@code df} degrees of freedom. */
  public static double chiSquareSurvival(double x, int df) {
    if (df < 1) {
      throw new IllegalArgumentException(
          "Chi-square needs at least 1 degree of freedom, got " + df);
    }
    return x <= 0 ? 1 : regularizedGammaQ(df / 2.0, x / 2.0);
  }
}
