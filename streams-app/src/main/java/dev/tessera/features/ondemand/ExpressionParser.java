package dev.tessera.features.ondemand;

import dev.tessera.features.ondemand.ExpressionNode.Binary.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Recursive-descent parser of {@link Expression}s. Precedence, loosest first: {@code or}, {@code
 * and}, {@code not}, comparisons (not chained), {@code + -}, {@code * / %}, unary minus.
 */
final class ExpressionParser {
  /** Functions by name, with how many arguments each takes (-1: two or more, -2: one or more). */
  private static final Map<String, Integer> ARITY =
      Map.ofEntries(
          Map.entry("if", 3),
          Map.entry("min", -1),
          Map.entry("max", -1),
          Map.entry("abs", 1),
          Map.entry("log", 1),
          Map.entry("exp", 1),
          Map.entry("sqrt", 1),
          Map.entry("floor", 1),
          Map.entry("ceil", 1),
          Map.entry("pow", 2),
          Map.entry("days_since", 1),
          Map.entry("zscore", 3),
          Map.entry("haversine_km", 4),
          Map.entry("coalesce", -2),
          Map.entry("is_missing", 1));

  private final String text;
  private int pos;
  private final Map<String, Integer> slots = new LinkedHashMap<>();
  private final TreeSet<Integer> strict = new TreeSet<>();

  /** How deep inside coalesce or is_missing the parser is: references there may be missing. */
  private int guarded;

  ExpressionParser(String source) {
    // Not stripped: positions in errors count from the text as written (a YAML block's lines).
    this.text = source == null ? "" : source;
  }

  /** The names of the functions, sorted, for error messages and docs. */
  static List<String> functions() {
    return List.copyOf(new TreeSet<>(ARITY.keySet()));
  }

  Expression parse() {
    skipSpace();
    if (pos == text.length()) {
      throw error(pos, "the expression is empty");
    }
    ExpressionNode root = or();
    skipSpace();
    if (pos < text.length()) {
      throw error(pos, "unexpected '" + text.charAt(pos) + "' after a complete expression");
    }
    return new Expression(
        text.strip(),
        new ArrayList<>(slots.keySet()),
        strict.stream().mapToInt(Integer::intValue).toArray(),
        root);
  }

  private ExpressionNode or() {
    ExpressionNode left = and();
    while (word("or") || symbol("||")) {
      left = new ExpressionNode.Binary(Op.OR, left, and());
    }
    return left;
  }

  private ExpressionNode and() {
    ExpressionNode left = not();
    while (word("and") || symbol("&&")) {
      left = new ExpressionNode.Binary(Op.AND, left, not());
    }
    return left;
  }

  private ExpressionNode not() {
    skipSpace();
    if (word("not")) {
      return new ExpressionNode.Not(not());
    }
    if (peekIs('!') && !peekIs("!=")) {
      pos++;
      return new ExpressionNode.Not(not());
    }
    return comparison();
  }

  private ExpressionNode comparison() {
    ExpressionNode left = additive();
    Op op = comparisonOp();
    if (op == null) {
      return left;
    }
    ExpressionNode result = new ExpressionNode.Binary(op, left, additive());
    int at = skipSpace();
    if (comparisonOp() != null) {
      throw error(at, "comparisons do not chain; write a < b and b < c");
    }
    return result;
  }

  private Op comparisonOp() {
    if (symbol("<=")) {
      return Op.LESS_OR_EQUAL;
    }
    if (symbol(">=")) {
      return Op.GREATER_OR_EQUAL;
    }
    if (symbol("==")) {
      return Op.EQUAL;
    }
    if (symbol("!=")) {
      return Op.NOT_EQUAL;
    }
    if (symbol("<")) {
      return Op.LESS;
    }
    if (symbol(">")) {
      return Op.GREATER;
    }
    int at = skipSpace();
    if (peekIs('=')) {
      throw error(at, "'=' is not an operator; compare with '=='");
    }
    return null;
  }

  private ExpressionNode additive() {
    ExpressionNode left = multiplicative();
    while (true) {
      if (symbol("+")) {
        left = new ExpressionNode.Binary(Op.ADD, left, multiplicative());
      } else if (symbol("-")) {
        left = new ExpressionNode.Binary(Op.SUBTRACT, left, multiplicative());
      } else {
        return left;
      }
    }
  }

  private ExpressionNode multiplicative() {
    ExpressionNode left = unary();
    while (true) {
      if (symbol("*")) {
        left = new ExpressionNode.Binary(Op.MULTIPLY, left, unary());
      } else if (symbol("/")) {
        left = new ExpressionNode.Binary(Op.DIVIDE, left, unary());
      } else if (symbol("%")) {
        left = new ExpressionNode.Binary(Op.REMAINDER, left, unary());
      } else {
        return left;
      }
    }
  }

  private ExpressionNode unary() {
    if (symbol("-")) {
      return new ExpressionNode.Negate(unary());
    }
    return primary();
  }

