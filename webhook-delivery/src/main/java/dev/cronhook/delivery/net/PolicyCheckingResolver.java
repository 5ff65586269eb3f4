package dev.cronhook.delivery.net;

import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.spi.DnsResolver;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves the host of every new connection and returns only an address the network policy
 * allows. The client connects to exactly the address returned here, so a name that resolves (or
 * later re-resolves, as in DNS rebinding) to a refused address is refused when it matters.
 */
public final class PolicyCheckingResolver implements DnsResolver {

    private final NetworkPolicy policy;
    private final HostLookup lookup;

    public PolicyCheckingResolver(NetworkPolicy policy, HostLookup lookup) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * @throws BlockedAddressException when the policy refuses every address of the host
     * @throws UncheckedIOException with an {@link UnknownHostException} when the name does not
     *     resolve
     */
    @Override
    public InetAddress resolveAddress(String host, DnsAddressLookup order) {
        // An IP literal is read the way URL parsers read it, so "0177.0.0.1" is the 127.0.0.1
        // the create-time check judged, not the 177.0.0.1 InetAddress would make of it.
        Optional<InetAddress> literal = IpLiterals.parseHost(host);
        if (literal.isPresent()) {
            NetworkPolicy.Decision decision = policy.check(host, literal.get());
            if (!decision.allowed()) {
                throw new BlockedAddressException(decision.reason());
            }
            return literal.get();
        }
        InetAddress[] candidates = order.filter(resolve(host));
        if (candidates.length == 0) {
            throw new UncheckedIOException(new UnknownHostException(host));
        }
        NetworkPolicy.Decision firstRefusal = null;
        for (InetAddress candidate : candidates) {
            NetworkPolicy.Decision decision = policy.check(host, candidate);
            if (decision.allowed()) {
                // Keep the name with the address: TLS needs it for SNI and certificate checks.
                return withHostName(host, candidate);
            }
            if (firstRefusal == null) {
                firstRefusal = decision;
            }
        }
        throw new BlockedAddressException(firstRefusal.reason());
    }

    private InetAddress[] resolve(String host) {
        try {
            return lookup.lookup(host);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InetAddress withHostName(String host, InetAddress address) {
        try {
            return InetAddress.getByAddress(host, address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a resolved address always has a valid length", e);
        }
    }
}
