package dev.cronhook.delivery.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The address blocks that are not ordinary public destinations (after the IANA special-purpose
 * registries), and the IPv6 forms that carry an IPv4 address inside them.
 */
final class SpecialAddresses {

    /**
     * @param description what an address in the block is, to follow "x.x.x.x is"; null for a
     *     block that is an ordinary destination and ends the search
     * @param refusedByDefault refused even by the default policy, not only by public-only
     */
    record Block(Cidr cidr, String description, boolean refusedByDefault) {}

    /** An address to judge: the destination itself, or an IPv4 address carried inside it. */
    record View(byte[] address, String carrier) {
        boolean isEmbedded() {
            return carrier != null;
        }
    }

    private static final String LINK_LOCAL = "link-local";
    private static final String METADATA = "a cloud metadata address";
    private static final String RESERVED = "reserved";
    private static final String DOCUMENTATION = "reserved for documentation";
    private static final String BENCHMARKING = "reserved for benchmarking";

    // First match wins, so specific blocks come before the blocks around them.
    private static final List<Block> IPV4 = List.of(
            always("0.0.0.0/32", "unspecified"),
            always("0.0.0.0/8", "in the \"this network\" block 0.0.0.0/8"),
            always("169.254.0.0/16", LINK_LOCAL),
            always("100.100.100.200/32", METADATA),
            always("192.0.0.192/32", METADATA),
            always("224.0.0.0/4", "multicast"),
            always("255.255.255.255/32", "broadcast"),
            publicOnly("127.0.0.0/8", "loopback"),
            publicOnly("10.0.0.0/8", "private"),
            publicOnly("172.16.0.0/12", "private"),
            publicOnly("192.168.0.0/16", "private"),
            publicOnly("100.64.0.0/10", "in the shared address space of carrier-grade NAT"),
            publicOnly("192.0.0.0/24", RESERVED),
            publicOnly("192.0.2.0/24", DOCUMENTATION),
            publicOnly("198.51.100.0/24", DOCUMENTATION),
            publicOnly("203.0.113.0/24", DOCUMENTATION),
            publicOnly("192.88.99.0/24", RESERVED),
            publicOnly("198.18.0.0/15", BENCHMARKING),
            publicOnly("240.0.0.0/4", RESERVED));

    private static final List<Block> IPV6 = List.of(
            always("::/128", "unspecified"),
            always("fe80::/10", LINK_LOCAL),
            always("ff00::/8", "multicast"),
            always("fd00:ec2::254/128", METADATA),
            always("fd20:ce::254/128", METADATA),
            publicOnly("::1/128", "loopback"),
            publicOnly("fc00::/7", "unique-local"),
            publicOnly("fec0::/10", "site-local"),
            publicOnly("100::/64", RESERVED),
            publicOnly("64:ff9b:1::/48", "reserved for local NAT64"),
            ordinary("64:ff9b::/96"),
            publicOnly("2001:db8::/32", DOCUMENTATION),
            publicOnly("3fff::/20", DOCUMENTATION),
            publicOnly("2001:2::/48", BENCHMARKING),
            ordinary("2000::/3"),
            publicOnly("::/0", "not a global unicast address"));

    // Spelled as bytes: Java's parser would read "::ffff:0:0" as the IPv4 address 0.0.0.0.
    private static final Cidr MAPPED = Cidr.of(
            new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, 96);
    private static final Cidr TRANSLATED = Cidr.parse("::ffff:0:0:0/96");
    private static final Cidr COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr LOCAL_NAT64 = Cidr.parse("64:ff9b:1::/48");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr TEREDO = Cidr.parse("2001::/32");

    private SpecialAddresses() {}

    /** The first block holding the address, or null for an ordinary destination. */
    static Block find(byte[] address) {
        for (Block block : address.length == 4 ? IPV4 : IPV6) {
            if (block.cidr().contains(address)) {
                return block.description() == null ? null : block;
            }
        }
        return null;
    }

    /**
     * The address as it must be judged: an IPv4-mapped, -translated or -compatible IPv6 address
     * is that IPv4 address (4 bytes); anything else is returned unchanged.
     */
    static byte[] normalize(byte[] address) {
        if (address.length == 16) {
            // Java's parser folds ::ffff:0:0/96 already; the other two it keeps as IPv6.
            boolean unspecifiedOrLoopback = COMPATIBLE.contains(address)
                    && Arrays.equals(address, 0, 15, new byte[15], 0, 15)
                    && (address[15] == 0 || address[15] == 1);
            if (MAPPED.contains(address) || TRANSLATED.contains(address)
                    || (COMPATIBLE.contains(address) && !unspecifiedOrLoopback)) {
                return Arrays.copyOfRange(address, 12, 16);
            }
        }
        return address;
    }

    /** The normalized address itself, then any IPv4 address a transition mechanism embeds. */
    static List<View> views(byte[] normalized) {
        List<View> views = new ArrayList<>(2);
        views.add(new View(normalized, null));
        if (normalized.length == 16) {
            if (NAT64.contains(normalized)) {
                views.add(new View(Arrays.copyOfRange(normalized, 12, 16), "NAT64"));
            } else if (LOCAL_NAT64.contains(normalized)) {
                views.add(new View(Arrays.copyOfRange(normalized, 12, 16), "local NAT64"));
            } else if (SIX_TO_FOUR.contains(normalized)) {
                views.add(new View(Arrays.copyOfRange(normalized, 2, 6), "6to4"));
            } else if (TEREDO.contains(normalized)) {
                // The Teredo client's address is stored with every bit inverted.
                byte[] client = Arrays.copyOfRange(normalized, 12, 16);
                for (int i = 0; i < client.length; i++) {
                    client[i] = (byte) ~client[i];
                }
                views.add(new View(client, "Teredo"));
            }
        }
        return views;
    }

    private static Block always(String cidr, String description) {
        return new Block(Cidr.parse(cidr), description, true);
    }

    private static Block publicOnly(String cidr, String description) {
        return new Block(Cidr.parse(cidr), description, false);
    }

    private static Block ordinary(String cidr) {
        return new Block(Cidr.parse(cidr), null, false);
    }
}
