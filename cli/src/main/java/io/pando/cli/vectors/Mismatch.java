package io.pando.cli.vectors;

/** A value computed during a replay differs from the vector's. */
final class Mismatch extends Exception {
  Mismatch(String message) {
    super(message);
  }
}
