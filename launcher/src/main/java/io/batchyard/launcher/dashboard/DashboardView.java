package io.batchyard.launcher.dashboard;

/**
 * A page a job adds to the dashboard: declare a bean of this type for the navigation
 * entry, and a {@code @Controller} answering {@link #path()} with a template that uses
 * the shared layout ({@code ~{dashboard/layout :: head('Title')}} and
 * {@code ~{dashboard/layout :: nav}}). The image-batch, enhancement, manifest and
 * post-ingest views plug in here as their jobs land.
 */
public interface DashboardView {

	/**
	 * The navigation label.
	 * @return a short title
	 */
	String title();

	/**
	 * The page's path, for example {@code /image-batches}.
	 * @return the path
	 */
	String path();

}
