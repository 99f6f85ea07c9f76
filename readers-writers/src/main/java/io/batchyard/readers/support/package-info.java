/**
 * Helpers shared by the clients of several services.
 */
package io.batchyard.readers.support;
