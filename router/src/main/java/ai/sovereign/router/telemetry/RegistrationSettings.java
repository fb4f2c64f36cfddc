package ai.sovereign.router.telemetry;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * {@code router.registration.*}: which gpu-agents the router believes. A telemetry snapshot counts only when its host
 * id matches one of {@code allowed-hosts}, and a server it reports is registered only when the host of its URL matches
 * one of {@code allowed-urls}. Both empty (the default): no host is believed and nothing registers itself; servers come
 * from {@code router.servers} and the admin API only.
 *
 * @param allowedHosts host id globs ({@code *} matches any run of characters), e.g. {@code gpu-host-*}
 * @param allowedUrls  URL host globs ({@code *.gpu.internal}, {@code 127.0.0.1}) or CIDR blocks ({@code 10.8.0.0/16},
 *                     {@code fd00::/8}); a CIDR matches a URL whose host is an IP literal in it (names are not
 *                     resolved: a name must match a glob)
 */
@ConfigurationProperties("router.registration")
public record RegistrationSettings(
        @Nullable List<String> allowedHosts, @Nullable List<String> allowedUrls) {

    public RegistrationSettings {
        allowedHosts = clean(allowedHosts);
        allowedUrls = clean(allowedUrls);
        for (String url : allowedUrls) {
            if (url.contains("/")) {
                HostPatterns.cidr(url); // fails now, naming the value, rather than at the first snapshot
            }
        }
    }

    private static List<String> clean(@Nullable List<String> values) {
        return values == null
                ? List.of()
                : values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
    }
}
