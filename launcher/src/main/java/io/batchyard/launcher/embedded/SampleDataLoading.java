package io.batchyard.launcher.embedded;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Profile;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;
import org.springframework.stereotype.Component;

/**
 * Loads the embedded default's sample data on a thread of its own once the application is
 * ready: none of it is needed to answer the first request, so it no longer holds up
 * readiness. Each {@link SampleData} is a start-up step {@value #STEP} tagged with its
 * name; one that fails is logged and the others still load. A command-line run loads
 * nothing (it runs one command, not the server's start-up chores).
 */
@Profile("embedded")
@Component
@ConditionalOnProperty(name = "batchyard.runner.role", havingValue = "server", matchIfMissing = true)
class SampleDataLoading implements ApplicationListener<ApplicationReadyEvent> {

	static final String STEP = "batchyard.embedded.sample-data";

	private static final Log logger = LogFactory.getLog(SampleDataLoading.class);

	private final List<SampleData> samples;

	private final ApplicationStartup applicationStartup;

	SampleDataLoading(List<SampleData> samples, ApplicationStartup applicationStartup) {
		this.samples = List.copyOf(samples);
		this.applicationStartup = applicationStartup;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (this.samples.isEmpty()) {
			return;
		}
		Thread thread = new Thread(this::loadAll, "embedded-sample-data");
		// Daemon: a shutdown right after start-up does not wait for the samples.
		thread.setDaemon(true);
		thread.start();
	}

	void loadAll() {
		for (SampleData sample : this.samples) {
			StartupStep step = this.applicationStartup.start(STEP).tag("sample", sample.name());
			try {
				sample.load();
			}
			catch (RuntimeException ex) {
				step.tag("failure", String.valueOf(ex.getMessage()));
				logger.warn("Could not load the " + sample.name() + " sample data: " + ex.getMessage(), ex);
			}
			finally {
				step.end();
			}
		}
	}

}
