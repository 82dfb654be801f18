package dev.tessera.serving.demo.fraud;

import java.math.BigDecimal;

/** The little JSON the fraud world writes: fixed field order, exact decimal numbers. */
final class Json {
  private Json() {}

  /**
   * {@code value} rounded half up to {@code decimals} decimals, without trailing zeros and never in
   * exponent form: {@code 129.5}, {@code 52.52}, {@code 0.0001}, {@code 40}.
   */
  static String number(double value, int decimals) {
    long unscaled = Math.round(value * Math.pow(10, decimals));
    return BigDecimal.valueOf(unscaled, decimals).stripTrailingZeros().toPlainString();
  }

  /** Epoch millis as epoch seconds with a millisecond fraction: {@code 1767225600.125}. */
  static String seconds(long epochMillis) {
    return BigDecimal.valueOf(epochMillis, 3).toPlainString();
  }

  /** A JSON string literal. */
  static String string(String value) {
    var out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
