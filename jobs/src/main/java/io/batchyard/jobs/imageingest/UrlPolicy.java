package io.batchyard.jobs.imageingest;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which image URLs may be fetched: {@code http} or {@code https} only, and by default no
 * host that resolves to a loopback, private, link-local (cloud metadata at
 * 169.254.169.254 included), unique-local IPv6, multicast or wildcard address, so a
 * submitted URL cannot reach the services next to this one. Hosts listed as allowed
 * (local setups, tests) skip the address check.
 */
public class UrlPolicy {

	private final Set<String> allowedHosts;

	public UrlPolicy(List<String> allowedHosts) {
		this.allowedHosts = allowedHosts.stream()
			.map((host) -> host.trim().toLowerCase(Locale.ROOT))
			.filter((host) -> !host.isEmpty())
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * Checks a URL before it is requested (the first and every redirect).
	 * @param url the URL
	 * @throws ImageRejectedException {@code URL not allowed: ...} when it may not be
	 * fetched
	 */
	public void check(URI url) throws ImageRejectedException {
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "";
		String host = url.getHost();
		if (!(scheme.equals("http") || scheme.equals("https")) || host == null || host.isEmpty()) {
			throw new ImageRejectedException("URL not allowed: " + url + " (only http and https URLs with a host)");
		}
		String bare = host.toLowerCase(Locale.ROOT);
		if (bare.startsWith("[") && bare.endsWith("]")) {
			bare = bare.substring(1, bare.length() - 1);
		}
		if (this.allowedHosts.contains(bare)) {
			return;
		}
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(bare);
		}
		catch (UnknownHostException ex) {
			throw new ImageRejectedException("Failed to download image: unknown host " + host);
		}
		for (InetAddress address : addresses) {
			if (isInternal(address)) {
				throw new ImageRejectedException("URL not allowed: " + url + " (" + host
						+ " resolves to the internal address " + address.getHostAddress() + ")");
			}
		}
	}

	static boolean isInternal(InetAddress address) {
		if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
				|| address.isAnyLocalAddress() || address.isMulticastAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet6Address) {
			// Unique local fc00::/7 (AWS's IPv6 metadata endpoint fd00:ec2::254
			// included).
			return (bytes[0] & 0xfe) == 0xfc;
		}
		// Carrier-grade NAT 100.64.0.0/10 and 0.0.0.0/8.
		return ((bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64) || bytes[0] == 0;
	}

}
