package io.pando.aggregator.http;

/**
 * A refusal of a {@link PandoProblem} type (one DAP does not define), answered as a problem
 * document by {@link ProblemMapper} like every other error.
 */
public final class ProblemException extends RuntimeException {
  private final PandoProblem type;

  public ProblemException(PandoProblem type, String detail) {
    super(detail, null, false, false);
    if (type.status() == 0) {
      throw new IllegalArgumentException(type + " has no status of its own");
    }
    this.type = type;
  }

  public PandoProblem type() {
    return type;
  }

  public static ProblemException badRequest(String detail) {
    return new ProblemException(PandoProblem.BAD_REQUEST, detail);
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(PandoProblem.NOT_FOUND, detail);
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(PandoProblem.CONFLICT, detail);
  }

  public static ProblemException gone(String detail) {
    return new ProblemException(PandoProblem.GONE, detail);
  }
}
