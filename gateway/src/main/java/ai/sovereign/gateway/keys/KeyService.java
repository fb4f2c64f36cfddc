package ai.sovereign.gateway.keys;

import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of API keys (create, change, revoke, rotate) and their lookup by presented key. Lookups are cached
 * for {@code gateway.keys.cache-ttl} so the request path rarely touches PostgreSQL; changes made here evict at once.
 */
@Singleton
public class KeyService {

    private static final Logger LOG = LoggerFactory.getLogger(KeyService.class);
    /** last_used_at is written at most this often per key: it is for people, not for accounting. */
    private static final Duration TOUCH_INTERVAL = Duration.ofSeconds(30);

    private final ApiKeyStore store;
    private final KeyHasher hasher;
    private final Duration cacheTtl;
    private final Duration staleIfError;
    /** After a failed lookup, further lookups wait this long before PostgreSQL is asked again. */
    private static final Duration STORE_RETRY = Duration.ofSeconds(5);

    private volatile Instant storeDownUntil;
    private final Clock clock;
    private final Map<String, Cached> byHash = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> lastTouched = new ConcurrentHashMap<>();
    /**
     * Hashes PostgreSQL did not know, until when that answer is believed ({@code gateway.keys.cache-ttl}, like a found
     * key): a wrong key sent again costs no query. Bounded; a key stored by this gateway leaves it at once, one stored
     * by another replica is seen when the entry ends.
     */
    private final Map<String, Instant> unknownUntil = new ConcurrentHashMap<>();

    private static final int MAX_UNKNOWN = 10_000;

    private final ai.sovereign.gateway.metrics.GatewayMetrics metrics;

    public KeyService(ApiKeyStore store, KeySettings settings, ai.sovereign.gateway.metrics.GatewayMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
        this.hasher = new KeyHasher(settings.secret());
        this.cacheTtl = settings.cacheTtl();
        this.staleIfError = settings.staleIfError();
        this.clock = Clock.systemUTC();
    }

    /**
     * A looked-up key, trusted until {@code until} (its load plus the TTL); past {@code refreshAt} (half the TTL) the
     * next use reloads it in the background, so a key in steady use never expires on the request path.
     */
    private record Cached(
            ApiKey key,
            byte[] hash,
            Instant until,
            Instant refreshAt,
            java.util.concurrent.atomic.AtomicBoolean refreshing) {
        Cached(ApiKey key, byte[] hash, Instant loaded, Duration ttl) {
            this(
                    key,
                    hash,
                    loaded.plus(ttl),
                    loaded.plus(ttl.dividedBy(2)),
                    new java.util.concurrent.atomic.AtomicBoolean());
        }
    }

    /** A key just made: the stored record and the secret key, which is never available again. */
    public record IssuedKey(ApiKey key, String secret) {}

    public IssuedKey create(KeySpec spec, String createdBy) {
        String secret = hasher.newKey();
        return new IssuedKey(insert(spec, secret, createdBy), secret);
    }

    /**
     * A new key for {@code spec}, stored only if no usable admin key exists; empty when one does (another gateway
     * replica may have just stored its own).
     */
    public Optional<IssuedKey> createFirstAdmin(KeySpec spec, String createdBy) {
        String secret = hasher.newKey();
        ApiKey key = spec.applyTo(blank(spec, secret, createdBy));
        return store.insertIfNoUsableAdmin(key, hasher.hash(secret), clock.instant())
                ? Optional.of(new IssuedKey(key, secret))
                : Optional.empty();
    }

    /** Stores {@code secret} (chosen by the operator) as a key unless a key with that secret exists already. */
    public Optional<ApiKey> importKey(KeySpec spec, String secret, String createdBy) {
        if (store.existsByHash(hasher.hash(secret))) {
            return Optional.empty();
        }
        return Optional.of(insert(spec, secret, createdBy));
    }

    private ApiKey insert(KeySpec spec, String secret, String createdBy) {
        ApiKey key = spec.applyTo(blank(spec, secret, createdBy));
        store.insert(key, hasher.hash(secret));
        known(secret);
        return key;
    }

