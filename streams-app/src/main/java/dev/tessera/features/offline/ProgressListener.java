package dev.tessera.features.offline;

/** Told how far a long offline run has got; called from the running thread. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = (done, total) -> {};

  /** {@code done} of {@code total} units (events replayed plus rows computed). */
  void progress(long done, long total);
}
