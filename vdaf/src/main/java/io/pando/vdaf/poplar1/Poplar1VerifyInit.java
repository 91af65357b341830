package io.pando.vdaf.poplar1;

/** The output of {@code verifyInit}: the prep state kept locally and the round-1 prep share. */
public record Poplar1VerifyInit(Poplar1VerifyState state, Poplar1VerifierShare share) {}