    private ApiKey blank(KeySpec spec, String secret, String createdBy) {
        return new ApiKey(
                UUID.randomUUID(),
                "",
                spec.tenant(),
                ai.sovereign.runtime.security.Role.USER,
                KeyHasher.visiblePrefix(secret),
                List.of("*"),
                KeyLimits.NONE,
                null,
                null,
                createdBy,
                clock.instant(),
                null);
    }

    public List<ApiKey> list(@Nullable String tenant) {
        return store.list(tenant);
    }

    public ApiKey get(UUID id) {
        return store.findById(id).orElseThrow(() -> ApiException.notFound("no API key with id " + id));
    }

    public ApiKey update(UUID id, KeySpec patch) {
        ApiKey updated = patch.applyTo(get(id));
        store.update(updated);
        evict(id);
        return updated;
    }

    /** Revokes the key; true when it was active until now, false when it was revoked already. */
    public boolean revoke(UUID id) {
        get(id);
        boolean revoked = store.revoke(id, clock.instant());
        evict(id);
        return revoked;
    }

    /** Gives the key new key material; the old secret stops working at once (here; on other replicas within the cache TTL). */
    public IssuedKey rotate(UUID id) {
        ApiKey key = get(id);
        if (key.revokedAt() != null) {
            throw new ApiException(
                    io.micronaut.http.HttpStatus.CONFLICT,
                    "API key " + id + " is revoked; create a new key",
                    "key_revoked",
                    null);
        }
        String secret = hasher.newKey();
        store.replaceHash(id, hasher.hash(secret), KeyHasher.visiblePrefix(secret));
        known(secret);
        evict(id);
        return new IssuedKey(get(id), secret);
    }

    public boolean hasUsableAdmin() {
        return store.hasUsableAdmin(clock.instant());
    }

    /**
     * The key whose secret is {@code presented} when the lookup cache can tell without PostgreSQL and the key is usable
     * now; null otherwise (a cache miss, an expired entry, or any refusal: {@link #authenticate} then decides, says why
     * and may block). Never blocks, so the request path can call it on an event loop.
     */
    public @Nullable ApiKey cachedUsable(@Nullable String presented) {
        if (presented == null || !presented.startsWith(KeyHasher.KEY_PREFIX)) {
            return null;
        }
        byte[] hash = hasher.hash(presented);
        String cacheKey = HexFormat.of().formatHex(hash);
        Instant now = clock.instant();
        Cached cached = byHash.get(cacheKey);
        if (cached == null
                || now.isAfter(cached.until())
                || !KeyHasher.matches(cached.hash(), hash)
                || cached.key().unusableReason(now) != null) {
            return null;
        }
        return used(cacheKey, hash, cached, now);
    }

    /** A cached key accepted for a request: its last use noted, and its entry refreshed ahead when due. */
    private ApiKey used(String cacheKey, byte[] hash, Cached cached, Instant now) {
        touch(cached.key().id(), now);
        if (now.isAfter(cached.refreshAt())) {
            refresh(cacheKey, hash, cached);
        }
        return cached.key();
    }

