package dev.tessera.features.query;

import java.util.Collection;
import java.util.TreeSet;

/** A lookup named a view this node does not serve. */
public class UnknownViewException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnknownViewException(String view, Collection<String> known) {
    super("Unknown feature view '" + view + "', expected one of " + new TreeSet<>(known));
  }
}
