package ai.sovereign.events;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on Kafka: one principal per service (its {@code micronaut.application.name}; every gpu-agent shares
 * {@code gpu-agent}), the topics each may write, the topics it may read (it may create both: the broker creates a
 * topic on first use), and its consumer groups, which are the groups whose name starts with the principal's name.
 * Everything else is refused by the broker's authorizer ({@code allow.everyone.if.no.acl.found=false}). This table is
 * the only place the grants are written: {@link KafkaAccessSetup} applies it to a broker.
 */
public record KafkaAccess(String principal, List<String> writes, List<String> reads) {

    /** The broker's own principal and the operator's: a super user, never a service. */
    public static final String ADMIN = "admin";

    public static final List<KafkaAccess> SERVICES = List.of(
            new KafkaAccess("gateway", List.of(Topics.AUDIT_EVENTS), List.of()),
            new KafkaAccess(
                    "router",
                    List.of(Topics.AUDIT_EVENTS, Topics.LLM_USAGE, Topics.FLEET_COMMANDS),
                    List.of(Topics.GPU_TELEMETRY, Topics.FLEET_COMMAND_RESULTS)),
            new KafkaAccess(
                    "gpu-agent",
                    List.of(Topics.AUDIT_EVENTS, Topics.GPU_TELEMETRY, Topics.FLEET_COMMAND_RESULTS),
                    List.of(Topics.FLEET_COMMANDS)),
            new KafkaAccess(
                    "ingestion", List.of(Topics.AUDIT_EVENTS, Topics.INGESTION_JOBS), List.of(Topics.INGESTION_JOBS)),
            new KafkaAccess(
                    "audit-service", List.of(Topics.AUDIT_EVENTS), List.of(Topics.AUDIT_EVENTS, Topics.LLM_USAGE)),
            new KafkaAccess("backup-service", List.of(Topics.AUDIT_EVENTS), List.of()));

    public KafkaAccess {
        writes = List.copyOf(writes);
        reads = List.copyOf(reads);
    }

    /** The principals of {@link #SERVICES}, in order. */
    public static List<String> servicePrincipals() {
        return SERVICES.stream().map(KafkaAccess::principal).toList();
    }

    /** The grants of one service, by principal name. */
    public static KafkaAccess of(String principal) {
        return SERVICES.stream()
                .filter(access -> access.principal.equals(principal))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Kafka principal named '" + principal + "'"));
    }

    /** {@code User:<principal>}, as the authorizer names it. */
    public String user() {
        return "User:" + principal;
    }

    /** The ACL bindings this row stands for. */
    public List<AclBinding> bindings() {
        List<AclBinding> bindings = new ArrayList<>();
        for (String topic : writes) {
            bindings.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            bindings.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.CREATE));
        }
        for (String topic : reads) {
            bindings.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
            if (!writes.contains(topic)) {
                // a consumer that starts before the first record asks the broker to create the topic; refused, it
                // sees an authorization error instead of an empty topic
                bindings.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.CREATE));
            }
        }
        if (!reads.isEmpty()) {
            bindings.add(allow(ResourceType.GROUP, principal, PatternType.PREFIXED, AclOperation.READ));
        }
        return bindings;
    }

    /** Allows this principal {@code operation} on the resources {@code name} matches as {@code patternType}. */
    public AclBinding allow(ResourceType type, String name, PatternType patternType, AclOperation operation) {
        return new AclBinding(
                new ResourcePattern(type, name, patternType),
                new AccessControlEntry(user(), "*", operation, AclPermissionType.ALLOW));
    }
}
