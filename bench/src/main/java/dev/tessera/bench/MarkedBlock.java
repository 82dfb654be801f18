package dev.tessera.bench;

/**
 * A generated part of a Markdown file: everything between {@code <!-- bench:start -->} and {@code
 * <!-- bench:end -->}, or, for a named block, {@code <!-- bench:NAME:start -->} and {@code <!--
 * bench:NAME:end -->}. The rest of the file is left as written.
 */
final class MarkedBlock {
  static final String START = "<!-- bench:start -->";
  static final String END = "<!-- bench:end -->";

  private MarkedBlock() {}

  /** {@code document} with its marked block replaced by {@code body} (appended if it has none). */
  static String replace(String document, String body) {
    return replace(document, START, END, body);
  }

  /** {@code document} with the block named {@code name} replaced (appended if it has none). */
  static String replace(String document, String name, String body) {
    return replace(
        document, "<!-- bench:" + name + ":start -->", "<!-- bench:" + name + ":end -->", body);
  }

  private static String replace(
      String document, String startMarker, String endMarker, String body) {
    String block = startMarker + "\n" + body.strip() + "\n" + endMarker;
    int start = document.indexOf(startMarker);
    int end = document.indexOf(endMarker);
    if (start < 0 && end < 0) {
      return document.stripTrailing() + "\n\n" + block + "\n";
    }
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(
          "Markers out of order: expected " + startMarker + " before " + endMarker);
    }
    return document.substring(0, start) + block + document.substring(end + endMarker.length());
  }
}
