package dev.tessera.features.aggregate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.datasketches.hash.MurmurHash3;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;

/**
 * The distinct values seen by a count_distinct partial: an exact set of 64-bit value hashes while
 * it holds at most {@code exactLimit} of them, an HLL sketch (lg k = 12, about 1.6% standard error)
 * once it would hold more. Merging is a set union, so tiles merge exactly while small.
 */
public final class DistinctValues {
  /** HLL precision: 4096 buckets, ~2.5 KB serialized. */
  static final int LG_K = 12;

  private static final long SEED = 9001L;

  private final int exactLimit;
  private long[] hashes = new long[4];
  private int size;
  private HllSketch sketch;

  DistinctValues(int exactLimit) {
    this.exactLimit = exactLimit;
  }

  /** The 64-bit hash a value is counted by: MurmurHash3 of its UTF-8 text. */
  static long hash(String value) {
    return MurmurHash3.hash(value.getBytes(StandardCharsets.UTF_8), SEED)[0];
  }

  void add(String value) {
    addHash(hash(value));
  }

  void addHash(long h) {
    if (sketch != null) {
      sketch.update(h);
      return;
    }
    int at = Arrays.binarySearch(hashes, 0, size, h);
    if (at >= 0) {
      return;
    }
    if (size == exactLimit) {
      toSketch().update(h);
      return;
    }
    int insert = -at - 1;
    if (size == hashes.length) {
      hashes = Arrays.copyOf(hashes, Math.min(Math.max(4, size * 2), exactLimit));
    }
    System.arraycopy(hashes, insert, hashes, insert + 1, size - insert);
    hashes[insert] = h;
    size++;
  }

  void merge(DistinctValues other) {
    if (other.sketch == null) {
      for (int i = 0; i < other.size; i++) {
        addHash(other.hashes[i]);
      }
      return;
    }
    Union union = new Union(LG_K);
    union.update(toSketch());
    union.update(other.sketch);
    sketch = union.getResult(TgtHllType.HLL_8);
  }

  private HllSketch toSketch() {
    if (sketch == null) {
      sketch = new HllSketch(LG_K, TgtHllType.HLL_8);
      for (int i = 0; i < size; i++) {
        sketch.update(hashes[i]);
      }
      hashes = new long[0];
      size = 0;
    }
    return sketch;
  }

  /** Whether the count is exact (no sketch yet). */
  public boolean isExact() {
    return sketch == null;
  }

  /** The number of distinct values: exact, or the sketch's estimate rounded. */
  public double count() {
    return sketch == null ? size : Math.round(sketch.getEstimate());
  }

  int serializedSize() {
    return 1 + Integer.BYTES + (sketch == null ? Long.BYTES * size : compact().length);
  }

  private byte[] compact() {
    return sketch.toCompactByteArray();
  }

  void writeTo(ByteBuffer buf) {
    if (sketch == null) {
      buf.put((byte) 0).putInt(size);
      for (int i = 0; i < size; i++) {
        buf.putLong(hashes[i]);
      }
    } else {
      byte[] bytes = compact();
      buf.put((byte) 1).putInt(bytes.length).put(bytes);
    }
  }

  static DistinctValues readFrom(ByteBuffer buf, int exactLimit) {
    var values = new DistinctValues(exactLimit);
    byte mode = buf.get();
    int n = buf.getInt();
    if (n < 0 || n > buf.remaining()) {
      throw new IllegalArgumentException("distinct values claim " + n + " entries/bytes");
    }
    if (mode == 0) {
      values.hashes = new long[Math.max(4, n)];
      for (int i = 0; i < n; i++) {
        values.hashes[i] = buf.getLong();
      }
      values.size = n;
    } else {
      byte[] bytes = new byte[n];
      buf.get(bytes);
      values.sketch = HllSketch.heapify(Memory.wrap(bytes));
    }
    return values;
  }
}
