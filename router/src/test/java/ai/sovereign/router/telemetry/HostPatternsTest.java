package ai.sovereign.router.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostPatternsTest {

    @Test
    void globsMatchWholeNamesCaseInsensitively() {
        assertTrue(HostPatterns.anyGlob(List.of("gpu-host-*"), "GPU-host-01"));
        assertTrue(HostPatterns.anyGlob(List.of("*"), "anything"));
        assertTrue(HostPatterns.anyGlob(List.of("a*b*c"), "a-x-b-y-c"));
        assertFalse(HostPatterns.anyGlob(List.of("gpu-host-*"), "evil-gpu-host-01"));
        assertFalse(HostPatterns.anyGlob(List.of("gpu-host-0?"), "gpu-host-01"), "only * is special");
        assertFalse(HostPatterns.anyGlob(List.of(), "gpu-host-01"), "an empty list believes nobody");
        // a name built to make a backtracking matcher explode is decided at once
        assertFalse(HostPatterns.anyGlob(List.of("*a*a*a*a*a*a*a*a*b"), "a".repeat(10_000)));
    }

    @Test
    void urlsMatchByHostGlobOrCidrWithoutResolvingNames() {
        List<String> allowed = List.of("*.gpu.internal", "10.8.0.0/16", "fd00::/8", "127.0.0.1");
        assertTrue(HostPatterns.urlAllowed(allowed, "http://node-3.gpu.internal:11434"));
        assertTrue(HostPatterns.urlAllowed(allowed, "http://10.8.255.1:8000/v1"));
        assertTrue(HostPatterns.urlAllowed(allowed, "http://[fd12::1]:11434"));
        assertTrue(HostPatterns.urlAllowed(allowed, "http://127.0.0.1:11434"));
        assertFalse(HostPatterns.urlAllowed(allowed, "http://10.9.0.1:8000"));
        assertFalse(HostPatterns.urlAllowed(allowed, "http://gpu.internal.attacker.example:11434"));
        assertFalse(HostPatterns.urlAllowed(allowed, "http://127.0.0.1.nip.io:11434"));
        assertFalse(HostPatterns.urlAllowed(allowed, "not a url"));
        assertFalse(HostPatterns.urlAllowed(allowed, "file:///etc/passwd"));
    }

    @Test
    void aBadCidrIsRefusedAtStartNamingIt() {
        var error = assertThrows(
                IllegalArgumentException.class, () -> new RegistrationSettings(List.of("*"), List.of("10.0.0.0/33")));
        assertEquals(
                "router.registration.allowed-urls: '10.0.0.0/33' is neither a host glob nor a CIDR block such as"
                        + " 10.8.0.0/16",
                error.getMessage());
    }
}
