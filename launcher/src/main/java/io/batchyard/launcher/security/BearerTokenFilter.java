package io.batchyard.launcher.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.batchyard.launcher.security.SecurityProperties.Token;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} against the SHA-256 hashes in
 * {@code batchyard.security.tokens}. A token that matches none is refused at once (401),
 * not passed on as anonymous.
 */
class BearerTokenFilter extends OncePerRequestFilter {

	private static final String PREFIX = "bearer ";

	private final Map<String, Token> tokens;

	private final AuthenticationEntryPoint entryPoint;

	BearerTokenFilter(Map<String, Token> tokens, AuthenticationEntryPoint entryPoint) {
		this.tokens = Map.copyOf(tokens);
		this.entryPoint = entryPoint;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader("Authorization");
		if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
			chain.doFilter(request, response);
			return;
		}
		byte[] presented = sha256(header.substring(PREFIX.length()).trim());
		for (Map.Entry<String, Token> entry : this.tokens.entrySet()) {
			byte[] expected = HexFormat.of().parseHex(entry.getValue().sha256().trim().toLowerCase(Locale.ROOT));
			// Constant time: the comparison must not tell how much of a guess was right.
			if (MessageDigest.isEqual(presented, expected)) {
				List<SimpleGrantedAuthority> authorities = entry.getValue()
					.roles()
					.stream()
					.map((role) -> new SimpleGrantedAuthority("ROLE_" + role.name()))
					.toList();
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(
						UsernamePasswordAuthenticationToken.authenticated(entry.getKey(), null, authorities));
				SecurityContextHolder.setContext(context);
				try {
					chain.doFilter(request, response);
				}
				finally {
					SecurityContextHolder.clearContext();
				}
				return;
			}
		}
		this.entryPoint.commence(request, response, new BadCredentialsException("Unknown bearer token"));
	}

	static byte[] sha256(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
