package io.pando.aggregator.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a resource's endpoints. Every resource class (or method) declares it; {@link
 * AccessFilter} enforces it before the body is read and refuses any endpoint that declares
 * nothing, so no endpoint can forget its check.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Access {
  Caller value();

  enum Caller {
    /** Clients (DAP-09 §4.4: uploads and HPKE configs are unauthenticated). */
    ANYONE,
    /** The leader, with the task's aggregator token (DAP-09 §3.1): the helper's endpoints. */
    AGGREGATOR,
    /** The collector, with the task's collector token (DAP-09 §3.1): collection jobs. */
    COLLECTOR,
    /** The operator, with {@code pando.admin-token}, on the management port only. */
    ADMIN
  }
}
