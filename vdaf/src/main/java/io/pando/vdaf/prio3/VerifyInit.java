package io.pando.vdaf.prio3;

/** The output of {@code verifyInit}: the prep state kept locally and the prep share sent out. */
public record VerifyInit(VerifyState state, VerifierShare share) {}
