package io.batchyard.launcher.enhancements;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import io.batchyard.launcher.api.ApiError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a robot by its request signature ({@link RobotSignature}) and refuses a
 * request whose nonce was used before ({@link RobotNonces}); anything else gets 401 with
 * a JSON error, whoever else the caller may be.
 */
public class RobotAuthenticationFilter extends OncePerRequestFilter {

	/** The authority of an authenticated robot; its name is the principal. */
	public static final String ROBOT = "ROLE_ROBOT";

	private static final Log logger = LogFactory.getLog(RobotAuthenticationFilter.class);

	private static final int MAX_BODY = 1024 * 1024;

	/** URL-safe characters, long enough for a random UUID and short enough to index. */
	private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9._~-]{16,128}");

	private final RobotsProperties robots;

	private final RobotNonces nonces;

	private final Clock clock;

	public RobotAuthenticationFilter(RobotsProperties robots, RobotNonces nonces, Clock clock) {
		this.robots = robots;
		this.nonces = nonces;
		this.clock = clock;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String authorization = request.getHeader("Authorization");
		String clientId = request.getHeader("X-Client-Id");
		String timestamp = request.getHeader("X-Request-Timestamp");
		String nonce = request.getHeader("X-Request-Nonce");
		if (authorization == null || !authorization.startsWith("Signature ") || clientId == null || timestamp == null
				|| nonce == null) {
			unauthorized(response, "Robot authentication required: Authorization: Signature <hmac>, X-Client-Id,"
					+ " X-Request-Timestamp and X-Request-Nonce");
			return;
		}
		if (!NONCE.matcher(nonce).matches()) {
			unauthorized(response, "X-Request-Nonce must be 16 to 128 characters of A-Z, a-z, 0-9, '.', '_', '~'"
					+ " or '-' (a random UUID, new for every request)");
			return;
		}
		RobotsProperties.Robot robot = this.robots.clients().get(clientId);
		if (robot == null || robot.secret() == null || robot.secret().isBlank()) {
			unauthorized(response, "Unknown robot or invalid signature");
			return;
		}
		double seconds;
		try {
			seconds = Double.parseDouble(timestamp);
		}
		catch (NumberFormatException ex) {
			unauthorized(response, "X-Request-Timestamp must be Unix seconds");
			return;
		}
		Instant sent = Instant.ofEpochMilli((long) (seconds * 1000));
		if (Math.abs(sent.toEpochMilli() - this.clock.millis()) > this.robots.maxClockSkew().toMillis()) {
			unauthorized(response, "X-Request-Timestamp is too far from the server's clock");
			return;
		}
		byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
		if (body.length > MAX_BODY) {
			unauthorized(response, "Request body too large");
			return;
		}
		String pathAndQuery = request.getRequestURI()
				+ ((request.getQueryString() != null) ? "?" + request.getQueryString() : "");
		String expected = RobotSignature.sign(robot.secret(), request.getMethod(), pathAndQuery, body, clientId,
				timestamp, nonce);
		String given = authorization.substring("Signature ".length()).trim();
		if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				given.getBytes(StandardCharsets.US_ASCII))) {
			logger.warn("Robot request with an invalid signature: client " + clientId + ", " + request.getMethod() + " "
					+ request.getRequestURI());
			unauthorized(response, "Unknown robot or invalid signature");
			return;
		}
		// Remembered only once the signature holds, so nobody without the secret can fill
		// the table. Kept for twice the accepted skew: another node's clock may be off
		// too.
		if (!this.nonces.firstUse(clientId, nonce, sent.plus(this.robots.maxClockSkew().multipliedBy(2)))) {
			logger.warn("Replayed robot request refused: client " + clientId + ", nonce " + nonce + ", "
					+ request.getMethod() + " " + request.getRequestURI());
			unauthorized(response, "Replayed request: this X-Request-Nonce was already used");
			return;
		}
		SecurityContextImpl context = new SecurityContextImpl(UsernamePasswordAuthenticationToken
			.authenticated(clientId, null, List.of(new SimpleGrantedAuthority(ROBOT))));
		SecurityContextHolder.setContext(context);
		try {
			chain.doFilter(new CachedBody(request, body), response);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

	private static void unauthorized(HttpServletResponse response, String message) throws IOException {
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setContentType("application/json");
		response.getWriter().write(JsonMapper.shared().writeValueAsString(new ApiError(message, 401)));
	}

	/**
	 * The request with its body read once for the signature and served again.
	 */
	static final class CachedBody extends HttpServletRequestWrapper {

		private final byte[] body;

		CachedBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			InputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() throws IOException {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) throws IOException {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					try {
						return in.available() == 0;
					}
					catch (IOException ex) {
						return true;
					}
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException();
				}

			};
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

	}

}
