package io.batchyard.readers.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * Blobs as files under a root directory (the embedded default's stand-in for S3). A put
 * writes a temporary file in {@value #INCOMING} under the root (the same file system) and
 * moves it into place, so a crash leaves either the old or the new blob, never a partial
 * one under a key. A process killed during a put leaves its temporary file behind, out of
 * every key's way: building the store removes those older than {@link #STALE_INCOMING} (a
 * younger one may be another process's put in progress, such as the server's while the
 * command line runs).
 */
public final class LocalDirectoryBlobStore implements BlobStore {

	/** The directory of the puts in progress, under the root; no key may name it. */
	public static final String INCOMING = ".incoming";

	/** The age from which a temporary file of a put is a dead process's leftover. */
	public static final Duration STALE_INCOMING = Duration.ofHours(1);

	private static final Log logger = LogFactory.getLog(LocalDirectoryBlobStore.class);

	private final Path root;

	private final Path incoming;

	private LocalDirectoryBlobStore(Path root) {
		this.root = root.toAbsolutePath().normalize();
		this.incoming = this.root.resolve(INCOMING);
		removeStaleIncoming();
	}

	private void removeStaleIncoming() {
		if (!Files.isDirectory(this.incoming)) {
			return;
		}
		Instant stale = Instant.now().minus(STALE_INCOMING);
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.incoming)) {
			for (Path file : files) {
				if (Files.getLastModifiedTime(file).toInstant().isBefore(stale) && Files.deleteIfExists(file)) {
					logger.info("Removed " + file + ": a put a stopped process did not finish");
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Could not look for unfinished puts in " + this.incoming + ": " + ex);
		}
	}

	public static Builder builder() {
		return new Builder();
	}

	@Override
	public InputStream open(String key) {
		Path file = resolve(key);
		try {
			return Files.newInputStream(file);
		}
		catch (NoSuchFileException ex) {
			throw new NoSuchBlobException("No blob '" + key + "' in " + this.root, ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open blob '" + key + "'", ex);
		}
	}

	@Override
	public InputStream open(String key, long offset) {
		Path file = resolve(key);
		try {
			java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(file);
			channel.position(offset);
			return java.nio.channels.Channels.newInputStream(channel);
		}
		catch (NoSuchFileException ex) {
			throw new NoSuchBlobException("No blob '" + key + "' in " + this.root, ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open blob '" + key + "'", ex);
		}
	}

	/**
	 * The file of a key (the embedded default serves it through signed URLs).
	 * @param key the key
	 * @return the file, which may not exist
	 */
	public Path file(String key) {
		return resolve(key);
	}

	@Override
	public void put(String key, InputStream content, long length) {
		Path file = resolve(key);
		try {
			Files.createDirectories(file.getParent());
			Files.createDirectories(this.incoming);
			Path temporary = Files.createTempFile(this.incoming, "put-", ".tmp");
			try {
				Files.copy(content, temporary, StandardCopyOption.REPLACE_EXISTING);
				try {
					Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				}
				catch (AtomicMoveNotSupportedException ex) {
					Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
				}
			}
			finally {
				Files.deleteIfExists(temporary);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write blob '" + key + "'", ex);
		}
	}

	@Override
	public boolean exists(String key) {
		return Files.isRegularFile(resolve(key));
	}

	@Override
	public void delete(String key) {
		try {
			Files.deleteIfExists(resolve(key));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete blob '" + key + "'", ex);
		}
	}

	private Path resolve(String key) {
		Assert.hasText(key, "A key is required");
		Path file = this.root.resolve(key).normalize();
		Assert.isTrue(file.startsWith(this.root) && !file.equals(this.root),
				() -> "Key '" + key + "' leaves the blob directory");
		Assert.isTrue(!file.startsWith(this.incoming), () -> "Key '" + key + "' names the puts in progress");
		return file;
	}

	@Override
	public String toString() {
		return "LocalDirectoryBlobStore[" + this.root + "]";
	}

	/**
	 * Builds a {@link LocalDirectoryBlobStore}.
	 */
	public static final class Builder {

		private Path root;

		private Builder() {
		}

		public Builder root(Path root) {
			this.root = root;
			return this;
		}

		public LocalDirectoryBlobStore build() {
			Assert.notNull(this.root, "A root directory is required");
			return new LocalDirectoryBlobStore(this.root);
		}

	}

}
