package io.pando.vdaf.prio3;

/** The output of {@code prepInit}: the prep state kept locally and the prep share sent out. */
public record PrepInit(PrepState state, PrepShare share) {}
