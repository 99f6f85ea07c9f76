package io.batchyard.jobs.manifestupdate;

/**
 * How step 4 updates the canvas paintings of one asset.
 *
 * @param assetId {@code customer/space/asset}
 * @param thumbnail the thumbnail from the named-query canvas
 * @param width the static width (the canvas's, else the API's)
 * @param height the static height (the canvas's, else the API's)
 * @param error the DLCS API's ingest error, or {@code null}
 */
public record CanvasUpdate(String assetId, String thumbnail, Integer width, Integer height, String error) {

}