  private ExpressionNode primary() {
    int at = skipSpace();
    if (pos == text.length()) {
      throw error(at, "the expression ends where a value is expected");
    }
    char c = text.charAt(pos);
    if (c == '(') {
      pos++;
      ExpressionNode inner = or();
      expect(')', "to close the '(' at column " + column(at));
      return inner;
    }
    if (Character.isDigit(c) || c == '.') {
      return number(at);
    }
    if (Character.isLetter(c) || c == '_') {
      String name = name();
      skipSpace();
      if (peekIs('(')) {
        pos++;
        return call(name, at);
      }
      return reference(name);
    }
    throw error(at, "unexpected '" + c + "' where a value is expected");
  }

  private ExpressionNode number(int at) {
    int start = pos;
    while (pos < text.length()
        && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
      pos++;
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
    }
    String literal = text.substring(start, pos);
    try {
      return new ExpressionNode.Constant(Double.parseDouble(literal));
    } catch (NumberFormatException e) {
      throw error(at, "'" + literal + "' is not a number");
    }
  }

  /** A name with dotted parts: {@code request.amount}, {@code total_orders.event_time}. */
  private String name() {
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '_') {
        pos++;
      } else if (c == '.'
          && pos + 1 < text.length()
          && (Character.isLetter(text.charAt(pos + 1)) || text.charAt(pos + 1) == '_')) {
        pos++;
      } else {
        break;
      }
    }
    return text.substring(start, pos);
  }

  private ExpressionNode reference(String name) {
    int slot = slots.computeIfAbsent(name, n -> slots.size());
    if (guarded == 0) {
      strict.add(slot);
    }
    return new ExpressionNode.Input(slot);
  }

  private ExpressionNode call(String name, int at) {
    Integer arity = ARITY.get(name);
    if (arity == null) {
      throw error(
          at,
          "unknown function '"
              + name
              + "'; known: "
              + String.join(", ", functions())
              + " (a reference has no parentheses)");
    }
    boolean guards = name.equals("coalesce") || name.equals("is_missing");
    if (guards) {
      guarded++;
    }
    List<ExpressionNode> args = new ArrayList<>();
    skipSpace();
    if (!peekIs(')')) {
      do {
        args.add(or());
      } while (symbol(","));
    }
    expect(')', "to close " + name + "(");
    if (guards) {
      guarded--;
    }
    int n = args.size();
    boolean fits = arity >= 0 ? n == arity : n >= (arity == -1 ? 2 : 1);
    if (!fits) {
      String wanted =
          arity >= 0
              ? arity + (arity == 1 ? " argument" : " arguments")
              : (arity == -1 ? "two or more arguments" : "one or more arguments");
      throw error(at, name + " takes " + wanted + ", got " + n);
    }
    ExpressionNode[] a = args.toArray(ExpressionNode[]::new);
    return switch (name) {
      case "if" -> new ExpressionNode.If(a[0], a[1], a[2]);
      case "min" -> new ExpressionNode.Extreme(a, false);
      case "max" -> new ExpressionNode.Extreme(a, true);
      case "abs" -> new ExpressionNode.Unary(Math::abs, a[0]);
      case "log" -> new ExpressionNode.Unary(Math::log, a[0]);
      case "exp" -> new ExpressionNode.Unary(Math::exp, a[0]);
      case "sqrt" -> new ExpressionNode.Unary(Math::sqrt, a[0]);
      case "floor" -> new ExpressionNode.Unary(Math::floor, a[0]);
      case "ceil" -> new ExpressionNode.Unary(Math::ceil, a[0]);
      case "pow" -> new ExpressionNode.Binary2(Math::pow, a[0], a[1]);
      case "days_since" -> new ExpressionNode.DaysSince(a[0]);
      case "zscore" -> new ExpressionNode.ZScore(a[0], a[1], a[2]);
      case "haversine_km" -> new ExpressionNode.Haversine(a[0], a[1], a[2], a[3]);
      case "coalesce" -> new ExpressionNode.Coalesce(a);
      case "is_missing" -> new ExpressionNode.IsMissing(a[0]);
      default -> throw new AssertionError(name);
    };
  }

  private void expect(char c, String why) {
    int at = skipSpace();
    if (!peekIs(c)) {
      String found = at == text.length() ? "the end" : "'" + text.charAt(at) + "'";
      throw error(at, "expected '" + c + "' " + why + ", found " + found);
    }
    pos++;
  }

  /** Consumes {@code s} if it comes next (after blanks). */
  private boolean symbol(String s) {
    skipSpace();
    if (text.startsWith(s, pos)) {
      pos += s.length();
      return true;
    }
    return false;
  }

  /** Consumes the keyword {@code w} if it comes next as a whole word. */
  private boolean word(String w) {
    skipSpace();
    int end = pos + w.length();
    if (text.startsWith(w, pos)
        && (end == text.length()
            || !(Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_'))) {
      pos = end;
      return true;
    }
    return false;
  }

  private boolean peekIs(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private boolean peekIs(String s) {
    return text.startsWith(s, pos);
  }

  private int skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private int column(int offset) {
    int lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    return offset - lineStart + 1;
  }

  private ExpressionException error(int offset, String problem) {
    int line = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return new ExpressionException(line, column(offset), problem);
  }
}
