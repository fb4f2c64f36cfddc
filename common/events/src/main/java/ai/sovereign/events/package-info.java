/**
 * Event contracts: the CloudEvents 1.0 envelope ({@link ai.sovereign.events.CloudEvent}), topic names
 * ({@link ai.sovereign.events.Topics}), one record per payload ({@link ai.sovereign.events.EventPayload}),
 * the type registry ({@link ai.sovereign.events.EventType}), the validating JSON codec
 * ({@link ai.sovereign.events.EventCodec}) and the Kafka serializer/deserializer.
 *
 * <p>Every component of a payload record is required unless it carries {@link ai.sovereign.events.Nullable}.
 */
package ai.sovereign.events;
