package ai.sovereign.testkit;

import ai.sovereign.events.KafkaAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.ResourceNotFoundException;

/**
 * Applies {@link KafkaAccess} to a broker through an admin client logged in as a super user: sets the SCRAM-SHA-512
 * password of the admin and of every service principal (an upsert: a changed password replaces the old one) and
 * creates every ACL of the table (creating one that exists is a no-op). Returns once the broker answers with all of
 * them, so a service started next can log in. ACLs not in the table are left alone: removing a grant is the
 * operator's {@code kafka-acls.sh --remove} (docs/security.md).
 */
public final class KafkaAccessSetup {

    private static final int SCRAM_ITERATIONS = 8192;

    private KafkaAccessSetup() {}

    /** Users and ACLs of the whole table; {@code extra} bindings (the test kit's) are created with them. */
    public static void apply(Admin admin, KafkaCredentials credentials, Collection<AclBinding> extra, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<UserScramCredentialAlteration> users = new ArrayList<>();
        List<String> names = KafkaCredentials.principals();
        for (String name : names) {
            users.add(new UserScramCredentialUpsertion(
                    name,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                    credentials.password(name)));
        }
        admin.alterUserScramCredentials(users).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
        List<AclBinding> bindings = new ArrayList<>(extra);
        for (KafkaAccess access : KafkaAccess.SERVICES) {
            bindings.addAll(access.bindings());
        }
        admin.createAcls(bindings).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
        awaitVisible(admin, names, bindings, deadline);
    }

    /** The broker applies what the controller committed a moment later; waits until it describes all of it. */
    private static void awaitVisible(Admin admin, List<String> users, List<AclBinding> bindings, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            Set<String> described = new HashSet<>();
            try {
                described.addAll(admin.describeUserScramCredentials(users)
                        .all()
                        .get(remaining(deadline), TimeUnit.NANOSECONDS)
                        .keySet());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof ResourceNotFoundException)) {
                    throw e;
                }
            }
            Collection<AclBinding> acls =
                    admin.describeAcls(AclBindingFilter.ANY).values().get(remaining(deadline), TimeUnit.NANOSECONDS);
            if (described.containsAll(users) && new HashSet<>(acls).containsAll(bindings)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the broker did not show the platform's Kafka users and ACLs in time");
            }
            Thread.sleep(50); // polling the broker's view of the metadata it just committed
        }
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }
}
