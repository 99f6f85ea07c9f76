package io.batchyard.jobs.enhancement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which local files {@code referenceLoadJob} may read: only regular files under one of
 * the configured directories. A parameter is attacker-controlled text (an OPERATOR, a
 * queue sender, a schedule's configuration), and the skipped-lines report shows parts of
 * every line it could not parse to VIEWERs, so {@code file:/etc/passwd} must not run.
 * <p>
 * The path is checked twice: lexically after {@code normalize()} (so {@code ..} cannot
 * climb out, and nothing outside the directories is even looked at: no "exists or not"
 * oracle), then again after {@code toRealPath()} (so a symbolic link inside an allowed
 * directory cannot point outside it).
 */
public final class ReferenceFiles {

	/** The prefix of a local input; anything else is a blob key. */
	public static final String FILE_PREFIX = "file:";

	private final List<Path> directories;

	public ReferenceFiles(List<Path> directories) {
		this.directories = directories.stream().map((directory) -> directory.toAbsolutePath().normalize()).toList();
	}

	/**
	 * Whether an input names a local file.
	 * @param input the {@code input} parameter
	 * @return whether it starts with {@code file:}
	 */
	public static boolean isFile(String input) {
		return input.startsWith(FILE_PREFIX);
	}

	/**
	 * The real path of a {@code file:} input under an allowed directory.
	 * @param input the {@code input} parameter, {@code file:<path>}
	 * @return the file's real path (symbolic links resolved)
	 * @throws RefusedFileException if it is outside every allowed directory, does not
	 * exist or is not a regular file
	 */
	public Path resolve(String input) {
		if (this.directories.isEmpty()) {
			throw new RefusedFileException("Parameter 'input': " + FILE_PREFIX
					+ " inputs are disabled; list the directories that hold reference files in"
					+ " batchyard.jobs.reference-load.allowed-directories, or load from blob storage");
		}
		Path requested;
		try {
			requested = Path.of(input.substring(FILE_PREFIX.length())).toAbsolutePath().normalize();
		}
		catch (InvalidPathException ex) {
			throw new RefusedFileException("Parameter 'input': not a valid file path");
		}
		if (this.directories.stream().noneMatch(requested::startsWith)) {
			throw notAllowed(requested);
		}
		Path real;
		try {
			real = requested.toRealPath();
		}
		catch (NoSuchFileException ex) {
			throw new RefusedFileException("Parameter 'input': no such file " + requested);
		}
		catch (IOException ex) {
			throw new RefusedFileException(
					"Parameter 'input': cannot read " + requested + " (" + ex.getMessage() + ")");
		}
		if (this.directories.stream()
			.map(ReferenceFiles::realDirectory)
			.flatMap(Optional::stream)
			.noneMatch(real::startsWith)) {
			throw notAllowed(requested);
		}
		if (!Files.isRegularFile(real)) {
			throw new RefusedFileException("Parameter 'input': " + requested + " is not a regular file");
		}
		return real;
	}

	private RefusedFileException notAllowed(Path requested) {
		return new RefusedFileException("Parameter 'input': " + requested
				+ " is not in a directory listed in batchyard.jobs.reference-load.allowed-directories");
	}

	private static Optional<Path> realDirectory(Path directory) {
		try {
			return Optional.of(directory.toRealPath());
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	/**
	 * A {@code file:} input that may not be read.
	 */
	public static class RefusedFileException extends IllegalArgumentException {

		private static final long serialVersionUID = 1L;

		RefusedFileException(String message) {
			super(message);
		}

	}

}
