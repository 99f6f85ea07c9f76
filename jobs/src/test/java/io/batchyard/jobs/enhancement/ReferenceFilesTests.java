package io.batchyard.jobs.enhancement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * {@code file:} inputs of {@code referenceLoadJob} only under the allowed directories,
 * whatever the path says ({@code ..}, symbolic links, a sibling with the same prefix).
 */
class ReferenceFilesTests {

	@TempDir
	Path root;

	Path allowed;

	Path references;

	Path secret;

	ReferenceFiles files;

	@BeforeEach
	void files() throws IOException {
		this.allowed = Files.createDirectories(this.root.resolve("allowed"));
		this.references = Files.writeString(this.allowed.resolve("references.jsonl"), "{}\n");
		this.secret = Files.writeString(this.root.resolve("secret.txt"), "root:x:0:0\n");
		this.files = new ReferenceFiles(List.of(this.allowed));
	}

	@Test
	void acceptsAFileUnderAnAllowedDirectoryAndAnswersItsRealPath() throws IOException {
		assertThat(this.files.resolve("file:" + this.references)).isEqualTo(this.references.toRealPath());
		assertThat(this.files.resolve("file:" + this.allowed + "/./sub/../references.jsonl"))
			.isEqualTo(this.references.toRealPath());
	}

	@Test
	void refusesAFileOutsideTheAllowedDirectories() {
		assertThatExceptionOfType(ReferenceFiles.RefusedFileException.class)
			.isThrownBy(() -> this.files.resolve("file:/etc/passwd"))
			.withMessage("Parameter 'input': /etc/passwd is not in a directory listed in"
					+ " batchyard.jobs.reference-load.allowed-directories");
		assertThatExceptionOfType(ReferenceFiles.RefusedFileException.class)
			.isThrownBy(() -> this.files.resolve("file:" + this.secret))
			.withMessageContaining("is not in a directory listed in");
		assertThatExceptionOfType(ReferenceFiles.RefusedFileException.class)
			.isThrownBy(() -> this.files.resolve("file:///etc/passwd"))
			.withMessageContaining("/etc/passwd is not in a directory listed in");
	}

	@Test
	void refusesDotDotOutOfAnAllowedDirectory() {
		assertThatExceptionOfType(ReferenceFiles.RefusedFileException.class)
			.isThrownBy(() -> this.files.resolve("file:" + this.allowed + "/../secret.txt"))
			.withMessage("Parameter 'input': " + this.secret.toAbsolutePath().normalize()
					+ " is not in a directory listed in batchyard.jobs.reference-load.allowed-directories");
		assertThatExceptionOfType(ReferenceFiles.RefusedFileException.class)
			.isThrownBy(() -> this.files.resolve("file:" + this.allowed + "/../../../../../../etc/passwd"))
			.withMessageContaining("/etc/passwd is not in a directory listed in");
	}

	@Test
	void refusesASymbolicLinkThatLeadsOutOfAnAllowedDirectory() throws IOException {
		Path link = Files.createSymbolicLink(this.allowed.resolve("passwd.jsonl"), this.secret);
		assertThatExceptionOfType(ReferenceFiles.RefusedFileException.class)
			.isThrownBy(() -> this.files.resolve("file:" + link))
			.withMessageContaining("is not in a directory listed in");
		Path linkedDirectory = Files.createSymbolicLink(this.allowed.resolve("etc"), Path.of("/etc"));
		assertThatExceptionOfType(ReferenceFiles.RefusedFileException.class)
			.isThrownBy(() -> this.files.resolve("file:" + linkedDirectory.resolve("passwd")))
			.withMessageContaining("is not in a directory listed in");
	}

	@Test
	void aSiblingDirectoryWithTheSamePrefixIsNotAllowed() throws IOException {
		Path sibling = Files.createDirectories(this.root.resolve("allowed-not"));
		Path file = Files.writeString(sibling.resolve("references.jsonl"), "{}\n");
		assertThatExceptionOfType(ReferenceFiles.RefusedFileException.class)
			.isThrownBy(() -> this.files.resolve("file:" + file))
			.withMessageContaining("is not in a directory listed in");
	}

	@Test
	void aMissingFileOrADirectoryUnderAnAllowedDirectoryIsRefusedByName() {
		assertThatExceptionOfType(ReferenceFiles.RefusedFileException.class)
			.isThrownBy(() -> this.files.resolve("file:" + this.allowed.resolve("missing.jsonl")))
			.withMessage("Parameter 'input': no such file " + this.allowed.resolve("missing.jsonl"));
		assertThatExceptionOfType(ReferenceFiles.RefusedFileException.class)
			.isThrownBy(() -> this.files.resolve("file:" + this.allowed))
			.withMessage("Parameter 'input': " + this.allowed + " is not a regular file");
		assertThatExceptionOfType(ReferenceFiles.RefusedFileException.class)
			.isThrownBy(() -> this.files.resolve("file:" + this.allowed + "/a\0b"))
			.withMessage("Parameter 'input': not a valid file path");
	}

	@Test
	void noAllowedDirectoryDisablesFileInputs() {
		assertThatExceptionOfType(ReferenceFiles.RefusedFileException.class)
			.isThrownBy(() -> new ReferenceFiles(List.of()).resolve("file:" + this.references))
			.withMessageStartingWith("Parameter 'input': file: inputs are disabled; list the directories");
	}

	@Test
	void theJobsCheckRefusesWhatTheAllowListRefusesAndLetsBlobKeysThrough() {
		ReferenceLoadParametersValidator validator = new ReferenceLoadParametersValidator(this.files);
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> validator
				.validate(new JobParametersBuilder().addString("input", "file:/etc/passwd").toJobParameters()))
			.withMessageContaining("/etc/passwd is not in a directory listed in");
		assertThatNoException().isThrownBy(() -> validator
			.validate(new JobParametersBuilder().addString("input", "file:" + this.references).toJobParameters()));
		assertThatNoException().isThrownBy(() -> validator
			.validate(new JobParametersBuilder().addString("input", "references/2026.jsonl").toJobParameters()));
	}

	@Test
	void theJobsDescriptionDeclaresInputAndRunsTheCheckAfterIt() {
		JobParametersValidator validator = new ReferenceLoadJobConfiguration()
			.referenceLoadJobDescription(new ReferenceLoadProperties(List.of(this.allowed), 1))
			.validator();
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> validator.validate(new JobParametersBuilder().addLong("input", 1L).toJobParameters()))
			.withMessage("Parameter 'input' must be a java.lang.String, not a java.lang.Long");
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> validator.validate(new JobParametersBuilder().toJobParameters()))
			.withMessageStartingWith("referenceLoadJob needs the identifying parameter 'input' (String)");
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> validator
				.validate(new JobParametersBuilder().addString("input", "file:/etc/passwd").toJobParameters()))
			.withMessageContaining("/etc/passwd is not in a directory listed in");
		assertThatNoException().isThrownBy(
				() -> validator.validate(new JobParametersBuilder().addString("input", "file:" + this.references)
					.addString("version", "etag-2")
					.toJobParameters()));
	}

}
