package io.batchyard.launcher.security;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The API's cache of verified HTTP Basic credentials, under
 * {@code batchyard.security.basic-auth-cache} ({@link CachingAuthenticationProvider}).
 *
 * @param ttl how long a verified user name and password are accepted without a new bcrypt
 * check; {@code 0} turns the cache off
 * @param maxEntries the most credentials held, least recently used dropped first
 */
@Validated
@ConfigurationProperties("batchyard.security.basic-auth-cache")
public record BasicAuthCacheProperties(@DefaultValue("60s") @NotNull Duration ttl,
		@DefaultValue("1000") @Min(1) int maxEntries) {

}
