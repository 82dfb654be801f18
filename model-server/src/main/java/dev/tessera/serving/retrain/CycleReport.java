package dev.tessera.serving.retrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one retraining cycle decided and on which figures: the answer of {@code tessera retrain} and
 * {@code POST /api/2.0/serving-endpoints/{name}/retrain}, and the details of its audit entry.
 *
 * @param cycle the cycle's id (a scheduled period's claim, or {@code manual-<time>})
 * @param endpoint the endpoint whose champion was retrained
 * @param model the registered model
 * @param dryRun whether nothing was written
 * @param decision what happened
 * @param reason a sentence for people
 * @param championVersion the champion's version compared with, 0 if none was resolved
 * @param candidateService the candidate's feature service, null if not reached
 * @param candidateVersion the registered candidate's version, 0 if none
 * @param labels label rows read
 * @param trainRows rows the candidate trained on
 * @param holdoutRows recent rows both models were evaluated on
 * @param candidate the candidate on the holdout, null if not reached
 * @param champion the champion on the holdout, null if not reached
 * @param gates every gate's verdict, empty if not reached
 * @param startedAt when the cycle started
 * @param finishedAt when it ended
 */
public record CycleReport(
    String cycle,
    String endpoint,
    String model,
    boolean dryRun,
    Decision decision,
    String reason,
    int championVersion,
    String candidateService,
    int candidateVersion,
    int labels,
    int trainRows,
    int holdoutRows,
    Evaluation candidate,
    Evaluation champion,
    List<GateResult> gates,
    Instant startedAt,
    Instant finishedAt) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The outcome of a cycle. */
  public enum Decision {
    /** Passed every gate: registered, aliased challenger, given its share of traffic. */
    CHALLENGER,
    /** Stopped at a gate. */
    REJECTED,
    /** Not enough labels to train on. */
    SKIPPED,
    /** Something broke; every write of the cycle was undone. */
    FAILED
  }

  public CycleReport {
    gates = List.copyOf(gates);
  }

  public ObjectNode toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("cycle", cycle);
    n.put("endpoint", endpoint);
    n.put("model", model);
    n.put("dry_run", dryRun);
    n.put("decision", decision.name());
    n.put("reason", reason);
    n.put("champion_version", championVersion);
    n.put("candidate_service", candidateService);
    n.put("candidate_version", candidateVersion);
    n.put("labels", labels);
    n.put("train_rows", trainRows);
    n.put("holdout_rows", holdoutRows);
    putEvaluation(n, "candidate", candidate);
    putEvaluation(n, "champion", champion);
    var gatesNode = n.putArray("gates");
    for (GateResult g : gates) {
      ObjectNode gn = gatesNode.addObject();
      gn.put("gate", g.gate());
      gn.put("passed", g.passed());
      gn.put("reason", g.reason());
      g.figures().forEach(gn.putObject("figures")::put);
    }
    n.put("started_at", startedAt.toString());
    n.put("finished_at", finishedAt.toString());
    return n;
  }

  private static void putEvaluation(ObjectNode n, String field, Evaluation e) {
    if (e == null) {
      n.putNull(field);
      return;
    }
    ObjectNode en = n.putObject(field);
    en.put("auc", e.auc());
    en.put("log_loss", e.logLoss());
    en.put("rows", e.rows());
    en.put("positives", e.positives());
  }

  /** The figures as flat text, for the audit entry's details. */
  public Map<String, String> auditDetails() {
    var d = new LinkedHashMap<String, String>();
    d.put("cycle", cycle);
    d.put("model", model);
    d.put("decision", decision.name());
    d.put("champion_version", Integer.toString(championVersion));
    if (candidateVersion > 0) {
      d.put("candidate_version", Integer.toString(candidateVersion));
    }
    if (candidateService != null) {
      d.put("candidate_service", candidateService);
    }
    d.put("labels", Integer.toString(labels));
    d.put("train_rows", Integer.toString(trainRows));
    d.put("holdout_rows", Integer.toString(holdoutRows));
    if (candidate != null) {
      d.put("candidate_auc", format(candidate.auc()));
      d.put("candidate_log_loss", format(candidate.logLoss()));
    }
    if (champion != null) {
      d.put("champion_auc", format(champion.auc()));
      d.put("champion_log_loss", format(champion.logLoss()));
    }
    for (GateResult g : gates) {
      d.put("gate." + g.gate(), (g.passed() ? "pass: " : "FAIL: ") + g.reason());
    }
    return d;
  }

  /** A few lines for a terminal. */
  public String toText() {
    var out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Retraining %s (%s) cycle %s%s: %s%n  %s%n",
            endpoint,
            model,
            cycle,
            dryRun ? " [dry run: nothing written]" : "",
            decision,
            reason));
    if (labels > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %,d labels: trained on %,d, evaluated on the %,d most recent%n",
              labels,
              trainRows,
              holdoutRows));
    }
    if (candidate != null && champion != null) {
      out.append(
          String.format(
              Locale.ROOT,
              "  candidate (%s): AUC %.4f  log loss %.4f | champion v%d: AUC %.4f  log loss %.4f%n",
              candidateService,
              candidate.auc(),
              candidate.logLoss(),
              championVersion,
              champion.auc(),
              champion.logLoss()));
    }
    for (GateResult g : gates) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-4s %-20s %s%n",
              g.passed() ? "pass" : "FAIL",
              g.gate(),
              g.reason()));
    }
    return out.toString();
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
