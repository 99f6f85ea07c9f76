package io.batchyard.jobs.imageingest;

/**
 * An image still to ingest, as the reader reads it.
 *
 * @param batchId its batch
 * @param index its index in the batch
 * @param filename the stored file name
 * @param sourceUrl the URL to download, or {@code null}
 * @param sourceKey the blob holding its base64 payload, or {@code null}
 * @param traceId its trace id
 * @param groupId its group id
 */
public record ImageRow(String batchId, int index, String filename, String sourceUrl, String sourceKey, String traceId,
		String groupId) {

	/**
	 * Where the image is stored: {@code {trace_id}/{filename}}, fixed at submit time.
	 * @return the blob key
	 */
	public String processedPath() {
		return this.traceId + "/" + this.filename;
	}

	@Override
	public String toString() {
		return "image " + this.index + " of batch " + this.batchId + " (trace " + this.traceId + ")";
	}

}
