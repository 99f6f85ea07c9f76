package io.batchyard.bench.crash;

import java.nio.file.Files;
import java.nio.file.Path;

import io.batchyard.bench.crash.CrashCampaign.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Bad arguments are refused naming the argument, before anything is created.
 */
class CrashCampaignOptionsTests {

	@TempDir
	Path directory;

	@Test
	void badValuesAreRefusedByName() throws Exception {
		Path jar = Files.createFile(this.directory.resolve("batchyard.jar"));
		String jarArg = "jar=" + jar;
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("trials=abc", jarArg))
			.withMessage("trials must be a whole number, not abc");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("seed=xyz", jarArg))
			.withMessage("seed must be a whole number, not xyz");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("trialTimeout=banana", jarArg))
			.withMessage("trialTimeout is a duration such as 90s or 3m, not banana");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("trialTimeout=0s", jarArg))
			.withMessage("trialTimeout must be positive, not PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("trialSeeds=foo", jarArg))
			.withMessage("trialSeeds are <job>:<seed>, not foo");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("trialSeeds=imageIngestJob:x", jarArg))
			.withMessage("trialSeeds must be a whole number, not x");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("db=mysql", jarArg))
			.withMessage("db must be h2 or postgresql, not mysql");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("trials", jarArg))
			.withMessage("Arguments are key=value, not trials");
	}

	@Test
	void aRefusedRunCreatesNoWorkingDirectory() throws Exception {
		Path jar = Files.createFile(this.directory.resolve("batchyard.jar"));
		Path work = this.directory.resolve("work");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Options.parse("jobs=nosuchJob", "jar=" + jar, "work=" + work));
		assertThat(work).doesNotExist();
		Options options = Options.parse("jobs=referenceLoadJob", "trials=2", "jar=" + jar, "work=" + work);
		assertThat(options.work()).isDirectory();
		assertThat(options.trials()).isEqualTo(2);
	}

}
