package io.batchyard.readers.iiif;

/**
 * A DLCS asset id, {@code customer/space/asset}: the first two parts are whole numbers.
 *
 * @param customer the customer id
 * @param space the space id
 * @param asset the asset's own id in its space
 */
public record AssetId(int customer, int space, String asset) {

	/**
	 * Parses {@code customer/space/asset}.
	 * @param text the id
	 * @return the asset id
	 * @throws IllegalArgumentException "AssetId '…' is invalid. Must be in format
	 * customer/space/asset"
	 */
	public static AssetId parse(String text) {
		String[] parts = (text != null) ? text.split("/", -1) : new String[0];
		if (parts.length != 3 || parts[2].isEmpty()) {
			throw invalid(text);
		}
		try {
			return new AssetId(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), parts[2]);
		}
		catch (NumberFormatException ex) {
			throw invalid(text);
		}
	}

	private static IllegalArgumentException invalid(String text) {
		return new IllegalArgumentException(
				"AssetId '" + text + "' is invalid. Must be in format customer/space/asset");
	}

	@Override
	public String toString() {
		return this.customer + "/" + this.space + "/" + this.asset;
	}

}
