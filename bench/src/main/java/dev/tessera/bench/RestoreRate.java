package dev.tessera.bench;

/**
 * What a restore from changelogs amounts to per unit of state.
 *
 * @param seconds from starting the application to every store restored and the application RUNNING
 * @param bytes the changelog topics' size on the broker (log segments, all partitions)
 * @param records records restored
 */
record RestoreRate(double seconds, long bytes, long records) {
  /** A gigabyte as disks and brokers count it: 10^9 bytes. */
  static final double GB = 1e9;

  double secondsPerGb() {
    return bytes == 0 ? Double.NaN : seconds / (bytes / GB);
  }

  double megabytesPerSecond() {
    return bytes / 1e6 / seconds;
  }

  double recordsPerSecond() {
    return records / seconds;
  }
}
