package dev.tessera.serving.inference;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.query.VectorAssembler;
import dev.tessera.serving.endpoint.ServedModel;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model an endpoint serves now, swappable while requests run: a request leases the current
 * model for its whole duration; {@link #swap} makes new requests take the next model at once and
 * closes the previous one's scorer (its ONNX session) when its last lease ends. No request ever
 * sees a closed session or a half-swapped model.
 *
 * <pre>{@code
 * try (ModelSlot.Lease lease = slot.acquire()) {
 *   double[] p = lease.model().scorer().score(rows, n);
 * }
 * slot.swap(nextModel, nextAssembler); // the old session closes after in-flight requests
 * }</pre>
 */
public final class ModelSlot implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelSlot.class);
  private final AtomicReference<Lease> current;
  private volatile boolean closed;

  public ModelSlot(ServedModel model, VectorAssembler assembler) {
    current = new AtomicReference<>(new Lease(model, assembler));
  }

  /**
   * A slot serving {@code model}, whose vectors are assembled from its feature service.
   *
   * @throws IllegalArgumentException if the model's input width differs from its feature service
   */
  public static ModelSlot of(ServedModel model, FeatureRegistry registry) {
    return new ModelSlot(model, assembler(model, registry));
  }

  /** The assembler of a model's feature service, checked against the model's input width. */
  static VectorAssembler assembler(ServedModel model, FeatureRegistry registry) {
    var assembler = new VectorAssembler(model.features(), registry);
    if (assembler.width() != model.scorer().featureCount()) {
      throw new IllegalArgumentException(
          "Model "
              + model.modelName()
              + " v"
              + model.version()
              + " takes "
              + model.scorer().featureCount()
              + " inputs but feature service "
              + model.features().name()
              + " has "
              + assembler.width()
              + " columns");
    }
    return assembler;
  }

  /** Leases the current model; close the lease when the request is done with it. */
  public Lease acquire() {
    while (true) {
      Lease lease = current.get();
      lease.users.incrementAndGet();
      if (current.get() == lease) {
        if (closed) {
          lease.release();
          throw new SlotClosedException(lease.model.name());
        }
        return lease;
      }
      // Swapped between the read and the increment: give it back and take the new one.
      lease.release();
    }
  }

  /** The model new requests get. */
  public ServedModel model() {
    return current.get().model;
  }

  /**
   * New requests get {@code model}; the previous one closes when its last request finishes.
   *
   * @throws IllegalArgumentException if the model's input width differs from its feature service
   */
  public void swap(ServedModel model, FeatureRegistry registry) {
    swap(model, assembler(model, registry));
  }

  /** New requests get {@code model}; the previous one closes when its last request finishes. */
  public void swap(ServedModel model, VectorAssembler assembler) {
    Lease previous = current.getAndSet(new Lease(model, assembler));
    previous.retire();
  }

  /** Retires the model: requests holding it finish, new ones get {@link SlotClosedException}. */
  @Override
  public void close() {
    closed = true;
    current.get().retire();
  }

  /**
   * The slot was closed (its entity left the endpoint) between a request reading the endpoint and
   * leasing the model: the request reads the endpoint again.
   */
  public static final class SlotClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    SlotClosedException(String entity) {
      super("Served entity " + entity + " was removed from its endpoint");
    }
  }

  /** One model's use by requests; {@link #close} ends one request's use. */
  public static final class Lease implements AutoCloseable {
    private final ServedModel model;
    private final VectorAssembler assembler;
    private final ModelInputs inputs;
    // One for the slot itself while current, plus one per request.
    private final AtomicInteger users = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();
    // A request that raced a swap may touch a count that already reached zero: close once.
    private final AtomicBoolean closed = new AtomicBoolean();

    private Lease(ServedModel model, VectorAssembler assembler) {
      this.model = model;
      this.assembler = assembler;
      var columns = new ArrayList<String>(assembler.width());
      for (int i = 0; i < assembler.width(); i++) {
        columns.add(assembler.name(i));
      }
      // Built once per model version, so request codecs read it without allocating.
      this.inputs =
          new ModelInputs(
              assembler.entityKeyFields(),
              columns,
              model.name(),
              model.modelName(),
              model.version());
    }

    public ServedModel model() {
      return model;
    }

    public VectorAssembler assembler() {
      return assembler;
    }

    /** The model's key field and input columns, for request codecs and metadata. */
    public ModelInputs inputs() {
      return inputs;
    }

    private void retire() {
      if (retired.compareAndSet(false, true)) {
        release();
      }
    }

    private void release() {
      if (users.decrementAndGet() == 0 && closed.compareAndSet(false, true)) {
        try {
          model.scorer().close();
        } catch (Exception e) {
          log.warn("Closing the scorer of {} failed", model.name(), e);
        }
      }
    }

    @Override
    public void close() {
      release();
    }
  }
}
