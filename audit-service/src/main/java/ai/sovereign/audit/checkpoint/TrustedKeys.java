package ai.sovereign.audit.checkpoint;

import ai.sovereign.runtime.signing.SigningKey;
import java.security.PublicKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The public keys verification accepts, by key id: the current signing key's and any configured earlier ones. They
 * come from configuration, never from the database, so a forged key in a table proves nothing.
 */
public final class TrustedKeys {

    private final Map<String, PublicKey> byId;

    public TrustedKeys(SigningKey current, Iterable<PublicKey> earlier) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        keys.put(current.keyId(), current.publicKey());
        for (PublicKey key : earlier) {
            keys.putIfAbsent(SigningKey.keyIdOf(key), key);
        }
        this.byId = Collections.unmodifiableMap(keys);
    }

    public Optional<PublicKey> find(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    public Map<String, PublicKey> all() {
        return byId;
    }
}
