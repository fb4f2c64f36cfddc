package ai.sovereign.router.telemetry;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Matching of host ids and URL hosts against the registration allow-list: globs with {@code *} (matched in linear
 * time, no regular expressions: the names come from the network) and CIDR blocks for IP literals.
 */
final class HostPatterns {

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:.]+]?");

    private HostPatterns() {}

    /** Whether {@code value} matches one of {@code globs}, case-insensitively. */
    static boolean anyGlob(List<String> globs, String value) {
        String text = value.toLowerCase(Locale.ROOT);
        return globs.stream().anyMatch(glob -> !glob.contains("/") && glob(glob.toLowerCase(Locale.ROOT), text));
    }

    /** Whether the host of {@code url} matches one of {@code patterns} (globs, or CIDR blocks for IP literals). */
    static boolean urlAllowed(List<String> patterns, String url) {
        String host;
        try {
            host = URI.create(url.trim()).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null || host.isEmpty()) {
            return false;
        }
        if (anyGlob(patterns, host)) {
            return true;
        }
        byte[] address = ipLiteral(host);
        if (address == null) {
            return false;
        }
        for (String pattern : patterns) {
            if (pattern.contains("/")) {
                Cidr cidr = cidr(pattern);
                if (cidr.contains(address)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code *} matches any run of characters; everything else itself. Greedy with one back-track point: linear. */
    static boolean glob(String glob, String text) {
        int g = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                mark = t;
            } else if (g < glob.length() && glob.charAt(g) == text.charAt(t)) {
                g++;
                t++;
            } else if (star >= 0) {
                g = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    record Cidr(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = network.length * 8;
            BigInteger mask = BigInteger.ONE
                    .shiftLeft(bits)
                    .subtract(BigInteger.ONE)
                    .shiftRight(prefix)
                    .not();
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    /** A CIDR block {@code address/prefix}; throws {@link IllegalArgumentException} naming the value if it is not. */
    static Cidr cidr(String value) {
        int slash = value.indexOf('/');
        byte[] network = ipLiteral(value.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(value.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (network == null || prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("router.registration.allowed-urls: '" + value
                    + "' is neither a host glob nor a CIDR block such as 10.8.0.0/16");
        }
        return new Cidr(network, prefix);
    }

    /** The bytes of an IPv4 or IPv6 literal, or null for a name (never resolved). */
    private static byte[] ipLiteral(String host) {
        if (!IP_LITERAL.matcher(host).matches()
                || (!host.contains(":") && host.chars().filter(c -> c == '.').count() != 3)) {
            return null;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return InetAddress.ofLiteral(literal).getAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
