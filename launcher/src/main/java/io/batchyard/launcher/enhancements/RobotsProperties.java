package io.batchyard.launcher.enhancements;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The robots allowed to claim batches, under {@code batchyard.robots}: each signs its
 * requests with HMAC-SHA256 under its own secret. The secret is a key the server needs in
 * clear to check a signature (it cannot be stored hashed, unlike a bearer token): set it
 * from the environment ({@code BATCHYARD_ROBOTS_CLIENTS_<ID>_SECRET}), never in a
 * committed file.
 *
 * @param clients the robots by id
 * @param maxClockSkew how far a request's {@code X-Request-Timestamp} may be from the
 * server's clock
 */
@Validated
@ConfigurationProperties("batchyard.robots")
public record RobotsProperties(@DefaultValue Map<String, Robot> clients,
		@DefaultValue("5m") @NotNull Duration maxClockSkew) {

	/**
	 * A robot.
	 *
	 * @param secret its HMAC secret
	 */
	public record Robot(String secret) {

		@Override
		public String toString() {
			return "Robot[secret=" + ((this.secret != null) ? "(set)" : "(unset)") + "]";
		}

	}

}
