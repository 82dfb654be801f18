package dev.tessera.features.definition.file;

/**
 * A feature definition file that cannot be used, with the line at fault.
 *
 * <p>The message reads {@code <source>:<line>: <problem>}, like a compiler's, e.g. {@code
 * features.yaml:12: unknown aggregation 'avg' in feature avg_order_value of view customer_churn;
 * expected one of count, sum, mean, min, max, stddev, last, count_distinct}.
 */
public final class DefinitionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String sourceName;
  private final int line;
  private final String problem;

  public DefinitionException(String sourceName, int line, String problem) {
    this(sourceName, line, problem, null);
  }

  public DefinitionException(String sourceName, int line, String problem, Throwable cause) {
    super(sourceName + ":" + line + ": " + problem, cause);
    this.sourceName = sourceName;
    this.line = line;
    this.problem = problem;
  }

  /** The file or resource read, as named by the caller. */
  public String sourceName() {
    return sourceName;
  }

  /** The 1-based line of the offending key or value. */
  public int line() {
    return line;
  }

  /** The message without its location. */
  public String problem() {
    return problem;
  }
}
