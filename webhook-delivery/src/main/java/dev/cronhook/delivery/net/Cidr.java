package dev.cronhook.delivery.net;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * A block of IPv4 or IPv6 addresses, such as {@code 10.0.0.0/8} or {@code fd00::/8}. A bare
 * address is a block of one. Bits past the prefix are ignored, so {@code 192.168.1.7/24} is
 * {@code 192.168.1.0/24}.
 */
final class Cidr {

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
        for (int bit = prefixLength; bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
    }

    static Cidr of(byte[] network, int prefixLength) {
        return new Cidr(network.clone(), prefixLength);
    }

    /** @throws IllegalArgumentException naming the text and what is wrong with it */
    static Cidr parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = IpLiterals.parseStrict(addressText).orElseThrow(() -> invalid(text,
                "expected an IPv4 or IPv6 address with an optional /prefix length, such as 10.0.0.0/8 or fd00::/8"));
        boolean writtenAsIpv6 = addressText.contains(":");
        int maxLength = writtenAsIpv6 ? 128 : 32;
        int prefixLength = maxLength;
        if (slash >= 0) {
            String prefixText = trimmed.substring(slash + 1);
            if (!prefixText.matches("[0-9]{1,3}") || Integer.parseInt(prefixText) > maxLength) {
                throw invalid(text, "the prefix length must be a number from 0 to " + maxLength);
            }
            prefixLength = Integer.parseInt(prefixText);
        }
        byte[] bytes = address.getAddress();
        if (writtenAsIpv6 && bytes.length == 4) {
            // An IPv4-mapped block (::ffff:a.b.c.d/n) is the IPv4 block it maps.
            if (prefixLength < 96) {
                throw invalid(text, "an IPv4-mapped block needs a prefix length of at least 96");
            }
            prefixLength -= 96;
        }
        return new Cidr(bytes, prefixLength);
    }

    /** Whether the address (4 bytes for IPv4, 16 for IPv6) lies in this block. */
    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int mask = (0xff << (8 - remainingBits)) & 0xff;
        return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other
                && prefixLength == other.prefixLength
                && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        return IpLiterals.format(network) + "/" + prefixLength;
    }

    private static IllegalArgumentException invalid(String text, String problem) {
        return new IllegalArgumentException("invalid CIDR '" + text + "': " + problem);
    }
}
