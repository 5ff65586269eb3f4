package dev.cronhook.delivery.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which addresses outgoing requests may connect to.
 *
 * <p>{@link Mode#DEFAULT} refuses what no webhook should reach: link-local addresses (where cloud
 * metadata services live), other cloud metadata addresses, unspecified, multicast and broadcast
 * addresses. It allows private and loopback addresses, because self-hosted teams call their own
 * services. {@link Mode#PUBLIC_ONLY} also refuses loopback, private, carrier-grade NAT,
 * unique-local and the other blocks that are not public destinations. IPv6 forms that carry an
 * IPv4 address (IPv4-mapped and -compatible, NAT64, 6to4, Teredo) are judged by that address too.
 *
 * <p>Deny CIDRs refuse addresses the mode allows; allow CIDRs permit addresses the mode refuses;
 * an address in both is refused.
 *
 * <p>Immutable and thread-safe. Never consults DNS: {@link #check} judges a resolved address, and
 * {@link #refusalForUrl} only judges hosts written as IP literals.
 */
public final class NetworkPolicy {

    public enum Mode {
        DEFAULT("default"),
        PUBLIC_ONLY("public-only");

        private final String configName;

        Mode(String configName) {
            this.configName = configName;
        }

        /** How the mode is written in configuration: {@code default} or {@code public-only}. */
        public String configName() {
            return configName;
        }

        /** @throws IllegalArgumentException for anything but {@code default} or {@code public-only} */
        public static Mode fromConfigName(String name) {
            String normalized = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
            for (Mode mode : values()) {
                if (mode.configName.equals(normalized)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException(
                    "network policy must be 'default' or 'public-only', got '" + name + "'");
        }
    }

    /**
     * @param reason why the address is refused, for people reading the attempt log; null when
     *     allowed
     */
    public record Decision(boolean allowed, String reason) {
        private static final Decision ALLOWED = new Decision(true, null);

        public Decision {
            if (allowed == (reason != null)) {
                throw new IllegalArgumentException("a refusal, and only a refusal, has a reason");
            }
        }
    }

    private static final String REFUSED = "; refused by the network policy";
    private static final NetworkPolicy DEFAULTS = new NetworkPolicy(Mode.DEFAULT, List.of(), List.of());

    private final Mode mode;
    private final List<Cidr> allow;
    private final List<Cidr> deny;

    private NetworkPolicy(Mode mode, List<Cidr> allow, List<Cidr> deny) {
        this.mode = mode;
        this.allow = allow;
        this.deny = deny;
    }

    /** The default mode with no CIDRs. */
    public static NetworkPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * @param allowCidrs blocks to permit although the mode refuses them, e.g. {@code 10.1.0.0/16}
     *     or a single address; blank entries are ignored
     * @param denyCidrs blocks to refuse although the mode allows them
     * @throws IllegalArgumentException naming the first CIDR that cannot be read
     */
    public static NetworkPolicy create(
            Mode mode, Collection<String> allowCidrs, Collection<String> denyCidrs) {
        Objects.requireNonNull(mode, "mode");
        return new NetworkPolicy(mode, parseAll(allowCidrs), parseAll(denyCidrs));
    }

    public Mode mode() {
        return mode;
    }

    /** The allow CIDRs in canonical form (network address / prefix length). */
    public List<String> allowCidrs() {
        return allow.stream().map(Cidr::toString).toList();
    }

    public List<String> denyCidrs() {
        return deny.stream().map(Cidr::toString).toList();
    }

    /** Whether a connection to this (resolved) address is allowed. */
    public Decision check(InetAddress address) {
        return check(null, address);
    }

    /**
     * The reason a URL is refused when its host is an IP literal the policy refuses, in any form
     * URL parsers and curl accept ({@code 2130706433}, {@code 0x7f000001}, {@code 0177.0.0.1},
     * {@code 127.1}, {@code [::ffff:127.0.0.1]}, ...). {@code localhost} counts as loopback. Other
     * host names are not resolved: they are checked when a request connects.
     */
    public Optional<String> refusalForUrl(String url) {
        return url == null ? Optional.empty() : IpLiterals.hostOfUrl(url).flatMap(this::refusalForHost);
    }

    /** Like {@link #refusalForUrl}, for the host part alone ({@code [::1]}, {@code 127.1}). */
    public Optional<String> refusalForHost(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        Optional<InetAddress> literal = IpLiterals.parseHost(host);
        if (literal.isEmpty() && isLocalhostName(host)) {
            literal = IpLiterals.parseHost("127.0.0.1");
        }
        return literal.map(address -> check(host, address))
                .filter(decision -> !decision.allowed())
                .map(Decision::reason);
    }

    /**
     * @param label how the destination was written (a host name or a literal in another form),
     *     shown beside the address in the reason; null to show the address alone
     */
    Decision check(String label, InetAddress address) {
        byte[] normalized = SpecialAddresses.normalize(address.getAddress());
        String subject = subject(label, normalized);
        List<SpecialAddresses.View> views = SpecialAddresses.views(normalized);

        for (SpecialAddresses.View view : views) {
            for (Cidr cidr : deny) {
                if (cidr.contains(view.address())) {
                    return refused(subject, view, "in the denied range " + cidr);
                }
            }
        }
        for (SpecialAddresses.View view : views) {
            for (Cidr cidr : allow) {
                if (cidr.contains(view.address())) {
                    return Decision.ALLOWED;
                }
            }
        }
        for (SpecialAddresses.View view : views) {
            SpecialAddresses.Block block = SpecialAddresses.find(view.address());
            if (block != null && (block.refusedByDefault() || mode == Mode.PUBLIC_ONLY)) {
                return refused(subject, view, block.description());
            }
        }
        return Decision.ALLOWED;
    }

    private static Decision refused(String subject, SpecialAddresses.View view, String what) {
        if (view.isEmbedded()) {
            return new Decision(false, subject + " carries " + IpLiterals.format(view.address())
                    + " (" + view.carrier() + "), which is " + what + REFUSED);
        }
        return new Decision(false, subject + " is " + what + REFUSED);
    }

    private static String subject(String label, byte[] normalized) {
        String address = IpLiterals.format(normalized);
        if (label == null) {
            return address;
        }
        String bare = label.startsWith("[") && label.endsWith("]")
                ? label.substring(1, label.length() - 1)
                : label;
        return bare.equalsIgnoreCase(address) ? address : clip(label) + " (" + address + ")";
    }

    private static boolean isLocalhostName(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        name = name.toLowerCase(Locale.ROOT);
        return name.equals("localhost") || name.endsWith(".localhost");
    }

    private static String clip(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 100 ? clean : clean.substring(0, 100) + "…";
    }

    private static List<Cidr> parseAll(Collection<String> cidrs) {
        List<Cidr> parsed = new ArrayList<>();
        if (cidrs != null) {
            for (String cidr : cidrs) {
                if (cidr != null && !cidr.isBlank()) {
                    parsed.add(Cidr.parse(cidr));
                }
            }
        }
        return List.copyOf(parsed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkPolicy other
                && mode == other.mode
                && allow.equals(other.allow)
                && deny.equals(other.deny);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, allow, deny);
    }

    @Override
    public String toString() {
        return mode.configName() + " (allow " + allowCidrs() + ", deny " + denyCidrs() + ")";
    }
}
