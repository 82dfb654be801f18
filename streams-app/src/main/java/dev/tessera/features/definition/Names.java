package dev.tessera.features.definition;

import java.util.regex.Pattern;

/** Validation of the names that end up in store and topic names. */
final class Names {
  private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private Names() {}

  static void requireValid(String name, String what) {
    if (name == null || !VALID.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Invalid "
              + what
              + " name '"
              + name
              + "': use lower-case letters, digits and '_', starting with a letter");
    }
  }
}
