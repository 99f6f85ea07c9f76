package io.batchyard.launcher.unattended;

import java.time.Duration;
import java.util.Map;

import io.batchyard.jobs.support.FailureCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code batchyard.jobs.<job>.restart.*} as bound from configuration: what {@code on} may
 * list, and the back-off.
 */
class RestartPolicyTests {

	@ParameterizedTest
	@ValueSource(strings = { "invalid-input", "infrastructure,invalid-input", "operator" })
	void restartOnRefusesWhatIsNeverRestarted(String on) {
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bind(Map.of("jobs.purge.restart.on", on)))
			.havingRootCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageStartingWith(
					"restart.on cannot include " + (on.contains("operator") ? "operator" : "invalid-input"));
	}

	@Test
	void restartOnMayAddUnknownFailures() {
		UnattendedProperties properties = bind(Map.of("jobs.purge.restart.on", "node-lost,infrastructure,unknown"));

		assertThat(properties.job("purge").restart().on()).containsExactlyInAnyOrder(FailureCategory.NODE_LOST,
				FailureCategory.INFRASTRUCTURE, FailureCategory.UNKNOWN);
		assertThat(properties.job("other").restart().on()).containsExactlyInAnyOrder(FailureCategory.NODE_LOST,
				FailureCategory.INFRASTRUCTURE);
	}

	@Test
	void theBackOffDoublesUpToItsCap() {
		UnattendedProperties properties = bind(
				Map.of("jobs.purge.restart.backoff", "1m", "jobs.purge.restart.max-backoff", "3m"));

		assertThat(properties.job("purge").restart().backoff(1)).isEqualTo(Duration.ofMinutes(1));
		assertThat(properties.job("purge").restart().backoff(2)).isEqualTo(Duration.ofMinutes(2));
		assertThat(properties.job("purge").restart().backoff(3)).isEqualTo(Duration.ofMinutes(3));
	}

	private static UnattendedProperties bind(Map<String, String> settings) {
		Map<String, String> prefixed = new java.util.LinkedHashMap<>();
		settings.forEach((name, value) -> prefixed.put("batchyard." + name, value));
		return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("batchyard",
				UnattendedProperties.class);
	}

}
