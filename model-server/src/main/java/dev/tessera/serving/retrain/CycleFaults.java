package dev.tessera.serving.retrain;

/**
 * Called by a cycle before each step that writes (and before training), so that a test can make the
 * cycle fail exactly there and check that nothing of it stays behind. Production passes {@link
 * #NONE}.
 */
@FunctionalInterface
public interface CycleFaults {
  CycleFaults NONE = step -> {};

  /** Steps, in order: {@code train}, {@code register}, {@code alias}, {@code endpoint}. */
  void before(String step);
}
