package ai.sovereign.router.config;

/** How the balancer weighs its signals and how it finds prefix-cache affinity. */
public record BalancingSettings(RoutingWeights weights, PrefixSettings prefix) {

    public static BalancingSettings defaults() {
        return new BalancingSettings(RoutingWeights.defaults(), PrefixSettings.defaults());
    }
}
