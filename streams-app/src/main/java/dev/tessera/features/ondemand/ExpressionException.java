package dev.tessera.features.ondemand;

/**
 * An expression that cannot be parsed, with the place of the problem: its line (1 for a one-line
 * expression) and column, both counted from 1 within the expression's text.
 */
public final class ExpressionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;
  private final String problem;

  ExpressionException(int line, int column, String problem) {
    super("line " + line + ", column " + column + ": " + problem);
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  /** The line of the problem within the expression, from 1. */
  public int line() {
    return line;
  }

  /** The column of the problem within its line, from 1. */
  public int column() {
    return column;
  }

  /** What is wrong, without the place. */
  public String problem() {
    return problem;
  }
}
