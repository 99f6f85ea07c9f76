package io.batchyard.jobs.manifestupdate;

/**
 * What the DLCS API says about one asset of a batch.
 *
 * @param assetId {@code customer/space/asset}
 * @param width the width, if known
 * @param height the height, if known
 * @param ingesting whether the DLCS is still ingesting it
 * @param error the ingest error, or {@code null}
 */
public record BatchAsset(String assetId, Integer width, Integer height, boolean ingesting, String error) {

}
