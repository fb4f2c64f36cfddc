package ai.sovereign.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component that may be absent or {@code null} on the wire. Every component without it is
 * required: {@link EventCodec} rejects an event where it is missing or {@code null}, on decode and on encode.
 * This annotation is the only place a contract declares which fields are optional.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Nullable {}