    /**
     * Reloads a cached key that is in use before it expires (once at a time per entry, on a virtual thread): without
     * it every key in steady use expired every TTL, and the requests of that moment went to PostgreSQL on the ordinary
     * path (a cluster of slow requests every {@code gateway.keys.cache-ttl}, measured in the gateway benchmark). Trust
     * is still bounded by the TTL: an entry is used at most a TTL after the load that produced it, and a key revoked,
     * rotated or changed on another replica is seen by the next refresh.
     */
    private void refresh(String cacheKey, byte[] hash, Cached cached) {
        if (!cached.refreshing().compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("key-refresh").start(() -> {
            try {
                Instant loaded = clock.instant();
                var stored = store.findByHash(hash);
                if (stored.isPresent()) {
                    byHash.replace(
                            cacheKey,
                            cached,
                            new Cached(stored.get().key(), stored.get().hash(), loaded, cacheTtl));
                } else {
                    byHash.remove(cacheKey, cached);
                }
            } catch (RuntimeException e) {
                LOG.warn("refreshing a cached API key failed (it expires as usual): {}", e.getMessage());
            }
        });
    }

    /**
     * The key whose secret is {@code presented}, usable now; otherwise {@link AuthenticationFailure} saying why
     * (without echoing the key).
     */
    public ApiKey authenticate(@Nullable String presented) {
        if (presented == null || presented.isBlank()) {
            throw new AuthenticationFailure("missing API key; send Authorization: Bearer sk-…");
        }
        if (!presented.startsWith(KeyHasher.KEY_PREFIX)) {
            throw new AuthenticationFailure("malformed API key; keys start with sk-");
        }
        byte[] hash = hasher.hash(presented);
        String cacheKey = HexFormat.of().formatHex(hash);
        Instant now = clock.instant();
        Cached cached = byHash.get(cacheKey);
        boolean asLastSeen = false;
        if (cached == null || now.isAfter(cached.until())) {
            Instant unknown = unknownUntil.get(cacheKey);
            if (unknown != null && now.isBefore(unknown)) {
                throw new AuthenticationFailure("invalid API key");
            }
            Cached stale = cached;
            try {
                Instant down = storeDownUntil;
                if (down != null && now.isBefore(down)) {
                    // it failed a moment ago: do not make every request wait for the connection timeout again
                    throw new ApiKeyStore.KeyStoreException(
                            "the key store failed less than " + STORE_RETRY.toSeconds() + " s ago", null);
                }
                metrics.keyLookup();
                cached = store.findByHash(hash)
                        .map(stored -> new Cached(stored.key(), stored.hash(), now, cacheTtl))
                        .orElse(null);
                storeDownUntil = null;
            } catch (ApiKeyStore.KeyStoreException e) {
                if (e.getCause() != null) {
                    // from when it failed: the attempt itself may have waited for the connection timeout
                    storeDownUntil = clock.instant().plus(STORE_RETRY);
                }
                if (stale == null || now.isAfter(stale.until().plus(staleIfError))) {
                    throw e;
                }
                // PostgreSQL cannot be asked: the key as last seen, within gateway.keys.stale-if-error
                metrics.staleKeyUse();
                asLastSeen = true;
                cached = stale;
            }
            if (cached == null) {
                byHash.remove(cacheKey);
                if (unknownUntil.size() >= MAX_UNKNOWN) {
                    unknownUntil.clear();
                }
                unknownUntil.put(cacheKey, now.plus(cacheTtl));
                throw new AuthenticationFailure("invalid API key");
            }
            unknownUntil.remove(cacheKey);
            byHash.put(cacheKey, cached);
        }
        if (!KeyHasher.matches(cached.hash(), hash)) {
            throw new AuthenticationFailure("invalid API key");
        }
        String unusable = cached.key().unusableReason(now);
        if (unusable != null) {
            throw new AuthenticationFailure(unusable);
        }
        // a key as last seen is neither touched nor refreshed: both would ask PostgreSQL again
        return asLastSeen ? cached.key() : used(cacheKey, hash, cached, now);
    }

    /** A secret this gateway just stored is no longer unknown. */
    private void known(String secret) {
        unknownUntil.remove(HexFormat.of().formatHex(hasher.hash(secret)));
    }

    private void touch(UUID id, Instant now) {
        Instant previous = lastTouched.get(id);
        if (previous != null && now.isBefore(previous.plus(TOUCH_INTERVAL))) {
            return;
        }
        lastTouched.put(id, now);
        Thread.ofVirtual().name("key-touch").start(() -> {
            try {
                store.touchLastUsed(id, now);
            } catch (RuntimeException e) {
                LOG.warn("last_used_at of key {} not written: {}", id, e.getMessage());
            }
        });
    }

    private void evict(UUID id) {
        byHash.values().removeIf(c -> c.key().id().equals(id));
    }

    /** The presented key cannot be used; the message is safe to show and to audit. */
    public static final class AuthenticationFailure extends RuntimeException {
        public AuthenticationFailure(String message) {
            super(message);
        }
    }
}
