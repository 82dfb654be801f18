package dev.tessera.features.aggregate;

import dev.tessera.features.definition.AggregateFeature;
import dev.tessera.features.definition.Aggregation;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Where each feature of a group keeps its partial aggregate: a slot for its newest event time, then
 * its aggregator's slots in one flat {@code double[]}; count_distinct features keep a {@link
 * DistinctValues} instead.
 *
 * <pre>{@code
 * PartialLayout layout = PartialLayout.of(view.lifetime("orders"));
 * Partials p = layout.empty();
 * layout.add(p, 0, eventTime, 42.0);
 * double total = layout.result(p, 0);
 * }</pre>
 */
public final class PartialLayout {
  private static final double NONE = Double.NEGATIVE_INFINITY;

  private final List<AggregateFeature> features;
  private final Aggregator[] aggregators;
  // Slot of each feature's newest event time; its aggregator's slots follow.
  private final int[] offsets;
  // Index into Partials.sets of each count_distinct feature, -1 for the others.
  private final int[] setIndexes;
  private final int width;
  private final int setCount;

  private PartialLayout(List<AggregateFeature> features) {
    this.features = List.copyOf(features);
    int n = features.size();
    this.aggregators = new Aggregator[n];
    this.offsets = new int[n];
    this.setIndexes = new int[n];
    int next = 0;
    int sets = 0;
    for (int i = 0; i < n; i++) {
      offsets[i] = next++;
      Aggregation a = features.get(i).aggregation();
      if (a == Aggregation.COUNT_DISTINCT) {
        setIndexes[i] = sets++;
      } else {
        setIndexes[i] = -1;
        aggregators[i] = Aggregator.of(a);
        next += aggregators[i].slots();
      }
    }
    this.width = next;
    this.setCount = sets;
  }

  public static PartialLayout of(List<AggregateFeature> features) {
    return new PartialLayout(features);
  }

  public List<AggregateFeature> features() {
    return features;
  }

  /** A partial holding no event. */
  public Partials empty() {
    double[] slots = new double[width];
    for (int i = 0; i < offsets.length; i++) {
      slots[offsets[i]] = NONE;
      if (aggregators[i] != null) {
        aggregators[i].clear(slots, offsets[i] + 1);
      }
    }
    var sets = new DistinctValues[setCount];
    for (int i = 0; i < offsets.length; i++) {
      if (setIndexes[i] >= 0) {
        sets[setIndexes[i]] = new DistinctValues(features.get(i).distinctExactLimit());
      }
    }
    return new Partials(slots, sets);
  }

  /** Folds one event's numeric {@code value} into feature {@code i} (ignored by count). */
  public void add(Partials p, int i, long eventTime, double value) {
    int o = offsets[i];
    double newest = p.slots[o];
    aggregators[i].add(p.slots, o + 1, value, eventTime, newest);
    p.slots[o] = Math.max(newest, eventTime);
  }

  /** Folds one event's {@code value} into count_distinct feature {@code i}. */
  public void addDistinct(Partials p, int i, long eventTime, String value) {
    int o = offsets[i];
    p.sets[setIndexes[i]].add(value);
    p.slots[o] = Math.max(p.slots[o], eventTime);
  }

  /** Folds feature {@code i} of {@code from} into {@code into}; other features are untouched. */
  public void merge(Partials into, Partials from, int i) {
    int o = offsets[i];
    double fromNewest = from.slots[o];
    if (fromNewest == NONE) {
      return;
    }
    double intoNewest = into.slots[o];
    if (setIndexes[i] >= 0) {
      into.sets[setIndexes[i]].merge(from.sets[setIndexes[i]]);
    } else if (intoNewest == NONE) {
      System.arraycopy(from.slots, o + 1, into.slots, o + 1, aggregators[i].slots());
    } else {
      aggregators[i].merge(into.slots, from.slots, o + 1, intoNewest, fromNewest);
    }
    into.slots[o] = Math.max(intoNewest, fromNewest);
  }

  /** Folds every feature of {@code from} into {@code into}. */
  public void merge(Partials into, Partials from) {
    for (int i = 0; i < offsets.length; i++) {
      merge(into, from, i);
    }
  }

  /** Value of feature {@code i}, or its declared default when it has no (defined) value. */
  public double result(Partials p, int i) {
    int o = offsets[i];
    if (p.slots[o] == NONE) {
      return features.get(i).defaultValue();
    }
    double value =
        setIndexes[i] >= 0 ? p.sets[setIndexes[i]].count() : aggregators[i].result(p.slots, o + 1);
    return Double.isNaN(value) ? features.get(i).defaultValue() : value;
  }

  /**
   * Event time of the newest event folded into feature {@code i}, {@link Partials#NO_EVENT} if
   * none.
   */
  public long newestEventTime(Partials p, int i) {
    double t = p.slots[offsets[i]];
    return t == NONE ? Partials.NO_EVENT : (long) t;
  }

  /** Whether no feature holds an event. */
  public boolean isEmpty(Partials p) {
    for (int o : offsets) {
      if (p.slots[o] != NONE) {
        return false;
      }
    }
    return true;
  }

  /** Binary form: the slots (8 bytes each, big-endian), then each distinct-value set. */
  public byte[] serialize(Partials p) {
    int size = Double.BYTES * width;
    for (DistinctValues s : p.sets) {
      size += s.serializedSize();
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    for (double slot : p.slots) {
      buf.putDouble(slot);
    }
    for (DistinctValues s : p.sets) {
      s.writeTo(buf);
    }
    return buf.array();
  }

  /** Reads {@link #serialize}'s form; throws IllegalArgumentException when it does not fit. */
  public Partials deserialize(byte[] bytes) {
    if (bytes.length < Double.BYTES * width) {
      throw new IllegalArgumentException(
          "Partials of "
              + width
              + " slots need at least "
              + Double.BYTES * width
              + " bytes, got "
              + bytes.length
              + " (store written by another feature definition?)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    double[] slots = new double[width];
    for (int i = 0; i < width; i++) {
      slots[i] = buf.getDouble();
    }
    var sets = new DistinctValues[setCount];
    for (int i = 0; i < offsets.length; i++) {
      if (setIndexes[i] >= 0) {
        sets[setIndexes[i]] = DistinctValues.readFrom(buf, features.get(i).distinctExactLimit());
      }
    }
    if (buf.hasRemaining()) {
      throw new IllegalArgumentException(
          buf.remaining() + " bytes left over (store written by another feature definition?)");
    }
    return new Partials(slots, sets);
  }
}
