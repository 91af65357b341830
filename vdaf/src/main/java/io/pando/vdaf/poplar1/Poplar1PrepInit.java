package io.pando.vdaf.poplar1;

/** The output of {@code prepInit}: the prep state kept locally and the round-1 prep share. */
public record Poplar1PrepInit(Poplar1PrepState state, Poplar1PrepShare share) {}
