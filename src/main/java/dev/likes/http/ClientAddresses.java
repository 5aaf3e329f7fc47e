package dev.likes.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Which client sent a request, for per-client caps (live streams): the connection's peer, or, when
 * that peer is a trusted proxy, the address the trusted hops recorded. {@code X-Forwarded-For} is read
 * from its right end, where each proxy appends the address it saw, skipping the trusted proxies, up to
 * the first address that is not one: what a client wrote into the header itself stands to the left of
 * it and is never taken. The trusted proxies are Quarkus' own setting
 * ({@code QUARKUS_HTTP_PROXY_TRUSTED_PROXIES}: addresses, networks in CIDR notation, or host names
 * resolved at start), read only with {@code QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true}.
 */
@ApplicationScoped
public class ClientAddresses {

    private final List<AddressRange> trusted;

    @Inject
    public ClientAddresses(@ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false") boolean forwarding,
            @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies") Optional<List<String>> proxies) {
        this(forwarding ? proxies.orElse(List.of()).stream().flatMap(proxy -> AddressRange.parse(proxy).stream()).toList() : List.of());
    }

    ClientAddresses(List<AddressRange> trusted) {
        this.trusted = trusted;
    }

    /** The client of {@code request}: its peer's address, or behind trusted proxies the one they recorded. */
    public String of(HttpServerRequest request) {
        SocketAddress peer = request.connection().remoteAddress();
        return of(peer == null ? null : peer.hostAddress(), request.headers().getAll("X-Forwarded-For"));
    }

    /** The rule, on the peer's address and the X-Forwarded-For headers in the order received. */
    String of(String peer, List<String> forwardedFor) {
        if (peer == null) {
            return "unknown";
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0 && isTrusted(client); i--) {
            client = hops.get(i);
        }
        return client;
    }

    private boolean isTrusted(String address) {
        Optional<InetAddress> parsed = AddressRange.literal(address);
        return parsed.isPresent() && trusted.stream().anyMatch(range -> range.contains(parsed.get()));
    }

    /** An address or a network (CIDR) of trusted proxies. */
    record AddressRange(byte[] network, int prefix) {

        private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
        private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z]+)?");

        AddressRange {
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("Not a network prefix: /" + prefix);
            }
        }

        /**
         * {@code 10.0.0.0/8}, {@code 2001:db8::/32}, an address, or a host name (all its addresses, looked
         * up now); empty when a name does not resolve.
         */
        static List<AddressRange> parse(String text) {
            String value = text.strip();
            int slash = value.indexOf('/');
            if (slash >= 0) {
                InetAddress network = literal(value.substring(0, slash))
                        .orElseThrow(() -> new IllegalArgumentException("Not a network: " + text));
                return List.of(new AddressRange(network.getAddress(), Integer.parseInt(value.substring(slash + 1))));
            }
            try {
                List<AddressRange> ranges = new ArrayList<>();
                for (InetAddress address : literal(value).map(List::of).orElse(List.of(InetAddress.getAllByName(value)))) {
                    ranges.add(new AddressRange(address.getAddress(), address.getAddress().length * 8));
                }
                return ranges;
            } catch (UnknownHostException e) {
                return List.of();
            }
        }

        /** An IP address written as one (never a name lookup): an optional port or brackets are dropped. */
        static Optional<InetAddress> literal(String text) {
            String value = text.strip();
            if (value.startsWith("[")) {
                int end = value.indexOf(']');
                value = end > 0 ? value.substring(1, end) : value;
            } else if (value.indexOf(':') == value.lastIndexOf(':') && value.indexOf(':') > 0) {
                value = value.substring(0, value.indexOf(':')); // an IPv4 address with a port
            }
            // Only what InetAddress reads without a name lookup (which would block the event loop).
            boolean ipv4 = IPV4.matcher(value).matches();
            boolean ipv6 = value.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(value).matches();
            if (!ipv4 && !ipv6) {
                return Optional.empty();
            }
            try {
                return Optional.of(InetAddress.getByName(value));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            return rest == 0 || ((bytes[whole] ^ network[whole]) & (0xFF << (8 - rest))) == 0;
        }
    }
}
