package dev.tessera.serving.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.query.VectorAssembler;
import dev.tessera.serving.endpoint.ServedModel;
import dev.tessera.serving.node.BootstrapModel;
import dev.tessera.serving.scoring.OnnxScorer;
import dev.tessera.serving.training.LogisticRegressionOnnx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ModelSlotTest {
  private static final VectorAssembler ASSEMBLER =
      new VectorAssembler(BootstrapModel.featureService(), ShippedFeatures.registry());

  private static ServedModel model(int version) {
    byte[] onnx =
        LogisticRegressionOnnx.build(
            List.of("total_orders", "orders_30d"),
            new double[] {0.1 * version, -0.2},
            -1.0,
            "v" + version);
    return new ServedModel(
        "churn-" + version,
        "churn",
        Integer.toString(version),
        BootstrapModel.featureService(),
        OnnxScorer.load(OrtEnvironment.getEnvironment(), onnx));
  }

  private static double score(ServedModel m) {
    return m.scorer().score(new float[] {3, 1}, 1)[0];
  }

  @Test
  void shouldRefuseNewLeasesOnceClosedButLetTheRunningOneFinish() {
    var slot = new ModelSlot(model(0), ASSEMBLER);
    ModelSlot.Lease running = slot.acquire();
    slot.close();
    assertThatThrownBy(slot::acquire)
        .isInstanceOf(ModelSlot.SlotClosedException.class)
        .hasMessageContaining("removed");
    assertThat(score(running.model())).isBetween(0.0, 1.0);
    running.close();
  }

  @Test
  void shouldAnswerEveryRequestWhileTheModelIsSwappedAndCloseEachRetiredModel() throws Exception {
    var first = model(0);
    var slot = new ModelSlot(first, ASSEMBLER);
    var served = new AtomicLong();
    var failures = new ConcurrentLinkedQueue<Throwable>();
    var stop = new AtomicBoolean();
    var threads = new ArrayList<Thread>();
    for (int t = 0; t < 3; t++) {
      var thread =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try (ModelSlot.Lease lease = slot.acquire()) {
                    assertThat(score(lease.model())).isBetween(0.0, 1.0);
                    served.incrementAndGet();
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    var retired = new ArrayList<ServedModel>(List.of(first));
    for (int v = 1; v <= 30; v++) {
      long before = served.get();
      while (served.get() < before + 20) {
        Thread.onSpinWait();
      }
      ServedModel next = model(v);
      slot.swap(next, ASSEMBLER);
      retired.add(next);
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }

    assertThat(failures).isEmpty();
    assertThat(served.get()).isGreaterThan(600);
    ServedModel last = retired.remove(retired.size() - 1);
    assertThat(slot.model()).isSameAs(last);
    assertThat(score(last)).isBetween(0.0, 1.0);
    for (ServedModel m : retired) {
      assertThatThrownBy(() -> score(m)).isInstanceOf(IllegalStateException.class);
    }
    slot.close();
    assertThatThrownBy(() -> score(last)).hasMessageContaining("closed");
  }

  @Test
  void shouldCloseTheRetiredModelOnlyWhenItsLastRequestEnds() {
    var old = model(1);
    var slot = new ModelSlot(old, ASSEMBLER);
    ModelSlot.Lease running = slot.acquire();

    slot.swap(model(2), ASSEMBLER);

    assertThat(slot.model().version()).isEqualTo("2");
    assertThat(score(running.model())).as("in flight, still open").isBetween(0.0, 1.0);
    running.close();
    assertThatThrownBy(() -> score(old)).hasMessageContaining("closed");
    slot.close();
  }
}
