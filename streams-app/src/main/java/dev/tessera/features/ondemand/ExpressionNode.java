package dev.tessera.features.ondemand;

/**
 * One node of a compiled expression. Values are doubles; a comparison or a logical operator gives 1
 * for true and 0 for false, and any value other than 0 is true.
 */
abstract class ExpressionNode {
  abstract double eval(long asOfMillis, double[] inputs);

  static final class Constant extends ExpressionNode {
    private final double value;

    Constant(double value) {
      this.value = value;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      return value;
    }
  }

  /** A reference, read from its slot of the inputs. */
  static final class Input extends ExpressionNode {
    private final int slot;

    Input(int slot) {
      this.slot = slot;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      return inputs[slot];
    }
  }

  static final class Negate extends ExpressionNode {
    private final ExpressionNode operand;

    Negate(ExpressionNode operand) {
      this.operand = operand;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      return -operand.eval(asOfMillis, inputs);
    }
  }

  static final class Not extends ExpressionNode {
    private final ExpressionNode operand;

    Not(ExpressionNode operand) {
      this.operand = operand;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      return operand.eval(asOfMillis, inputs) != 0 ? 0 : 1;
    }
  }

  /**
   * An operator of two operands; {@code and} and {@code or} evaluate the right one only if needed.
   */
  static final class Binary extends ExpressionNode {
    enum Op {
      ADD,
      SUBTRACT,
      MULTIPLY,
      DIVIDE,
      REMAINDER,
      LESS,
      LESS_OR_EQUAL,
      GREATER,
      GREATER_OR_EQUAL,
      EQUAL,
      NOT_EQUAL,
      AND,
      OR
    }

    private final Op op;
    private final ExpressionNode left;
    private final ExpressionNode right;

    Binary(Op op, ExpressionNode left, ExpressionNode right) {
      this.op = op;
      this.left = left;
      this.right = right;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      double a = left.eval(asOfMillis, inputs);
      switch (op) {
        case AND:
          return a != 0 && right.eval(asOfMillis, inputs) != 0 ? 1 : 0;
        case OR:
          return a != 0 || right.eval(asOfMillis, inputs) != 0 ? 1 : 0;
        default:
          break;
      }
      double b = right.eval(asOfMillis, inputs);
      return switch (op) {
        case ADD -> a + b;
        case SUBTRACT -> a - b;
        case MULTIPLY -> a * b;
        case DIVIDE -> a / b;
        case REMAINDER -> a % b;
        case LESS -> a < b ? 1 : 0;
        case LESS_OR_EQUAL -> a <= b ? 1 : 0;
        case GREATER -> a > b ? 1 : 0;
        case GREATER_OR_EQUAL -> a >= b ? 1 : 0;
        case EQUAL -> a == b ? 1 : 0;
        case NOT_EQUAL -> a != b ? 1 : 0;
        case AND, OR -> throw new AssertionError(op);
      };
    }
  }

  /** {@code if(condition, then, else)}: only the branch taken is evaluated. */
  static final class If extends ExpressionNode {
    private final ExpressionNode condition;
    private final ExpressionNode then;
    private final ExpressionNode otherwise;

    If(ExpressionNode condition, ExpressionNode then, ExpressionNode otherwise) {
      this.condition = condition;
      this.then = then;
      this.otherwise = otherwise;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      return condition.eval(asOfMillis, inputs) != 0
          ? then.eval(asOfMillis, inputs)
          : otherwise.eval(asOfMillis, inputs);
    }
  }

  /** {@code min(...)} or {@code max(...)} of two or more values. */
  static final class Extreme extends ExpressionNode {
    private final ExpressionNode[] operands;
    private final boolean max;

    Extreme(ExpressionNode[] operands, boolean max) {
      this.operands = operands;
      this.max = max;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      double result = operands[0].eval(asOfMillis, inputs);
      for (int i = 1; i < operands.length; i++) {
        double v = operands[i].eval(asOfMillis, inputs);
        result = max ? Math.max(result, v) : Math.min(result, v);
      }
      return result;
    }
  }

  /** {@code coalesce(a, b, ...)}: the first operand that is not missing (NaN). */
  static final class Coalesce extends ExpressionNode {
    private final ExpressionNode[] operands;

    Coalesce(ExpressionNode[] operands) {
      this.operands = operands;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      for (ExpressionNode operand : operands) {
        double v = operand.eval(asOfMillis, inputs);
        if (!Double.isNaN(v)) {
          return v;
        }
      }
      return Double.NaN;
    }
  }

  static final class IsMissing extends ExpressionNode {
    private final ExpressionNode operand;

    IsMissing(ExpressionNode operand) {
      this.operand = operand;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      return Double.isNaN(operand.eval(asOfMillis, inputs)) ? 1 : 0;
    }
  }

  /** {@code days_since(time)}: days from an epoch-millisecond time to the lookup time. */
  static final class DaysSince extends ExpressionNode {
    private static final double MILLIS_PER_DAY = 86_400_000.0;
    private final ExpressionNode time;

    DaysSince(ExpressionNode time) {
      this.time = time;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      return (asOfMillis - time.eval(asOfMillis, inputs)) / MILLIS_PER_DAY;
    }
  }

  /** A function of one value: {@code abs}, {@code log}, {@code sqrt}, ... */
  static final class Unary extends ExpressionNode {
    interface Function {
      double apply(double x);
    }

    private final Function function;
    private final ExpressionNode operand;

    Unary(Function function, ExpressionNode operand) {
      this.function = function;
      this.operand = operand;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      return function.apply(operand.eval(asOfMillis, inputs));
    }
  }

  /** A function of two values: {@code pow}. */
  static final class Binary2 extends ExpressionNode {
    interface Function {
      double apply(double a, double b);
    }

    private final Function function;
    private final ExpressionNode a;
    private final ExpressionNode b;

    Binary2(Function function, ExpressionNode a, ExpressionNode b) {
      this.function = function;
      this.a = a;
      this.b = b;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      return function.apply(a.eval(asOfMillis, inputs), b.eval(asOfMillis, inputs));
    }
  }

  /** {@code zscore(value, mean, stddev)}: (value − mean) / stddev, missing when stddev ≤ 0. */
  static final class ZScore extends ExpressionNode {
    private final ExpressionNode value;
    private final ExpressionNode mean;
    private final ExpressionNode stddev;

    ZScore(ExpressionNode value, ExpressionNode mean, ExpressionNode stddev) {
      this.value = value;
      this.mean = mean;
      this.stddev = stddev;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      double s = stddev.eval(asOfMillis, inputs);
      return s > 0
          ? (value.eval(asOfMillis, inputs) - mean.eval(asOfMillis, inputs)) / s
          : Double.NaN;
    }
  }

  /** {@code haversine_km(lat, lon, lat2, lon2)}: great-circle distance in km. */
  static final class Haversine extends ExpressionNode {
    private final ExpressionNode lat1;
    private final ExpressionNode lon1;
    private final ExpressionNode lat2;
    private final ExpressionNode lon2;

    Haversine(ExpressionNode lat1, ExpressionNode lon1, ExpressionNode lat2, ExpressionNode lon2) {
      this.lat1 = lat1;
      this.lon1 = lon1;
      this.lat2 = lat2;
      this.lon2 = lon2;
    }

    @Override
    double eval(long asOfMillis, double[] inputs) {
      return OnDemandFunctions.haversineKm(
          lat1.eval(asOfMillis, inputs),
          lon1.eval(asOfMillis, inputs),
          lat2.eval(asOfMillis, inputs),
          lon2.eval(asOfMillis, inputs));
    }
  }
}
