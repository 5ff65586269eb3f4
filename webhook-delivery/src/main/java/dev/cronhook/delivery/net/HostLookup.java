package dev.cronhook.delivery.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a host name to its addresses; replaceable so tests can make a name point anywhere. */
@FunctionalInterface
public interface HostLookup {

    HostLookup SYSTEM = InetAddress::getAllByName;

    InetAddress[] lookup(String host) throws UnknownHostException;
}
