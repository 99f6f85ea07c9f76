package io.batchyard.launcher.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Launches {@code referenceLoadJob} for the sample references on the embedded default, so
 * a newcomer can request enhancements at once (docs/enhancements.md walks through a robot
 * run with {@code sample-data/enhancements/sample-robot.sh}). The job's identifying
 * parameter is the file, so a later start finds the instance complete and loads nothing
 * twice. Embedded profile only.
 */
@Profile("embedded")
@Component
@ConditionalOnProperty(name = "batchyard.embedded.enhancements.sample-references")
@Order(2)
class EnhancementSampleData implements SampleData {

	private static final Log logger = LogFactory.getLog(EnhancementSampleData.class);

	private final JobLaunchService launches;

	private final Path references;

	EnhancementSampleData(JobLaunchService launches,
			@Value("${batchyard.embedded.enhancements.sample-references}") Path references) {
		this.launches = launches;
		this.references = references;
	}

	@Override
	public String name() {
		return "enhancement references";
	}

	@Override
	public void load() {
		if (!Files.isRegularFile(this.references)) {
			logger.info("No sample references at " + this.references.toAbsolutePath());
			return;
		}
		try {
			this.launches.launch(new LaunchRequest("referenceLoadJob", Map.of("input", "file:" + this.references)));
			logger.info("Loading the sample references of " + this.references + " (referenceLoadJob)");
		}
		catch (LaunchRefusedException ex) {
			if (!ex.getReason().isDuplicate()) {
				throw ex;
			}
		}
	}

}
