package dev.tessera.bench;

/**
 * The generated part of a Markdown file: everything between {@code <!-- bench:start -->} and {@code
 * <!-- bench:end -->}. The rest of the file is left as written.
 */
final class MarkedBlock {
  static final String START = "<!-- bench:start -->";
  static final String END = "<!-- bench:end -->";

  private MarkedBlock() {}

  /** {@code document} with its marked block replaced by {@code body} (appended if it has none). */
  static String replace(String document, String body) {
    String block = START + "\n" + body.strip() + "\n" + END;
    int start = document.indexOf(START);
    int end = document.indexOf(END);
    if (start < 0 && end < 0) {
      return document.stripTrailing() + "\n\n" + block + "\n";
    }
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(
          "Markers out of order: expected " + START + " before " + END);
    }
    return document.substring(0, start) + block + document.substring(end + END.length());
  }
}
