package dev.tessera.features.offline;

import dev.tessera.features.aggregate.Partials;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureService;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.features.query.VectorAssembler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Point-in-time training sets: for every row of a label set, the feature service's columns as the
 * online store would have served them at the row's instant. The event log is replayed once through
 * the feature topology ({@link PointInTimeReplay}); rows are computed in time order as the replay
 * reaches them, so no event after a row's instant reaches that row.
 *
 * <pre>{@code
 * List<LabelRow> labels = LabelFile.read(Path.of("labels.csv"));
 * EventLog log = EventLog.fromDirectory(dir, topics, FeatureTopology.timeFields(registry.views()));
 * FeatureTable table = OfflineEngine.trainingSet(registry, "churn_v2", labels, log, ProgressListener.NONE);
 * }</pre>
 */
public final class OfflineEngine {
  private OfflineEngine() {}

  /** The named feature service, or an error listing the known ones. */
  public static FeatureService service(FeatureRegistry registry, String name) {
    return registry
        .service(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Unknown feature service "
                        + name
                        + "; known: "
                        + registry.services().stream().map(FeatureService::name).toList()));
  }

  public static FeatureTable trainingSet(
      FeatureRegistry registry,
      String serviceName,
      List<LabelRow> labels,
      EventLog log,
      ProgressListener progress) {
    return trainingSet(
        registry,
        serviceName,
        labels,
        log,
        progress,
        Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** As above, with the replay's stores in a new directory under {@code workDir}. */
  public static FeatureTable trainingSet(
      FeatureRegistry registry,
      String serviceName,
      List<LabelRow> labels,
      EventLog log,
      ProgressListener progress,
      Path workDir) {
    FeatureService service = service(registry, serviceName);
    var assembler = new VectorAssembler(service, registry);
    int[] order =
        IntStream.range(0, labels.size())
            .boxed()
            .sorted(Comparator.comparingLong(i -> labels.get(i).ts()))
            .mapToInt(Integer::intValue)
            .toArray();
    double[][] values = new double[labels.size()][];
    boolean[][] defaulted = new boolean[labels.size()][];
    long total = (long) log.events().size() + labels.size();
    long done = 0;
    // Only the views the service reads: fewer stores to write and commit per event.
    try (var replay = new PointInTimeReplay(registry.forService(serviceName), log, workDir)) {
      for (int i : order) {
        LabelRow row = labels.get(i);
        done += replay.advanceTo(row.ts());
        FeatureVector[] vectors = assembler.lookup(replay, row.key(), row.ts(), row.request());
        values[i] = new double[assembler.width()];
        defaulted[i] = new boolean[assembler.width()];
        for (int c = 0; c < values[i].length; c++) {
          values[i][c] = assembler.value(vectors, c);
          defaulted[i][c] = assembler.eventTime(vectors, c) == Partials.NO_EVENT;
        }
        progress.progress(++done, total);
      }
    }
    progress.progress(total, total);
    var keys = new ArrayList<String>(labels.size());
    long[] times = new long[labels.size()];
    int[] classes = new int[labels.size()];
    for (int i = 0; i < labels.size(); i++) {
      keys.add(labels.get(i).key());
      times[i] = labels.get(i).ts();
      classes[i] = labels.get(i).label();
    }
    var columns = IntStream.range(0, assembler.width()).mapToObj(assembler::name).toList();
    return new FeatureTable(service.name(), columns, keys, times, classes, values, defaulted);
  }
}
