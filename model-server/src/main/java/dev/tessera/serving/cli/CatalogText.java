package dev.tessera.serving.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The catalog's JSON (see docs/API.md, "Feature catalog") as text for people: one block per view,
 * and for a described view a table of its features with their lineage.
 */
final class CatalogText {
  private CatalogText() {}

  /** The answer of {@code GET /api/2.0/feature-store/views}. */
  static String views(JsonNode body) {
    JsonNode views = body.path("views");
    if (views.isEmpty()) {
      return "No feature view matches.\n";
    }
    var out = new StringBuilder();
    for (JsonNode v : views) {
      header(out, v);
      List<String> names = new ArrayList<>();
      v.path("features").forEach(f -> names.add(f.path("name").asText()));
      out.append("  ")
          .append(names.size())
          .append(" features: ")
          .append(String.join(", ", names))
          .append("\n\n");
    }
    return out.toString();
  }

  /** The answer of {@code GET /api/2.0/feature-store/views/{name}}. */
  static String view(JsonNode v) {
    var out = new StringBuilder();
    header(out, v);
    out.append(
        String.format(
            Locale.ROOT,
            "%n  %-28s %-10s %-15s %-8s %-9s %-6s %8s%n",
            "FEATURE",
            "KIND",
            "AGGREGATION",
            "SOURCE",
            "WINDOW",
            "TYPE",
            "DEFAULT"));
    for (JsonNode f : v.path("features")) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-28s %-10s %-15s %-8s %-9s %-6s %8s%n",
              f.path("name").asText(),
              f.path("kind").asText(),
              text(f.path("aggregation")),
              text(f.path("source")),
              text(f.path("window")),
              f.path("type").asText(),
              number(f.path("default").asDouble())));
      if (!f.path("reads").isNull() && !f.path("reads").isMissingNode()) {
        out.append("      reads ").append(f.path("reads").asText()).append('\n');
      }
      lineage(out, f);
    }
    return out.toString();
  }

  private static void lineage(StringBuilder out, JsonNode f) {
    List<String> services = new ArrayList<>();
    f.path("services").forEach(s -> services.add(s.asText()));
    out.append("      services: ")
        .append(services.isEmpty() ? "none" : String.join(", ", services))
        .append('\n');
    for (JsonNode m : f.path("model_versions")) {
      out.append("      model ")
          .append(m.path("model").asText())
          .append(" v")
          .append(m.path("version").asInt())
          .append(" (")
          .append(m.path("feature_service").asText())
          .append(')');
      List<String> aliases = new ArrayList<>();
      m.path("aliases").forEach(a -> aliases.add(a.asText()));
      if (!aliases.isEmpty()) {
        out.append(" @").append(String.join(", @", aliases));
      }
      List<String> endpoints = new ArrayList<>();
      for (JsonNode e : m.path("endpoints")) {
        endpoints.add(
            e.path("endpoint").asText()
                + "/"
                + e.path("served_entity").asText()
                + (e.path("shadow").asBoolean()
                    ? " shadow"
                    : " " + e.path("traffic_percentage").asInt() + "%"));
      }
      out.append(endpoints.isEmpty() ? ", not served" : " -> " + String.join(", ", endpoints))
          .append('\n');
    }
  }

  private static void header(StringBuilder out, JsonNode v) {
    out.append(v.path("name").asText())
        .append("  (entity ")
        .append(v.path("entity").asText())
        .append(", owner ")
        .append(v.path("owner").asText().isEmpty() ? "-" : v.path("owner").asText())
        .append(')');
    List<String> tags = new ArrayList<>();
    v.path("tags").forEach(t -> tags.add(t.asText()));
    if (!tags.isEmpty()) {
      out.append("  tags: ").append(String.join(", ", tags));
    }
    out.append('\n');
    if (!v.path("description").asText().isEmpty()) {
      out.append("  ").append(v.path("description").asText()).append('\n');
    }
    List<String> sources = new ArrayList<>();
    for (JsonNode s : v.path("sources")) {
      sources.add(
          s.path("topic").asText()
              + " (key "
              + s.path("key").asText()
              + ", time "
              + s.path("time").asText()
              + ")");
    }
    out.append("  sources: ")
        .append(sources.isEmpty() ? "none" : String.join(", ", sources))
        .append("; start ")
        .append(text(v.path("start")))
        .append('\n');
    JsonNode live = v.path("live");
    List<String> deadLetters = new ArrayList<>();
    live.path("dead_letters")
        .properties()
        .forEach(e -> deadLetters.add(e.getKey() + " " + e.getValue().asLong()));
    out.append(
        String.format(
            Locale.ROOT,
            "  live on %s: keys held %s, %.1f events/s, freshness %s, dead letters %s%n",
            live.path("node").asText(),
            live.path("keys_held").isNumber() ? "~" + live.path("keys_held").asLong() : "n/a",
            live.path("events_per_second").asDouble(),
            live.path("freshness_seconds").isNumber()
                ? String.format(Locale.ROOT, "%.1f s", live.path("freshness_seconds").asDouble())
                : "n/a (no event yet)",
            deadLetters.isEmpty() ? "none" : String.join(", ", deadLetters)));
  }

  private static String text(JsonNode n) {
    return n.isNull() || n.isMissingNode() ? "-" : n.asText();
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
