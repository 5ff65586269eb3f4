package dev.cronhook.delivery.net;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads IP addresses written as text, the way URL parsers and curl read them, without ever asking
 * DNS. Browsers and curl accept IPv4 in forms a plain dotted-quad check misses ({@code 2130706433},
 * {@code 0x7f000001}, {@code 0177.0.0.1}, {@code 127.1}); a check that only knows dotted quads lets
 * those through to a connection.
 */
final class IpLiterals {

    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern STRICT_IPV4 =
            Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

    private IpLiterals() {}

    /**
     * The address a URL host denotes when it is an IP literal: bracketed or bare IPv6 (a zone is
     * ignored), or IPv4 in any numeric form the WHATWG URL standard and inet_aton accept. Empty for
     * a host name, which only DNS can answer.
     */
    static Optional<InetAddress> parseHost(String host) {
        String text = host;
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        if (text.contains(":")) {
            return parseIpv6(text);
        }
        return parseLenientIpv4(text);
    }

    /** A plain dotted-quad IPv4 or an IPv6 address, as configuration should spell it. */
    static Optional<InetAddress> parseStrict(String text) {
        if (text.contains(":")) {
            return text.contains("%") ? Optional.empty() : parseIpv6(text);
        }
        if (!STRICT_IPV4.matcher(text).matches()) {
            return Optional.empty();
        }
        return parseLenientIpv4(text);
    }

    /**
     * The host part of a URL, decoded and normalized as browsers do before they look at it
     * (percent-decoding, full-width digits and dots, case). Empty when the text has no
     * {@code scheme://} prefix.
     */
    static Optional<String> hostOfUrl(String url) {
        int colon = url.indexOf(':');
        if (colon <= 0 || !url.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            return Optional.empty();
        }
        int start = colon + 1;
        // URL parsers treat any run of slashes and backslashes after "http:" as "//".
        while (start < url.length() && (url.charAt(start) == '/' || url.charAt(start) == '\\')) {
            start++;
        }
        if (start == colon + 1) {
            return Optional.empty();
        }
        int end = start;
        while (end < url.length() && "/\\?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        String authority = url.substring(start, end);
        String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        if (hostAndPort.startsWith("[")) {
            int close = hostAndPort.indexOf(']');
            host = close < 0 ? hostAndPort : hostAndPort.substring(0, close + 1);
        } else {
            int portColon = hostAndPort.indexOf(':');
            host = portColon < 0 ? hostAndPort : hostAndPort.substring(0, portColon);
        }
        return Optional.of(normalizeHost(host));
    }

    /** RFC 5952 text: IPv4 dotted, IPv6 lowercase with the longest zero run shortened. */
    static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "."
                    + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static String normalizeHost(String host) {
        String decoded = host;
        if (host.contains("%") && !host.startsWith("[")) {
            try {
                decoded = URLDecoder.decode(host.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = host;
            }
        }
        // UTS 46 maps these dots to '.', and NFKC maps full-width digits to ASCII ones.
        decoded = decoded.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.');
        return Normalizer.normalize(decoded, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    private static Optional<InetAddress> parseIpv6(String text) {
        int zone = text.indexOf('%');
        String address = zone < 0 ? text : text.substring(0, zone);
        // With a colon in it, InetAddress parses the literal and never consults DNS; the
        // character check keeps anything else from reaching it.
        if (!address.contains(":") || !IPV6_CHARS.matcher(address).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The WHATWG URL standard's IPv4 parser: 1 to 4 parts, each decimal, 0x-hex or 0-octal. */
    private static Optional<InetAddress> parseLenientIpv4(String host) {
        List<String> parts = new ArrayList<>(List.of(host.split("\\.", -1)));
        if (parts.size() > 1 && parts.getLast().isEmpty()) {
            parts.removeLast();
        }
        if (parts.isEmpty() || parts.size() > 4) {
            return Optional.empty();
        }
        long[] numbers = new long[parts.size()];
        for (int i = 0; i < numbers.length; i++) {
            long number = parseNumber(parts.get(i));
            if (number < 0) {
                return Optional.empty();
            }
            numbers[i] = number;
        }
        int last = numbers.length - 1;
        for (int i = 0; i < last; i++) {
            if (numbers[i] > 255) {
                return Optional.empty();
            }
        }
        if (numbers[last] >= 1L << (8 * (4 - last))) {
            return Optional.empty();
        }
        long value = numbers[last];
        for (int i = 0; i < last; i++) {
            value += numbers[i] << (8 * (3 - i));
        }
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    /** The part's value, or -1 when it is not a number in any of the accepted notations. */
    private static long parseNumber(String part) {
        if (part.isEmpty()) {
            return -1;
        }
        String digits = part;
        int radix = 10;
        if (part.length() >= 2 && (part.startsWith("0x") || part.startsWith("0X"))) {
            digits = part.substring(2);
            radix = 16;
        } else if (part.length() >= 2 && part.startsWith("0")) {
            digits = part.substring(1);
            radix = 8;
        }
        if (digits.isEmpty()) {
            return 0;
        }
        // Anything longer is far beyond 32 bits in every radix; such a host is no address.
        if (digits.length() > 16) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0 || digits.charAt(i) > 'z') {
                return -1;
            }
        }
        return Long.parseLong(digits, radix);
    }
}
